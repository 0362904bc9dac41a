// The team an admin runs: invitations (a one-time link; the person sets their own password),
// deactivation and reactivation, deletion, reset links and signing someone out everywhere. Each
// change and its audit event (user.*) commit together; sessions revoked here NOTIFY every API
// process, which closes their sockets at once (infra/auth/sessions.ts); conversations the person
// held go back to routing through the outbox (conversation_requeue), so a Temporal outage delays
// the re-route but never loses it.
//
// Deleting: the account is deactivated for good and its login anonymised — the email becomes
// `deleted-<id>@deleted.invalid` (freed: the address may be invited again as a new person) and the
// password hash is emptied (no password matches it) — while the row stays, so the messages,
// conversations, tickets and events it authored keep naming the person.
import type { InvitationView, LinkDelivery, TeamMemberView, TeamMembersView } from '../../contract/team-members.js';
import type { InvitationInput } from '../../contract/requests/team-members.js';
import type { TeamMemberRef } from '../../contract/events.js';
import { seatHoldingStatuses } from '../../domain/conversation-lifecycle.js';
import { eventTypes } from '../../domain/events.js';
import { newLinkToken, setPasswordUrl } from '../../infra/auth/one-time-links.js';
import { revokeUserSessions } from '../../infra/auth/sessions.js';
import type { Db, Tx } from '../../infra/db.js';
import type { OutgoingEmail } from '../../infra/email/mailer.js';
import { appendEvent } from '../../infra/event-log.js';
import type { User, UserInvitation } from '../../prisma/generated/client.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, conflict, notFound } from '../http-error.js';
import { workflowGateway, type WorkflowIntent } from './workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay' | 'mailer'>;

/** The domain a deleted account's email is moved to (RFC 2606: never deliverable). */
const deletedEmailDomain = 'deleted.invalid';

export const toTeamMemberView = (user: User): TeamMemberView => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  tier: user.tier,
  skills: user.skills,
  teamId: user.teamId,
  capacity: user.capacity,
  presence: user.presence,
  status: user.deactivatedAt ? 'deactivated' : 'active',
  twoFactorEnabled: user.twoFactorEnabledAt !== null,
  deactivatedAt: user.deactivatedAt?.toISOString() ?? null,
  createdAt: user.createdAt.toISOString(),
});

export const toInvitationView = (row: UserInvitation, now: Date = new Date()): InvitationView => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  tier: row.tier,
  skills: row.skills,
  teamId: row.teamId,
  capacity: row.capacity,
  invitedById: row.invitedById,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  expired: row.expiresAt.getTime() <= now.getTime(),
});

const refOf = (user: Pick<User, 'id' | 'email' | 'name'>): TeamMemberRef => ({ userId: user.id, email: user.email, name: user.name });

/** An invitation still waiting for its person (neither accepted nor revoked; expired ones included, to resend). */
const pending = { acceptedAt: null, revokedAt: null } as const;

