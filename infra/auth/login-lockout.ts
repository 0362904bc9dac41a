// Login lockout, counted per email address and client address (IP; IPv6 by /56), so strangers
// failing from elsewhere cannot lock the owner out of their own account:
// - one address: `maxFailures` failed sign-ins for an email from one address within the window
//   lock that address out of that email for `lockMs`;
// - every address together: `maxAccountFailures` (much higher) lock the email for every address
//   that has not signed in to it lately — a distributed guess is stopped too, while the owner,
//   from an address they signed in from within `trustMs`, still gets in.
// Attempts are kept per email typed, known or not, so a lock never tells which accounts exist.
// The rows live in PostgreSQL (LoginThrottle) so they survive restarts and hold across API
// processes. The account-wide row has the source `*`.
import type { Db, Tx } from '../db.js';

export interface LockoutPolicy {
  /** Failed sign-ins for one email from one address within `windowMs` that lock that address out of it. */
  maxFailures: number;
  /** Failed sign-ins for one email from all addresses together within `windowMs` that lock it for addresses it has not signed in from. */
  maxAccountFailures: number;
  windowMs: number;
  /** How long a lock lasts. */
  lockMs: number;
  /** How long a successful sign-in from an address keeps the account-wide lock from refusing that address. */
  trustMs: number;
}

const minute = 60_000;
export const defaultLockoutPolicy: LockoutPolicy = {
  maxFailures: 5,
  maxAccountFailures: 50,
  windowMs: 15 * minute,
  lockMs: 15 * minute,
  trustMs: 30 * 24 * 60 * minute,
};

/** The LoginThrottle source of the account-wide count. */
export const everyAddress = '*';

