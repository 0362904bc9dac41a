import { describe, expect, it } from 'vitest';
import { mergeMessages } from './message-list';
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
