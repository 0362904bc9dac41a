import { describe, expect, it } from 'vitest';
import type { BotStreamFrame } from '../realtime/frames';
import { applyBotStreamFrame, withoutPreview, type BotPreviews } from './bot-preview';

const piece = (seq: number, text: string, streamId = 's1'): BotStreamFrame => ({ type: 'bot_stream', conversationId: 'c1', streamId, seq, text });
const apply = (frames: BotStreamFrame[], from: BotPreviews = {}) => frames.reduce(applyBotStreamFrame, from);

describe("the bot's answer preview", () => {
  it('grows piece by piece, in order even when a piece comes early', () => {
    expect(apply([piece(0, 'A card refund'), piece(1, ' takes')])['c1']?.text).toBe('A card refund takes');
    const early = apply([piece(0, 'A'), piece(2, ' C')]);
    expect(early['c1']?.text).toBe('A');
    expect(apply([piece(1, ' B')], early)['c1']?.text).toBe('A B C');
  });

  it('starts over for a new attempt and ignores a repeated piece', () => {
    const first = apply([piece(0, 'Old'), piece(0, 'Old')]);
    expect(first['c1']?.text).toBe('Old');
    expect(apply([piece(0, 'New', 's2')], first)['c1']?.text).toBe('New');
  });

  it('goes when its stream ends or a bot message arrives, not when an older stream ends', () => {
    const shown = apply([piece(0, 'A')]);
    expect(apply([{ type: 'bot_stream', conversationId: 'c1', streamId: 's1', seq: 1, done: 'withdrawn' }], shown)).toEqual({});
    expect(apply([{ type: 'bot_stream', conversationId: 'c1', streamId: 's0', seq: 5, done: 'stored' }], shown)).toBe(shown);
    expect(withoutPreview(shown, 'c1')).toEqual({});
    expect(withoutPreview(shown, 'c2')).toBe(shown);
  });
});