/** Members (deleted accounts left out) and pending invitations, by name. */
export async function listTeamMembers(db: Db): Promise<TeamMembersView> {
  const [users, invitations] = await Promise.all([
    db.user.findMany({ where: { deletedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    db.userInvitation.findMany({ where: pending, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] }),
  ]);
  const now = new Date();
  return { members: users.map(toTeamMemberView), invitations: invitations.map((row) => toInvitationView(row, now)) };
}

// ---- Invitations ----

/**
 * Invites a person: 409 `email_taken` when an account has the email, `already_invited` when an
 * invitation waits for it (resend that one). The link is mailed when the API can send mail; else
 * (or when the mail fails) the answer carries it for the admin to pass on.
 */
export async function inviteMember(
  deps: Deps,
  adminId: string,
  input: Required<Omit<InvitationInput, 'role' | 'tier'>> & Pick<User, 'role' | 'tier'>,
  baseUrl: string,
): Promise<{ invitation: InvitationView } & LinkDelivery> {
  const { token, tokenHash, expiresAt } = newLinkToken('invite');
  const invitation = await deps.db.$transaction(async (tx) => {
    // One invitation at a time per email: concurrent invites of one address queue here.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`invite:${input.email}`}))`;
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
      throw conflict('email_taken', 'A team member already signs in with this email.');
    }
    if (await tx.userInvitation.findFirst({ where: { email: input.email, ...pending }, select: { id: true } })) {
      throw conflict('already_invited', 'This email has an invitation waiting: resend or revoke it.');
    }
    if (input.teamId && !(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } }))) {
      throw badRequest('unknown_team', 'That team does not exist.');
    }
    const row = await tx.userInvitation.create({ data: { ...input, tokenHash, expiresAt, invitedById: adminId } });
    return row;
  });
  const delivery = await deliverLink(deps, invitationMail(invitation, setPasswordUrl(baseUrl, token)), setPasswordUrl(baseUrl, token), expiresAt);
  await deps.db.$transaction((tx) =>
    appendEvent(tx, {
      type: 'user.invited',
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { invitationId: invitation.id, email: invitation.email, name: invitation.name, role: invitation.role, emailed: delivery.emailed },
    }),
  );
  return { invitation: toInvitationView(invitation), ...delivery };
}

/** A new link for a pending invitation (the old one stops working) and a new expiry. */
export async function resendInvitation(deps: Deps, adminId: string, id: string, baseUrl: string): Promise<{ invitation: InvitationView } & LinkDelivery> {
  const { token, tokenHash, expiresAt } = newLinkToken('invite');
  const updated = await deps.db.userInvitation.updateManyAndReturn({ where: { id, ...pending }, data: { tokenHash, expiresAt } });
  const invitation = updated[0];
  if (!invitation) throw notFound('Invitation');
  const link = setPasswordUrl(baseUrl, token);
  const delivery = await deliverLink(deps, invitationMail(invitation, link), link, expiresAt);
  await deps.db.$transaction((tx) =>
    appendEvent(tx, {
      type: 'user.invited',
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { invitationId: invitation.id, email: invitation.email, name: invitation.name, role: invitation.role, emailed: delivery.emailed, resent: true },
    }),
  );
  return { invitation: toInvitationView(invitation), ...delivery };
}

/** The link stops working at once. 404 for an invitation that is not pending (accepted, revoked, unknown). */
export async function revokeInvitation(db: Db, adminId: string, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const [invitation] = await tx.userInvitation.updateManyAndReturn({ where: { id, ...pending }, data: { revokedAt: new Date() } });
    if (!invitation) throw notFound('Invitation');
    await appendEvent(tx, {
      type: 'user.invite_revoked',
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { invitationId: invitation.id, email: invitation.email, name: invitation.name },
    });
  });
}

// ---- Deactivate, reactivate, delete ----

/**
 * Locks the member's row (and, for an admin, every active admin's, so two admins deactivating each
 * other at once cannot leave none) and refuses what would lock the team out: 409 `cannot_change_self`
 * for the caller's own account, `last_admin` for the last active admin.
 */
