import { describe, expect, it } from 'vitest';
import { mergeMessages, pagesBackToShown } from './message-list';
import type { MessageView } from './wire-types';

const message = (id: string, createdAt: string, body = 'hi'): MessageView => ({
  id,
  conversationId: 'c1',
  authorKind: 'customer',
  authorUserId: null,
  authorName: 'Ann',
  body,
  private: false,
  metadata: null,
  createdAt,
});

describe('mergeMessages', () => {
  it('appends a new message in time order', () => {
    const list = [message('m1', '2025-01-01T10:00:00.000Z'), message('m3', '2025-01-01T10:02:00.000Z')];
    const merged = mergeMessages(list, [message('m2', '2025-01-01T10:01:00.000Z')]);
    expect(merged.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
  });

  it("takes a reply's newer delivery status (sent, not delivered) for the same message", () => {
    type Delivered = MessageView & { delivery: { status: string; error?: string } };
    const queued: Delivered = { ...message('m1', '2025-01-01T10:00:00.000Z'), delivery: { status: 'queued' } };
    const failed: Delivered = { ...queued, delivery: { status: 'failed', error: '550' } };
    const merged = mergeMessages([queued], [failed]);
    expect(merged).toEqual([failed]);
    expect(mergeMessages(merged, [{ ...failed }])).toBe(merged);
  });

  it('ignores the WebSocket echo of a message the POST already returned', () => {
    const list = [message('m1', '2025-01-01T10:00:00.000Z')];
    const merged = mergeMessages(list, [message('m1', '2025-01-01T10:00:00.000Z')]);
    expect(merged).toBe(list);
    expect(merged).toHaveLength(1);
  });

  it('keeps one copy when the same id arrives twice in one batch', () => {
    const merged = mergeMessages([], [message('m1', '2025-01-01T10:00:00.000Z'), message('m1', '2025-01-01T10:00:00.000Z')]);
    expect(merged).toHaveLength(1);
  });

  it('replaces a known message with its changed copy', () => {
    const list = [message('m1', '2025-01-01T10:00:00.000Z', 'old')];
    expect(mergeMessages(list, [message('m1', '2025-01-01T10:00:00.000Z', 'new')])[0]?.body).toBe('new');
  });
});

describe('pagesBackToShown', () => {
  const page = (ids: string[], nextCursor: string | null) => ({
    messages: ids.map((id) => message(id, `2026-01-01T00:00:${id.padStart(2, '0')}.000Z`)),
    nextCursor,
  });
  // Messages 1-10 in pages of 3, newest page first: cursors name where the next older page ends.
  const pages: Record<string, ReturnType<typeof page>> = { c7: page(['5', '6', '7'], 'c4'), c4: page(['2', '3', '4'], 'c1'), c1: page(['1'], null) };
  const older = async (cursor: string) => pages[cursor]!;

  it('reads back until a page holds a message already shown', async () => {
    const read = await pagesBackToShown(page(['8', '9', '10'], 'c7'), new Set(['1', '2', '3']), older);
    expect(read.map((m) => m.id)).toEqual(['5', '6', '7', '2', '3', '4']);
  });

  it('reads nothing more when the newest page already joins the thread, or nothing was shown', async () => {
    expect(await pagesBackToShown(page(['8', '9', '10'], 'c7'), new Set(['7', '8']), older)).toEqual([]);
    expect(await pagesBackToShown(page(['8', '9', '10'], 'c7'), new Set(), older)).toEqual([]);
  });
});
