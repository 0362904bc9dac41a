import { describe, expect, it } from 'vitest';
import { applyTypingFrame, createTypingSender, typistsIn, typingPauseMs, typingRepeatMs, typingStaleMs, type TypingBoard } from './typing';

function fakeClock() {
  let now = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  let next = 1;
  return {
    now: () => now,
    setTimer: (run: () => void, ms: number) => {
      timers.set(next, { at: now + ms, run });
      return next++;
    },
    clearTimer: (handle: unknown) => void timers.delete(handle as number),
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at > now) continue;
        timers.delete(id);
        timer.run();
      }
    },
  };
}

describe('createTypingSender', () => {
  it('says "typing" once per burst, again after the repeat interval, and "stopped" after a pause', () => {
    const clock = fakeClock();
    const sent: boolean[] = [];
    const sender = createTypingSender({ ...clock, send: (typing) => sent.push(typing) });
    sender.input();
    clock.advance(500);
    sender.input();
    expect(sent).toEqual([true]);
    clock.advance(typingRepeatMs);
    sender.input();
    expect(sent).toEqual([true, true]);
    clock.advance(typingPauseMs);
    expect(sent).toEqual([true, true, false]);
  });

  it('says "stopped" on send only when it had said "typing"', () => {
    const clock = fakeClock();
    const sent: boolean[] = [];
    const sender = createTypingSender({ ...clock, send: (typing) => sent.push(typing) });
    sender.stop();
    expect(sent).toEqual([]);
    sender.input();
    sender.stop();
    clock.advance(typingPauseMs);
    expect(sent).toEqual([true, false]);
  });
});

describe('typing board', () => {
  const frame = (typing: boolean, from: 'customer' | 'agent' = 'customer', name: string | null = null) => ({
    type: 'typing' as const,
    conversationId: 'c1',
    from,
    name,
    typing,
  });

  it('lists who types where, drops them on "stopped" and when stale', () => {
    let board: TypingBoard = {};
    board = applyTypingFrame(board, frame(true), 0);
    board = applyTypingFrame(board, frame(true, 'agent', 'Lina'), 100);
    expect(typistsIn(board, 'c1', 200).map((typist) => typist.name)).toEqual([null, 'Lina']);
    board = applyTypingFrame(board, frame(false), 300);
    expect(typistsIn(board, 'c1', 400).map((typist) => typist.name)).toEqual(['Lina']);
    expect(typistsIn(board, 'c1', 100 + typingStaleMs)).toEqual([]);
    expect(typistsIn(board, 'other', 0)).toEqual([]);
  });

  it('keeps one entry per person however often they say "typing"', () => {
    let board: TypingBoard = {};
    for (let at = 0; at < 5; at++) board = applyTypingFrame(board, frame(true), at);
    expect(typistsIn(board, 'c1', 5)).toHaveLength(1);
  });
});
