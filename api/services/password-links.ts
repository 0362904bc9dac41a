// Using a one-time link (infra/auth/one-time-links.ts): an invitation creates the account, a reset
// link replaces the password and signs the person out everywhere else, the setup link creates the
// first admin while no user exists. The link is claimed in the transaction that sets the password
// (a conditional update: of two concurrent uses one wins, the other finds it used), the password
// is checked against the policy before anything is claimed, and the person is signed in.
import type { PasswordLinkView } from '../../contract/team-members.js';
import type { UsePasswordLinkInput } from '../../contract/requests/team-members.js';
import type { PasswordSetVia } from '../../contract/events.js';
import { hashLinkToken, linkKindOf } from '../../infra/auth/one-time-links.js';
import { passwordProblem } from '../../infra/auth/password-policy.js';
import { hashPassword } from '../../infra/auth/passwords.js';
import { createSession, revokeUserSessions, type SessionOrigin } from '../../infra/auth/sessions.js';
import type { Db, Tx } from '../../infra/db.js';
import { appendEvent } from '../../infra/event-log.js';
import type { User } from '../../prisma/generated/client.js';
import { HttpError, badRequest, conflict } from '../http-error.js';
import { recordAuthEvent } from './audit-service.js';

const invalid = () =>
  new HttpError(404, 'link_invalid', 'This link is not valid: it may have been replaced by a newer one or revoked. Ask an admin for a new one.');
const expired = () => new HttpError(410, 'link_expired', 'This link has expired. Ask an admin for a new one.');
const used = () => new HttpError(410, 'link_used', 'This link has been used already. Sign in, or ask an admin for a new one.');

interface LinkState {
  expiresAt: Date;
  usedAt: Date | null;
}

function refuseUnusable(link: LinkState | null, now: Date): asserts link is LinkState {
  if (!link) throw invalid();
  if (link.usedAt) throw used();
  if (link.expiresAt.getTime() <= now.getTime()) throw expired();
}

/** What the link is for and whom, so the page can greet the person; 404/410 when it cannot be used. */
export async function inspectPasswordLink(db: Db, token: string, now: Date = new Date()): Promise<PasswordLinkView> {
  const tokenHash = hashLinkToken(token);
  const kind = linkKindOf(token);
  if (kind === 'invite') {
    const row = await db.userInvitation.findUnique({ where: { tokenHash } });
    if (row?.revokedAt) throw invalid();
    refuseUnusable(row && { expiresAt: row.expiresAt, usedAt: row.acceptedAt }, now);
    return { purpose: 'invite', email: row!.email, name: row!.name, expiresAt: row!.expiresAt.toISOString() };
  }
  const row = await db.passwordLink.findUnique({ where: { tokenHash } });
  if (!row || row.purpose !== kind) throw invalid();
  refuseUnusable(row, now);
  if (row.purpose === 'setup') {
    if (await db.user.count()) throw used();
    return { purpose: 'setup', email: null, name: null, expiresAt: row.expiresAt.toISOString() };
  }
  const user = await db.user.findUnique({ where: { id: row.userId! } });
  if (!user || user.deletedAt) throw invalid();
  return { purpose: 'reset', email: user.email, name: user.name, expiresAt: row.expiresAt.toISOString() };
}

/** 400 with the policy's code (`password_too_short`, `password_too_common`…) when the password may not be used. */
function requireGoodPassword(password: string, personal: string[]): void {
  const problem = passwordProblem(password, personal);
  if (problem) throw badRequest(problem, policyMessages[problem], [{ path: 'password', message: policyMessages[problem] }]);
}

const policyMessages = {
  password_too_short: 'The password must be at least 10 characters long.',
  password_too_long: 'The password must be at most 1024 characters long.',
  password_too_common: 'This password is too easy to guess: use a longer phrase, not built from your name or email.',
} as const;

/**
 * Sets the password the link allows and signs the person in. The returned user is who signed in;
 * the session's token is theirs. 404 `link_invalid`, 410 `link_expired` / `link_used`, 400 with the
 * policy's code, 409 `email_taken` (an account took the invited email meanwhile) or `setup_done`.
 */
export async function usePasswordLink(
  db: Db,
  input: UsePasswordLinkInput,
  origin: SessionOrigin & { ip: string },
  now: Date = new Date(),
): Promise<{ user: User; session: { token: string; expiresAt: Date } }> {
  const kind = linkKindOf(input.token);
  const tokenHash = hashLinkToken(input.token);
  if (kind === 'invite') return acceptInvitation(db, tokenHash, input, origin, now);
  if (kind === 'setup') return createFirstAdmin(db, tokenHash, input, origin, now);
  return resetPassword(db, tokenHash, input, origin, now);
}