/** One row: attempts counted in the window that started at `windowStartedAt`. */
export interface ThrottleState {
  attempts: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

/** The row of one (email, address): also when a sign-in from it last succeeded. */
export interface AddressState extends ThrottleState {
  trustedUntil: Date | null;
}

/** The limit one row is held to. */
export interface ThrottleLimit {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export type LockScope = 'address' | 'account';

const limitOf = (policy: LockoutPolicy, scope: LockScope): ThrottleLimit => ({
  maxFailures: scope === 'address' ? policy.maxFailures : policy.maxAccountFailures,
  windowMs: policy.windowMs,
  lockMs: policy.lockMs,
});

export type AttemptDecision = { admitted: true; next: ThrottleState } | { admitted: false; next: ThrottleState; lockedUntil: Date };

/**
 * Decides whether an attempt may go on, for one row. The attempt is counted before the password
 * check (a success resets the row), so parallel guesses cannot overrun the limit.
 */
export function admitAttempt(state: ThrottleState | null, now: Date, limit: ThrottleLimit): AttemptDecision {
  if (state?.lockedUntil && state.lockedUntil > now) return { admitted: false, next: state, lockedUntil: state.lockedUntil };
  const fresh = !state || state.lockedUntil !== null || now.getTime() - state.windowStartedAt.getTime() >= limit.windowMs;
  const next: ThrottleState = fresh ? { attempts: 1, windowStartedAt: now, lockedUntil: null } : { ...state, attempts: state.attempts + 1 };
  if (next.attempts > limit.maxFailures) {
    // More attempts in flight than failures allowed: the surplus is refused and locks.
    const lockedUntil = new Date(now.getTime() + limit.lockMs);
    return { admitted: false, next: { ...next, lockedUntil }, lockedUntil };
  }
  return { admitted: true, next };
}

/** After a wrong password: the lock, once the attempts in the window reach the limit. */
export function lockAfterFailure(state: ThrottleState, now: Date, limit: ThrottleLimit): Date | null {
  if (state.lockedUntil && state.lockedUntil > now) return state.lockedUntil;
  return state.attempts >= limit.maxFailures ? new Date(now.getTime() + limit.lockMs) : null;
}

export type LoginDecision =
  /** `account` is null when the address is trusted: its attempts do not count toward the account-wide limit. */
  | { admitted: true; address: ThrottleState; account: ThrottleState | null }
  /** `next` is the refusing row's state (a new lock when parallel attempts overran the limit); the other row is left alone. */
  | { admitted: false; scope: LockScope; next: ThrottleState; lockedUntil: Date };

/**
 * Whether a sign-in attempt for an email from an address may go on to the password check: the
 * address's own row first, then — unless the address signed in to this email lately — the
 * account-wide row. A refused attempt is not counted anywhere.
 */
export function decideLoginAttempt(address: AddressState | null, account: ThrottleState | null, now: Date, policy: LockoutPolicy): LoginDecision {
  const own = admitAttempt(address && address.attempts > 0 ? address : null, now, limitOf(policy, 'address'));
  if (!own.admitted) return { admitted: false, scope: 'address', next: own.next, lockedUntil: own.lockedUntil };
  const trusted = address?.trustedUntil != null && address.trustedUntil > now;
  if (trusted) return { admitted: true, address: own.next, account: null };
  const shared = admitAttempt(account && account.attempts > 0 ? account : null, now, limitOf(policy, 'account'));
  if (!shared.admitted) return { admitted: false, scope: 'account', next: shared.next, lockedUntil: shared.lockedUntil };
  return { admitted: true, address: own.next, account: shared.next };
}

/** A lock just set: what the audit log records. */
export interface NewLock {
  scope: LockScope;
  until: Date;
  /** Failed attempts counted in the window that set it. */
  failures: number;
}

/** Called inside the transaction that counts a failure or sets a lock, so the audit trail and the throttle agree. */
export interface LockoutAudit {
  failed(tx: Tx): Promise<unknown>;
  locked(tx: Tx, lock: NewLock): Promise<unknown>;
}

export interface LoginSource {
  /** Lower-cased, as typed. */
  email: string;
  /** The client's address key (IPv6 by /56); never `*`. */
  address: string;
}

export type LoginAttempt = { locked: false; countsForAccount: boolean } | { locked: true; until: Date };

const rowKey = (email: string, source: string) => ({ email_source: { email, source } });
const stateOf = (row: AddressState): AddressState => ({
  attempts: row.attempts,
  windowStartedAt: row.windowStartedAt,
  lockedUntil: row.lockedUntil,
  trustedUntil: row.trustedUntil,
});

/** Counts a sign-in attempt for the email from the address, or reports the lock that refuses it. */
export async function beginLoginAttempt(db: Db, attempt: LoginSource, now: Date, policy: LockoutPolicy, audit: LockoutAudit): Promise<LoginAttempt> {
  return db.$transaction(async (tx) => {
    // Creates the rows or locks the existing ones in one statement (a sweep cannot delete them in
    // between); the account-wide row first, in every transaction, so two never deadlock. The row
    // locks serialise attempts on one email across requests and API processes.
    await tx.$executeRaw`INSERT INTO "LoginThrottle" (email, source, attempts, "windowStartedAt")
      VALUES (${attempt.email}, ${everyAddress}, 0, now()), (${attempt.email}, ${attempt.address}, 0, now())
      ON CONFLICT (email, source) DO UPDATE SET attempts = "LoginThrottle".attempts`;
    const account = stateOf(await tx.loginThrottle.findUniqueOrThrow({ where: rowKey(attempt.email, everyAddress) }));
    const address = stateOf(await tx.loginThrottle.findUniqueOrThrow({ where: rowKey(attempt.email, attempt.address) }));
    const decision = decideLoginAttempt(address, account, now, policy);
    if (!decision.admitted) {
      const [row, source] = decision.scope === 'address' ? [address, attempt.address] : [account, everyAddress];
      if (decision.next.lockedUntil?.getTime() !== row.lockedUntil?.getTime()) {
        const { attempts, windowStartedAt, lockedUntil } = decision.next;
        await tx.loginThrottle.update({ where: rowKey(attempt.email, source), data: { attempts, windowStartedAt, lockedUntil } });
        await audit.locked(tx, { scope: decision.scope, until: decision.lockedUntil, failures: decision.next.attempts });
      }
      return { locked: true, until: decision.lockedUntil };
    }
    const counted = (state: ThrottleState) => ({ attempts: state.attempts, windowStartedAt: state.windowStartedAt, lockedUntil: state.lockedUntil });
    await tx.loginThrottle.update({ where: rowKey(attempt.email, attempt.address), data: counted(decision.address) });
    if (decision.account) await tx.loginThrottle.update({ where: rowKey(attempt.email, everyAddress), data: counted(decision.account) });
    return { locked: false, countsForAccount: decision.account !== null };
  });
}

/** A wrong password (or an unknown email): recorded, and locks whatever row reached its limit. */
export async function recordLoginFailure(
  db: Db,
  attempt: LoginSource & { countsForAccount: boolean },
  now: Date,
  policy: LockoutPolicy,
  audit: LockoutAudit,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await audit.failed(tx);
    const scopes: [LockScope, string][] = attempt.countsForAccount
      ? [
          ['account', everyAddress],
          ['address', attempt.address],
        ]
      : [['address', attempt.address]];
    for (const [scope, source] of scopes) {
      // One row at a time, the account-wide one first: the order beginLoginAttempt locks them in.
      await tx.$queryRaw`SELECT 1 FROM "LoginThrottle" WHERE email = ${attempt.email} AND source = ${source} FOR UPDATE`;
      const row = await tx.loginThrottle.findUnique({ where: rowKey(attempt.email, source) });
      if (!row) continue;
      const lockedUntil = lockAfterFailure(row, now, limitOf(policy, scope));
      if (lockedUntil && lockedUntil.getTime() !== row.lockedUntil?.getTime()) {
        await tx.loginThrottle.update({ where: rowKey(attempt.email, source), data: { lockedUntil } });
        await audit.locked(tx, { scope, until: lockedUntil, failures: row.attempts });
      }
    }
  });
}

/**
 * A successful sign-in: forgets the address's failures and trusts the address for this email for
 * `trustMs`. Of the account-wide count only this attempt is taken back (it was counted before the
 * password was checked): a sign-in by the owner does not reset a count strangers are running up
 * elsewhere.
 */
export async function recordLoginSuccess(tx: Tx, attempt: LoginSource & { countsForAccount: boolean }, now: Date, policy: LockoutPolicy): Promise<void> {
  const state = { attempts: 0, windowStartedAt: now, lockedUntil: null, trustedUntil: new Date(now.getTime() + policy.trustMs) };
  await tx.loginThrottle.upsert({
    where: rowKey(attempt.email, attempt.address),
    create: { email: attempt.email, source: attempt.address, ...state },
    update: state,
  });
  if (attempt.countsForAccount) {
    await tx.loginThrottle.updateMany({ where: { email: attempt.email, source: everyAddress, attempts: { gt: 0 } }, data: { attempts: { decrement: 1 } } });
  }
}

/** Drops rows whose window, lock and trust are all over (they would start afresh anyway). */
export async function sweepLoginAttempts(db: Db, now: Date, policy: LockoutPolicy): Promise<number> {
  const { count } = await db.loginThrottle.deleteMany({
    where: {
      windowStartedAt: { lte: new Date(now.getTime() - policy.windowMs) },
      AND: [{ OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] }, { OR: [{ trustedUntil: null }, { trustedUntil: { lte: now } }] }],
    },
  });
  return count;
}
