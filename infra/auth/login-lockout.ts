// Login lockout: after too many failed sign-ins for one email address within a window, the
// address is locked for a while, whatever password comes next. Attempts are kept per address
// typed, known or not, so a lock never tells an attacker which accounts exist. The counts live
// in PostgreSQL (LoginThrottle) so they survive restarts and hold across API processes.
import type { Db } from '../db.js';

export interface LockoutPolicy {
  /** Failed sign-ins within `windowMs` that lock the address. */
  maxFailures: number;
  windowMs: number;
  /** How long a lock lasts. */
  lockMs: number;
}

export const defaultLockoutPolicy: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** One address's row: attempts counted in the window that started at `windowStartedAt`. */
export interface ThrottleState {
  attempts: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

export type AttemptDecision = { admitted: true; next: ThrottleState } | { admitted: false; next: ThrottleState; lockedUntil: Date };

/**
 * Decides whether a sign-in may go on to the password check. The attempt is counted before the
 * check (a success deletes the row), so parallel guesses cannot overrun the limit.
 */
export function admitAttempt(state: ThrottleState | null, now: Date, policy: LockoutPolicy): AttemptDecision {
  if (state?.lockedUntil && state.lockedUntil > now) return { admitted: false, next: state, lockedUntil: state.lockedUntil };
  const fresh = !state || state.lockedUntil !== null || now.getTime() - state.windowStartedAt.getTime() >= policy.windowMs;
  const next: ThrottleState = fresh ? { attempts: 1, windowStartedAt: now, lockedUntil: null } : { ...state, attempts: state.attempts + 1 };
  if (next.attempts > policy.maxFailures) {
    // More attempts in flight than failures allowed: the surplus is refused and locks the address.
    const lockedUntil = new Date(now.getTime() + policy.lockMs);
    return { admitted: false, next: { ...next, lockedUntil }, lockedUntil };
  }
  return { admitted: true, next };
}

/** After a wrong password: the lock, once the attempts in the window reach the limit. */
export function lockAfterFailure(state: ThrottleState, now: Date, policy: LockoutPolicy): Date | null {
  if (state.lockedUntil && state.lockedUntil > now) return state.lockedUntil;
  return state.attempts >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : null;
}

export type LoginAttempt = { locked: false } | { locked: true; until: Date };

/** Counts a sign-in attempt for `email` (lower-cased), or reports the lock that refuses it. */
export async function beginLoginAttempt(db: Db, email: string, now: Date, policy: LockoutPolicy): Promise<LoginAttempt> {
  return db.$transaction(async (tx) => {
    // Creates the row or locks the existing one in one statement (a sweep cannot delete it in
    // between); the lock serialises attempts on one address across requests and API processes.
    await tx.$executeRaw`INSERT INTO "LoginThrottle" (email, attempts, "windowStartedAt") VALUES (${email}, 0, now())
      ON CONFLICT (email) DO UPDATE SET attempts = "LoginThrottle".attempts`;
    const row = await tx.loginThrottle.findUniqueOrThrow({ where: { email } });
    const decision = admitAttempt(row.attempts === 0 ? null : row, now, policy);
    await tx.loginThrottle.update({ where: { email }, data: decision.next });
    return decision.admitted ? { locked: false } : { locked: true, until: decision.lockedUntil };
  });
}

/** A wrong password (or an unknown address): locks the address once the limit is reached. */
export async function recordLoginFailure(db: Db, email: string, now: Date, policy: LockoutPolicy): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "LoginThrottle" WHERE email = ${email} FOR UPDATE`;
    const row = await tx.loginThrottle.findUnique({ where: { email } });
    if (!row) return;
    const lockedUntil = lockAfterFailure(row, now, policy);
    if (lockedUntil && lockedUntil.getTime() !== row.lockedUntil?.getTime()) await tx.loginThrottle.update({ where: { email }, data: { lockedUntil } });
  });
}

/** A successful sign-in forgets the address's earlier failures. */
export async function clearLoginAttempts(db: Db, email: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { email } });
}

/** Drops rows whose window and lock are over (they would start afresh anyway). */
export async function sweepLoginAttempts(db: Db, now: Date, policy: LockoutPolicy): Promise<number> {
  const { count } = await db.loginThrottle.deleteMany({
    where: {
      windowStartedAt: { lte: new Date(now.getTime() - policy.windowMs) },
      OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
    },
  });
  return count;
}
