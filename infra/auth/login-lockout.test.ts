import { describe, expect, it } from 'vitest';
import { admitAttempt, lockAfterFailure, type LockoutPolicy, type ThrottleState } from './login-lockout.js';

const policy: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
const t0 = new Date('2026-11-24T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('admitAttempt', () => {
  it('admits the first attempt and opens a window', () => {
    expect(admitAttempt(null, t0, policy)).toEqual({ admitted: true, next: { attempts: 1, windowStartedAt: t0, lockedUntil: null } });
  });

  it('counts attempts within the window', () => {
    const state: ThrottleState = { attempts: 3, windowStartedAt: t0, lockedUntil: null };
    expect(admitAttempt(state, at(5), policy)).toEqual({ admitted: true, next: { attempts: 4, windowStartedAt: t0, lockedUntil: null } });
  });

  it('starts a new window once the old one is over', () => {
    const state: ThrottleState = { attempts: 4, windowStartedAt: t0, lockedUntil: null };
    expect(admitAttempt(state, at(15), policy)).toEqual({ admitted: true, next: { attempts: 1, windowStartedAt: at(15), lockedUntil: null } });
  });

  it('refuses every attempt while locked, whatever the password', () => {
    const state: ThrottleState = { attempts: 5, windowStartedAt: t0, lockedUntil: at(20) };
    expect(admitAttempt(state, at(19), policy)).toEqual({ admitted: false, next: state, lockedUntil: at(20) });
  });

  it('starts afresh when the lock has expired', () => {
    const state: ThrottleState = { attempts: 5, windowStartedAt: t0, lockedUntil: at(20) };
    expect(admitAttempt(state, at(20), policy)).toEqual({ admitted: true, next: { attempts: 1, windowStartedAt: at(20), lockedUntil: null } });
  });

  it('refuses and locks an attempt beyond the limit that raced past the failures', () => {
    const state: ThrottleState = { attempts: 5, windowStartedAt: t0, lockedUntil: null };
    expect(admitAttempt(state, at(1), policy)).toEqual({ admitted: false, next: { attempts: 6, windowStartedAt: t0, lockedUntil: at(16) }, lockedUntil: at(16) });
  });
});

describe('lockAfterFailure', () => {
  it('does not lock below the limit', () => {
    expect(lockAfterFailure({ attempts: 4, windowStartedAt: t0, lockedUntil: null }, at(1), policy)).toBeNull();
  });

  it('locks for lockMs at the limit', () => {
    expect(lockAfterFailure({ attempts: 5, windowStartedAt: t0, lockedUntil: null }, at(2), policy)).toEqual(at(17));
  });

  it('keeps an existing lock rather than extending it', () => {
    expect(lockAfterFailure({ attempts: 6, windowStartedAt: t0, lockedUntil: at(10) }, at(3), policy)).toEqual(at(10));
  });
});
