import { describe, expect, it } from 'vitest';
import { shouldRelay, typingFrameSchema, typingRelayIntervalMs } from './typing.js';

const conversationId = '8c0b5a9e-3f1d-4b7a-9c2e-1d2f3a4b5c6d';

describe('typing frames', () => {
  it('accepts the documented frame and refuses anything else', () => {
    expect(typingFrameSchema.safeParse({ type: 'typing', conversationId, typing: true }).success).toBe(true);
    expect(typingFrameSchema.safeParse({ type: 'typing', conversationId, typing: true, private: true }).success).toBe(true);
    expect(typingFrameSchema.safeParse({ type: 'typing', conversationId: 'nope', typing: true }).success).toBe(false);
    expect(typingFrameSchema.safeParse({ type: 'typing', conversationId, typing: 'yes' }).success).toBe(false);
    expect(typingFrameSchema.safeParse({ type: 'typing', conversationId, typing: true, extra: 1 }).success).toBe(false);
  });

  it('relays "typing" at most once per interval, and "stopped" once after each relayed "typing"', () => {
    const typing = { type: 'typing' as const, conversationId, typing: true };
    expect(shouldRelay(typing, undefined, 1000)).toBe(true);
    expect(shouldRelay(typing, 1000, 1000 + typingRelayIntervalMs - 1)).toBe(false);
    expect(shouldRelay(typing, 1000, 1000 + typingRelayIntervalMs)).toBe(true);
    expect(shouldRelay({ ...typing, typing: false }, 1000, 1001)).toBe(true);
    // Nothing was relayed (or a "stopped" already was): another "stopped" says nothing new.
    expect(shouldRelay({ ...typing, typing: false }, undefined, 1001)).toBe(false);
  });
});
