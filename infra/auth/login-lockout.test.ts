import { describe, expect, it } from 'vitest';
import {
  admitAttempt,
  decideLoginAttempt,
  lockAfterFailure,
  type AddressState,
  type LockoutPolicy,
  type ThrottleLimit,
  type ThrottleState,
} from './login-lockout.js';

const limit: ThrottleLimit = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
const policy: LockoutPolicy = { ...limit, maxAccountFailures: 50, trustMs: 30 * 24 * 60 * 60_000 };
const t0 = new Date('2026-11-24T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('admitAttempt', () => {
  it('admits the first attempt and opens a window', () => {
    expect(admitAttempt(null, t0, limit)).toEqual({ admitted: true, next: { attempts: 1, windowStartedAt: t0, lockedUntil: null } });
  });

  it('counts attempts within the window', () => {
    const state: ThrottleState = { attempts: 3, windowStartedAt: t0, lockedUntil: null };
    expect(admitAttempt(state, at(5), limit)).toEqual({ admitted: true, next: { attempts: 4, windowStartedAt: t0, lockedUntil: null } });
  });

  it('starts a new window once the old one is over', () => {
    const state: ThrottleState = { attempts: 4, windowStartedAt: t0, lockedUntil: null };
    expect(admitAttempt(state, at(15), limit)).toEqual({ admitted: true, next: { attempts: 1, windowStartedAt: at(15), lockedUntil: null } });
  });

  it('refuses every attempt while locked, whatever the password', () => {
    const state: ThrottleState = { attempts: 5, windowStartedAt: t0, lockedUntil: at(20) };
    expect(admitAttempt(state, at(19), limit)).toEqual({ admitted: false, next: state, lockedUntil: at(20) });
  });

  it('starts afresh when the lock has expired', () => {
    const state: ThrottleState = { attempts: 5, windowStartedAt: t0, lockedUntil: at(20) };
    expect(admitAttempt(state, at(20), limit)).toEqual({ admitted: true, next: { attempts: 1, windowStartedAt: at(20), lockedUntil: null } });
  });

  it('refuses and locks an attempt beyond the limit that raced past the failures', () => {
    const state: ThrottleState = { attempts: 5, windowStartedAt: t0, lockedUntil: null };
    expect(admitAttempt(state, at(1), limit)).toEqual({
      admitted: false,
      next: { attempts: 6, windowStartedAt: t0, lockedUntil: at(16) },
      lockedUntil: at(16),
    });
  });
});

describe('lockAfterFailure', () => {
  it('does not lock below the limit', () => {
    expect(lockAfterFailure({ attempts: 4, windowStartedAt: t0, lockedUntil: null }, at(1), limit)).toBeNull();
  });

  it('locks for lockMs at the limit', () => {
    expect(lockAfterFailure({ attempts: 5, windowStartedAt: t0, lockedUntil: null }, at(2), limit)).toEqual(at(17));
  });

  it('keeps an existing lock rather than extending it', () => {
    expect(lockAfterFailure({ attempts: 6, windowStartedAt: t0, lockedUntil: at(10) }, at(3), limit)).toEqual(at(10));
  });
});

describe('decideLoginAttempt', () => {
  const address = (state: Partial<AddressState> = {}): AddressState => ({ attempts: 0, windowStartedAt: t0, lockedUntil: null, trustedUntil: null, ...state });
  const accountLocked: ThrottleState = { attempts: 50, windowStartedAt: t0, lockedUntil: at(15) };

  it('counts an attempt from a new address for the address and for the account', () => {
    expect(decideLoginAttempt(null, { attempts: 7, windowStartedAt: t0, lockedUntil: null }, at(1), policy)).toEqual({
      admitted: true,
      address: { attempts: 1, windowStartedAt: at(1), lockedUntil: null },
      account: { attempts: 8, windowStartedAt: t0, lockedUntil: null },
    });
  });

  it('refuses an address locked out of the email without counting it for the account', () => {
    const locked = address({ attempts: 5, lockedUntil: at(10) });
    expect(decideLoginAttempt(locked, { attempts: 9, windowStartedAt: t0, lockedUntil: null }, at(2), policy)).toMatchObject({
      admitted: false,
      scope: 'address',
      lockedUntil: at(10),
    });
  });

  it('refuses an unknown address while the account-wide lock holds', () => {
    expect(decideLoginAttempt(null, accountLocked, at(2), policy)).toMatchObject({ admitted: false, scope: 'account', lockedUntil: at(15) });
  });

  it('lets the owner in from an address they signed in from, despite the account-wide lock', () => {
    const trusted = address({ trustedUntil: at(60 * 24) });
    expect(decideLoginAttempt(trusted, accountLocked, at(2), policy)).toEqual({
      admitted: true,
      address: { attempts: 1, windowStartedAt: at(2), lockedUntil: null },
      account: null,
    });
  });

  it('holds a trusted address to its own limit', () => {
    const trusted = address({ attempts: 5, windowStartedAt: at(1), lockedUntil: at(16), trustedUntil: at(60 * 24) });
    expect(decideLoginAttempt(trusted, null, at(2), policy)).toMatchObject({ admitted: false, scope: 'address', lockedUntil: at(16) });
  });

  it('stops trusting an address once its trust has run out', () => {
    const lapsed = address({ trustedUntil: at(1) });
    expect(decideLoginAttempt(lapsed, accountLocked, at(2), policy)).toMatchObject({ admitted: false, scope: 'account' });
  });
});
