import { describe, expect, it } from 'vitest';
import { autoReplyDecision, recentSends, senderKey } from './auto-reply-limit.js';

const hour = 60 * 60 * 1000;
const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 10, 0) + minutes * 60_000);

describe('autoReplyDecision', () => {
  const limit = { max: 3, windowMs: hour };

  it('allows replies up to the limit within the window, then says when the next one may go', () => {
    const sent: Date[] = [];
    for (const minute of [0, 10, 20]) {
      expect(autoReplyDecision(sent, at(minute), limit)).toEqual({ allowed: true });
      sent.push(at(minute));
    }
    expect(autoReplyDecision(sent, at(30), limit)).toEqual({ allowed: false, nextAllowedAt: at(60) });
    expect(autoReplyDecision(sent, at(60), limit)).toEqual({ allowed: true });
  });

  it('sends at most the limit when 50 automatic messages arrive in a row', () => {
    const sent: Date[] = [];
    for (let index = 0; index < 50; index += 1) {
      const now = at(index);
      if (autoReplyDecision(sent, now, limit).allowed) sent.push(now);
    }
    expect(sent).toHaveLength(3);
  });

  it('refuses everything with a limit of zero', () => {
    expect(autoReplyDecision([], at(0), { max: 0, windowMs: hour }).allowed).toBe(false);
  });

  it('keeps only the sends inside the window', () => {
    expect(recentSends([at(0), at(50), at(70)], at(90), limit)).toEqual([at(50), at(70)]);
  });

  it('keys senders case-insensitively', () => {
    expect(senderKey('  Ann@Example.COM ')).toBe('ann@example.com');
  });
});
