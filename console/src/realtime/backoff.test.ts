import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

const options = { baseMs: 500, maxMs: 30_000 };

describe('backoffDelay', () => {
  it('doubles the step with each failed attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, options, () => 1))).toEqual([500, 1000, 2000, 4000]);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(backoffDelay(50, options, () => 1)).toBe(30_000);
  });

  it('waits at least half the step, so jitter never makes it a tight loop', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(250);
    expect(backoffDelay(20, options, () => 0)).toBe(15_000);
  });
});
