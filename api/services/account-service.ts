// The signed-in person's own account: changing their password, their sessions, their language.
// Every check of a secret here (the current password, a two-factor code) is throttled like a
// sign-in (infra/auth/login-lockout.ts): a password typed on the account page counts toward the
// same lock as the sign-in form, so a session left open is no way round it.
import { ipKeyGenerator } from 'express-rate-limit';
import type { TeamMemberRef } from '../../contract/events.js';
import { isThemeChoice, type ThemeChoice } from '../../contract/requests/account.js';
import { beginLoginAttempt, recordLoginFailure, recordLoginSuccess, type LockoutAudit, type LockoutPolicy } from '../../infra/auth/login-lockout.js';
import { passwordProblem } from '../../infra/auth/password-policy.js';
import { hashPassword, verifyPassword } from '../../infra/auth/passwords.js';
import { listLiveSessions, revokeUserSessions, sessionKeyOf } from '../../infra/auth/sessions.js';
import type { Db } from '../../infra/db.js';
import { appendEvent } from '../../infra/event-log.js';
import type { User } from '../../prisma/generated/client.js';
import { badRequest, HttpError, notFound } from '../http-error.js';
import { recordAuthEvent } from './audit-service.js';

/** What a request adds to a check: where it came from, the lockout rules and the clock. */
export interface CheckContext {
  db: Db;
  ip: string;
  lockout: LockoutPolicy;
  now: Date;
}

export const memberRefOf = (user: Pick<User, 'id' | 'email' | 'name'>): TeamMemberRef => ({ userId: user.id, email: user.email, name: user.name });

/** The answer for a lock, worded like the sign-in form's. */
export function lockedError(until: Date, now: Date): HttpError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new HttpError(423, 'account_locked', `Too many wrong attempts: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, {
    retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
  });
}

/**
 * Runs `check` as one throttled attempt under `key` (an email, or `two-factor:<userId>`): 423
 * while locked (the check is not run); a false result counts as a failure and may set a lock; a
 * true one clears this address's failures. Failures and locks are audited as sign-in failures of
 * the user's email.
 */
export async function throttledCheck(context: CheckContext, user: Pick<User, 'id' | 'email'>, key: string, check: () => Promise<boolean>): Promise<boolean> {
  const source = { email: key, address: ipKeyGenerator(context.ip) };
  const audit: LockoutAudit = {
    failed: (tx) => recordAuthEvent(tx, { type: 'auth.sign_in_failed', email: user.email, ip: context.ip, userId: user.id }),
    locked: (tx, lock) =>
      recordAuthEvent(tx, { type: 'auth.locked_out', email: user.email, ip: context.ip, scope: lock.scope, lockedUntil: lock.until, failures: lock.failures }),
  };
  const attempt = await beginLoginAttempt(context.db, source, context.now, context.lockout, audit);
  if (attempt.locked) throw lockedError(attempt.until, context.now);
  const attemptSource = { ...source, countsForAccount: attempt.countsForAccount };
  if (!(await check())) {
    await recordLoginFailure(context.db, attemptSource, context.now, context.lockout, audit);
    return false;
  }
  await context.db.$transaction((tx) => recordLoginSuccess(tx, attemptSource, context.now, context.lockout));
  return true;
}

/** The user's own password, checked as a sign-in is (same lock): 400 `wrong_password` when wrong. */
export async function requireOwnPassword(context: CheckContext, user: User, password: string): Promise<void> {
  const right = await throttledCheck(context, user, user.email, () => verifyPassword(user.passwordHash, password));
  // 400, not 401 or 403: the session and its role are fine, only this password is not.
  if (!right) throw badRequest('wrong_password', 'The password is wrong.');
}

/** 400 with the policy's code when a new password may not be used. */
export function requireGoodPassword(password: string, user: Pick<User, 'email' | 'name'>): void {
  const problem = passwordProblem(password, [user.email, user.name]);
  if (problem === 'password_too_short') throw badRequest(problem, 'The new password is too short: use at least 10 characters.');
  if (problem === 'password_too_long') throw badRequest(problem, 'The new password is too long.');
  if (problem === 'password_too_common') throw badRequest(problem, 'The new password is too easy to guess: use a longer phrase or more unusual words.');
}

/**
 * Changes the signed-in person's password: the current one must be right, the new one must pass
 * the policy. Every other session of theirs ends (their sockets close); the one that asked stays.
 */
export async function changeOwnPassword(
  context: CheckContext,
  input: { userId: string; sessionToken: string; currentPassword: string; newPassword: string },
): Promise<{ sessionsRevoked: number }> {
  const user = await context.db.user.findUniqueOrThrow({ where: { id: input.userId } });
  await requireOwnPassword(context, user, input.currentPassword);
  requireGoodPassword(input.newPassword, user);
  if (await verifyPassword(user.passwordHash, input.newPassword)) throw badRequest('password_unchanged', 'The new password is the current one.');
  const passwordHash = await hashPassword(input.newPassword);
  return context.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const sessionsRevoked = await revokeUserSessions(tx, user.id, { exceptKey: sessionKeyOf(input.sessionToken) });
    await appendEvent(tx, {
      type: 'user.password_changed',
      actorKind: 'agent',
      actorId: user.id,
      internal: true,
      payload: { ...memberRefOf(user), ip: context.ip, sessionsRevoked },
    });
    return { sessionsRevoked };
  });
}

/** The person's sessions in force, the one asking marked `current`. */
export async function listOwnSessions(db: Db, userId: string, sessionToken: string, now: Date) {
  const currentKey = sessionKeyOf(sessionToken);
  return (await listLiveSessions(db, userId, now)).map((session) => ({
    id: session.id,
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    userAgent: session.userAgent,
    ip: session.ip,
    current: session.tokenHash === currentKey,
  }));
}

/**
 * Ends one of the person's own sessions (`sessionId`), or all but the one asking (`others`); the
 * sockets of each close at once. 404 for a session that is not theirs or no longer in force.
 */
export async function revokeOwnSessions(
  context: Pick<CheckContext, 'db' | 'ip'>,
  input: { userId: string; sessionToken: string; which: { sessionId: string } | 'others' },
): Promise<number> {
  const user = await context.db.user.findUniqueOrThrow({ where: { id: input.userId } });
  const which = input.which === 'others' ? { exceptKey: sessionKeyOf(input.sessionToken) } : { sessionId: input.which.sessionId };
  const revoked = await revokeUserSessions(context.db, user.id, which, async (tx, count) => {
    if (count === 0) return;
    await appendEvent(tx, {
      type: 'user.sessions_revoked',
      actorKind: 'agent',
      actorId: user.id,
      internal: true,
      payload: { ...memberRefOf(user), ip: context.ip, which: input.which === 'others' ? 'others' : 'one', sessionsRevoked: count },
    });
  });
  if (input.which !== 'others' && revoked === 0) throw notFound('The session');
  return revoked;
}

/** Saves the person's console language, so it follows them to another browser. */
export async function setOwnLocale(db: Db, userId: string, locale: string): Promise<User> {
  return db.user.update({ where: { id: userId }, data: { locale } });
}

/** The console theme the person chose (kept with the account so it follows them to another browser); null before any choice. */
export async function ownTheme(db: Db, userId: string): Promise<ThemeChoice | null> {
  const { theme } = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { theme: true } });
  return isThemeChoice(theme) ? theme : null;
}

export async function setOwnTheme(db: Db, userId: string, theme: ThemeChoice): Promise<ThemeChoice> {
  await db.user.update({ where: { id: userId }, data: { theme } });
  return theme;
}