async function acceptInvitation(db: Db, tokenHash: string, input: UsePasswordLinkInput, origin: SessionOrigin & { ip: string }, now: Date) {
  const invitation = await db.userInvitation.findUnique({ where: { tokenHash } });
  if (invitation?.revokedAt) throw invalid();
  refuseUnusable(invitation && { expiresAt: invitation.expiresAt, usedAt: invitation.acceptedAt }, now);
  requireGoodPassword(input.password, [invitation!.email, invitation!.name]);
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const claimed = await tx.userInvitation.updateMany({
      where: { id: invitation!.id, tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (claimed.count === 0) throw used();
    const { email, name, role, tier, skills, capacity } = invitation!;
    if (await tx.user.findUnique({ where: { email }, select: { id: true } }))
      throw conflict('email_taken', 'An account with this email exists already: sign in.');
    // A team deleted since the invitation: the person joins with no team.
    const teamId = invitation!.teamId && (await tx.team.findUnique({ where: { id: invitation!.teamId }, select: { id: true } })) ? invitation!.teamId : null;
    const user = await tx.user.create({ data: { email, name, role, tier, skills, capacity, teamId, passwordHash } });
    await tx.userInvitation.update({ where: { id: invitation!.id }, data: { userId: user.id } });
    await appendEvent(tx, {
      type: 'user.activated',
      actorKind: 'agent',
      actorId: user.id,
      internal: true,
      payload: { userId: user.id, email, name, invitationId: invitation!.id, role },
    });
    return signIn(tx, user, 'invite', 0, origin);
  });
}

async function resetPassword(db: Db, tokenHash: string, input: UsePasswordLinkInput, origin: SessionOrigin & { ip: string }, now: Date) {
  const link = await db.passwordLink.findUnique({ where: { tokenHash } });
  if (!link || link.purpose !== 'reset' || !link.userId) throw invalid();
  refuseUnusable(link, now);
  const user = await db.user.findUnique({ where: { id: link.userId } });
  if (!user || user.deletedAt) throw invalid();
  if (user.deactivatedAt) throw new HttpError(403, 'account_deactivated', 'This account has been deactivated: ask an admin to reactivate it.');
  requireGoodPassword(input.password, [user.email, user.name]);
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const claimed = await tx.passwordLink.updateMany({ where: { id: link.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count === 0) throw used();
    const after = await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    // Whoever knew the old password is out: every other session ends (sockets close on commit).
    const revoked = await revokeUserSessions(tx, user.id);
    return signIn(tx, after, 'reset', revoked, origin);
  });
}

async function createFirstAdmin(db: Db, tokenHash: string, input: UsePasswordLinkInput, origin: SessionOrigin & { ip: string }, now: Date) {
  const link = await db.passwordLink.findUnique({ where: { tokenHash } });
  if (!link || link.purpose !== 'setup') throw invalid();
  refuseUnusable(link, now);
  if (!input.email || !input.name) {
    throw badRequest('invalid_input', 'The first admin needs an email and a name.', [
      ...(input.email ? [] : [{ path: 'email', message: 'Required' }]),
      ...(input.name ? [] : [{ path: 'name', message: 'Required' }]),
    ]);
  }
  requireGoodPassword(input.password, [input.email, input.name]);
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    // Two setup links used at once (two API processes each printed one) make one admin.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('seamless:first-admin'))`;
    const claimed = await tx.passwordLink.updateMany({ where: { id: link.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count === 0) throw used();
    if (await tx.user.count()) throw conflict('setup_done', 'The first admin exists already: sign in.');
    await tx.passwordLink.updateMany({ where: { purpose: 'setup', usedAt: null }, data: { usedAt: now } });
    const user = await tx.user.create({ data: { email: input.email!, name: input.name!, passwordHash, role: 'admin', tier: 'expert' } });
    await appendEvent(tx, {
      type: 'user.activated',
      actorKind: 'agent',
      actorId: user.id,
      internal: true,
      payload: { userId: user.id, email: user.email, name: user.name, invitationId: null, role: 'admin' },
    });
    return signIn(tx, user, 'setup', 0, origin);
  });
}

/** The password is set: audited, and the person signed in (a session, `auth.signed_in`). */
async function signIn(tx: Tx, user: User, via: PasswordSetVia, sessionsRevoked: number, origin: SessionOrigin & { ip: string }) {
  await appendEvent(tx, {
    type: 'user.password_set',
    actorKind: 'agent',
    actorId: user.id,
    internal: true,
    payload: { userId: user.id, email: user.email, name: user.name, via, sessionsRevoked },
  });
  await recordAuthEvent(tx, { type: 'auth.signed_in', userId: user.id, email: user.email, ip: origin.ip });
  const session = await createSession(tx, user.id, origin);
  return { user, session };
}