async function lockMember(tx: Tx, adminId: string, userId: string): Promise<User> {
  if (userId === adminId) throw conflict('cannot_change_self', 'You cannot deactivate or delete your own account.');
  await tx.$queryRaw`SELECT id FROM "User" WHERE role = 'admin' AND "deactivatedAt" IS NULL ORDER BY id FOR UPDATE`;
  await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId}::uuid FOR UPDATE`;
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user || user.deletedAt) throw notFound('Team member');
  if (user.role === 'admin' && !user.deactivatedAt) {
    const others = await tx.user.count({ where: { role: 'admin', deactivatedAt: null, id: { not: userId } } });
    if (others === 0) throw conflict('last_admin', 'This is the last active admin: make someone else an admin first.');
  }
  return user;
}

/**
 * Takes a member off duty, in the transaction: deactivated and offline, every session revoked (their
 * sockets close on commit), their open and snoozed conversations back to routing. Returns what was done.
 */
async function takeOffDuty(tx: Tx, user: User, outbox: ReturnType<ReturnType<typeof workflowGateway>['outbox']>, reason: string) {
  const now = new Date();
  const after = await tx.user.update({
    where: { id: user.id },
    data: { deactivatedAt: user.deactivatedAt ?? now, presence: 'offline', presenceChangedAt: now },
  });
  const intents: WorkflowIntent[] = [];
  if (user.presence !== 'offline') {
    await appendEvent(tx, {
      type: eventTypes.agentPresenceChanged,
      actorKind: 'agent',
      actorId: user.id,
      teamId: user.teamId,
      internal: true,
      payload: { userId: user.id, from: user.presence, to: 'offline' },
    });
    intents.push({ kind: 'agent_presence_changed', userId: user.id, presence: 'offline' });
  }
  const sessionsRevoked = await revokeUserSessions(tx, user.id);
  const held = await tx.conversation.findMany({ where: { assigneeId: user.id, status: { in: [...seatHoldingStatuses] } }, select: { id: true } });
  for (const { id } of held) intents.push({ kind: 'conversation_requeue', conversationId: id, fromAgentId: user.id, reason });
  if (intents.length) await outbox.write(tx, intents);
  return { after, sessionsRevoked, conversationsRerouted: held.length };
}

/** Deactivates a member: no sign-in, no session, no API key of theirs, conversations re-routed. Idempotent. */
export async function deactivateMember(deps: Deps, adminId: string, userId: string): Promise<TeamMemberView> {
  const outbox = workflowGateway(deps).outbox();
  const after = await deps.db.$transaction(async (tx) => {
    const user = await lockMember(tx, adminId, userId);
    if (user.deactivatedAt) return user;
    const done = await takeOffDuty(tx, user, outbox, `agent ${user.name} was deactivated`);
    await appendEvent(tx, {
      type: 'user.deactivated',
      actorKind: 'agent',
      actorId: adminId,
      teamId: null,
      internal: true,
      payload: { ...refOf(user), sessionsRevoked: done.sessionsRevoked, conversationsRerouted: done.conversationsRerouted },
    });
    return done.after;
  });
  await outbox.deliver();
  return toTeamMemberView(after);
}

/** The member may sign in again (with their password; they come online when they do). Idempotent. */
export async function reactivateMember(db: Db, adminId: string, userId: string): Promise<TeamMemberView> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user || user.deletedAt) throw notFound('Team member');
    if (!user.deactivatedAt) return toTeamMemberView(user);
    const after = await tx.user.update({ where: { id: userId }, data: { deactivatedAt: null } });
    await appendEvent(tx, { type: 'user.reactivated', actorKind: 'agent', actorId: adminId, internal: true, payload: refOf(user) });
    return toTeamMemberView(after);
  });
}

/** Deactivates for good and anonymises the login (see the top of this file). 404 once deleted. */
export async function deleteMember(deps: Deps, adminId: string, userId: string): Promise<void> {
  const outbox = workflowGateway(deps).outbox();
  await deps.db.$transaction(async (tx) => {
    const user = await lockMember(tx, adminId, userId);
    const done = await takeOffDuty(tx, user, outbox, `agent ${user.name} was deleted`);
    await tx.user.update({
      where: { id: userId },
      data: { deletedAt: new Date(), email: `deleted-${user.id}@${deletedEmailDomain}`, passwordHash: '', twoFactorSecret: null, twoFactorEnabledAt: null },
    });
    await tx.passwordLink.updateMany({ where: { userId, usedAt: null }, data: { usedAt: new Date() } });
    await appendEvent(tx, {
      type: 'user.deleted',
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { ...refOf(user), sessionsRevoked: done.sessionsRevoked, conversationsRerouted: done.conversationsRerouted },
    });
  });
  await outbox.deliver();
}

// ---- Reset links, signing out ----

/** A one-hour reset link for a member (earlier unused ones stop working); mailed, or given to the admin. */
export async function createResetLink(deps: Deps, adminId: string, userId: string, baseUrl: string): Promise<LinkDelivery> {
  const { token, tokenHash, expiresAt } = newLinkToken('reset');
  const user = await deps.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user || user.deletedAt) throw notFound('Team member');
    if (user.deactivatedAt) throw conflict('account_deactivated', 'This account is deactivated: reactivate it first.');
    await tx.passwordLink.updateMany({ where: { userId, purpose: 'reset', usedAt: null }, data: { usedAt: new Date() } });
    await tx.passwordLink.create({ data: { purpose: 'reset', userId, tokenHash, expiresAt, createdById: adminId } });
    return user;
  });
  const link = setPasswordUrl(baseUrl, token);
  const delivery = await deliverLink(deps, resetMail(user, link), link, expiresAt);
  await deps.db.$transaction((tx) =>
    appendEvent(tx, {
      type: 'user.password_reset_requested',
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { ...refOf(user), emailed: delivery.emailed },
    }),
  );
  return delivery;
}

/** Revokes every session of the member; their sockets close at once. */
export async function signOutEverywhere(db: Db, adminId: string, userId: string): Promise<{ sessionsRevoked: number }> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user || user.deletedAt) throw notFound('Team member');
    const sessionsRevoked = await revokeUserSessions(tx, userId);
    await appendEvent(tx, {
      type: 'user.signed_out_everywhere',
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { ...refOf(user), sessionsRevoked },
    });
    return { sessionsRevoked };
  });
}

// ---- Mail ----

/** Sends the mail; when it cannot (no SMTP configured, or SMTP refused), the admin gets the link instead. */
async function deliverLink(deps: Deps, mail: OutgoingEmail, link: string, expiresAt: Date): Promise<LinkDelivery> {
  const base = { expiresAt: expiresAt.toISOString() };
  if (!deps.mailer) return { ...base, emailed: false, link };
  try {
    const result = await deps.mailer.send(mail);
    return result.sent ? { ...base, emailed: true, link: null } : { ...base, emailed: false, link };
  } catch (error) {
    deps.log('could not mail a team link', error);
    return { ...base, emailed: false, link, mailError: error instanceof Error ? error.message.slice(0, 300) : String(error) };
  }
}

// The person's language is not known yet: each mail says it in English and in Chinese.
function invitationMail(invitation: Pick<UserInvitation, 'email' | 'name' | 'expiresAt'>, link: string): OutgoingEmail {
  const until = invitation.expiresAt.toISOString().slice(0, 16).replace('T', ' ');
  return {
    to: [invitation.email],
    subject: 'You are invited to Seamless / 邀请您加入 Seamless',
    text: [
      `Hello ${invitation.name},`,
      '',
      'You have been invited to join the team on Seamless. Open this link to choose your password and sign in:',
      link,
      `The link works once, until ${until} UTC.`,
      '',
      `${invitation.name}，您好：`,
      '',
      '您已被邀请加入 Seamless 团队。请打开以下链接设置密码并登录：',
      link,
      `该链接仅可使用一次，有效期至 ${until}（UTC）。`,
    ].join('\n'),
  };
}

function resetMail(user: Pick<User, 'email' | 'name'>, link: string): OutgoingEmail {
  return {
    to: [user.email],
    subject: 'Set a new Seamless password / 设置新的 Seamless 密码',
    text: [
      `Hello ${user.name},`,
      '',
      'An admin made a link for you to set a new password. It works once, within an hour:',
      link,
      'Setting a password signs you out of your other sessions.',
      '',
      `${user.name}，您好：`,
      '',
      '管理员为您创建了设置新密码的链接，仅可使用一次，一小时内有效：',
      link,
      '设置密码后，您在其他设备上的会话将全部退出。',
    ].join('\n'),
  };
}
