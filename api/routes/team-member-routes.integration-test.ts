// The team an admin runs, in-process (test/support/in-process-api.ts, fake Temporal): invitations
// and their one-time links, reset links, deactivation and deletion with what they refuse, signing
// someone out everywhere, and the audit trail of each. The full stack (sockets closing, the
// conversation routed to someone else) is test/team-deactivation.integration-test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../infra/auth/api-keys.js';
import { deactivateMember } from '../services/team-members.js';
import type { OutgoingEmail } from '../../infra/email/mailer.js';
import { demoPassword } from '../../prisma/demo-data.js';
import { signIn, startCustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };
let adminId: string;
const mails: OutgoingEmail[] = [];
let mailerWorks = false;

const strongPassword = 'violet-harbour-tangerine-42';

beforeAll(async () => {
  // A mailer the test switches on and off: off, as without SMTP_URL, the admin gets the link.
  api = await startInProcessApi({
    mailer: {
      send: async (mail) => {
        if (!mailerWorks) return { sent: false, reason: 'not_configured' };
        mails.push(mail);
        return { sent: true, messageId: '<test@seamless.local>' };
      },
    },
  });
  tokens = await signIn(api, 'admin', 'agent');
  adminId = (await api.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } })).id;
});
afterAll(() => api?.stop());

const tokenOf = (link: string) => new URL(link.replace('/#/', '/')).searchParams.get('token')!;
const usesLink = (token: string, body: Record<string, unknown> = {}) =>
  api.request('POST', '/api/auth/password-link/use', { body: { token, password: strongPassword, ...body } });
const audit = async (type: string) => (await api.db.event.findMany({ where: { type }, orderBy: { id: 'asc' } })).map((event) => event.payload);

async function invite(email: string, extra: Record<string, unknown> = {}) {
  const answer = await api.request('POST', '/api/team-members/invitations', { token: tokens.admin, body: { email, name: 'Mei Lin', ...extra } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { invitation: { id: string }; link: string | null; emailed: boolean };
}

describe('invitations', () => {
  it('invite → the link names the person → a weak password is refused with the policy’s code → set → signed in with the profile chosen', async () => {
    const team = await api.db.team.findFirstOrThrow({ where: { name: 'Specialists' } });
    const invited = await invite('Mei@Example.com', { role: 'agent', tier: 'expert', teamId: team.id, skills: ['refunds'], capacity: 3 });
    expect(invited).toMatchObject({ emailed: false, link: expect.stringMatching(/\/#\/set-password\?token=inv_/) });
    const token = tokenOf(invited.link!);
    // Only the hash is stored.
    expect(JSON.stringify(await api.db.userInvitation.findMany())).not.toContain(token);

    expect(await api.request('POST', '/api/auth/password-link', { body: { token } })).toMatchObject({
      status: 200,
      body: { link: { purpose: 'invite', email: 'mei@example.com', name: 'Mei Lin' } },
    });
    expect(await usesLink(token, { password: 'short' })).toMatchObject({ status: 400, body: { error: { code: 'password_too_short' } } });
    expect(await usesLink(token, { password: 'password123456' })).toMatchObject({ status: 400, body: { error: { code: 'password_too_common' } } });
    expect(await api.db.user.count({ where: { email: 'mei@example.com' } })).toBe(0);

    const used = await usesLink(token);
    expect(used).toMatchObject({
      status: 200,
      body: { token: expect.stringMatching(/^sst_/), user: { email: 'mei@example.com', role: 'agent', tier: 'expert' } },
    });
    const me = await api.request('GET', '/api/auth/me', { token: used.body.token });
    expect(me.body.user).toMatchObject({ email: 'mei@example.com', teamId: team.id, skills: ['refunds'], capacity: 3 });
    // Signing in with the password works too.
    expect((await api.request('POST', '/api/auth/login', { body: { email: 'mei@example.com', password: strongPassword } })).status).toBe(200);

    // Single use.
    expect(await usesLink(token)).toMatchObject({ status: 410, body: { error: { code: 'link_used' } } });
    expect(await api.request('POST', '/api/auth/password-link', { body: { token } })).toMatchObject({ status: 410 });
    expect(await audit('user.activated')).toEqual([expect.objectContaining({ email: 'mei@example.com', invitationId: invited.invitation.id })]);
    expect(await audit('user.password_set')).toEqual([expect.objectContaining({ email: 'mei@example.com', via: 'invite' })]);
  });

  it('an expired invitation link is refused, and a resend gives a new one (the old stops working)', async () => {
    const invited = await invite('late@example.com');
    await api.db.userInvitation.update({ where: { id: invited.invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const old = tokenOf(invited.link!);
    expect(await usesLink(old)).toMatchObject({ status: 410, body: { error: { code: 'link_expired' } } });
    const listed = await api.request('GET', '/api/team-members', { token: tokens.admin });
    expect(listed.body.invitations).toEqual(expect.arrayContaining([expect.objectContaining({ email: 'late@example.com', expired: true })]));

    const resent = await api.request('POST', `/api/team-members/invitations/${invited.invitation.id}/resend`, { token: tokens.admin });
    expect(resent).toMatchObject({ status: 200, body: { invitation: { expired: false }, link: expect.any(String) } });
    expect(await usesLink(old)).toMatchObject({ status: 404, body: { error: { code: 'link_invalid' } } });
    expect((await usesLink(tokenOf(resent.body.link))).status).toBe(200);
  });

  it('refuses an email that has an account (409), or an invitation waiting; a revoked link stops working', async () => {
    expect(
      await api.request('POST', '/api/team-members/invitations', { token: tokens.admin, body: { email: 'agent@seamless.local', name: 'Again' } }),
    ).toMatchObject({ status: 409, body: { error: { code: 'email_taken' } } });
    const invited = await invite('twice@example.com');
    expect(
      await api.request('POST', '/api/team-members/invitations', { token: tokens.admin, body: { email: 'twice@example.com', name: 'Twice' } }),
    ).toMatchObject({
      status: 409,
      body: { error: { code: 'already_invited' } },
    });
    expect(await api.request('DELETE', `/api/team-members/invitations/${invited.invitation.id}`, { token: tokens.admin })).toMatchObject({ status: 204 });
    expect(await usesLink(tokenOf(invited.link!))).toMatchObject({ status: 404, body: { error: { code: 'link_invalid' } } });
    expect(await api.request('DELETE', `/api/team-members/invitations/${invited.invitation.id}`, { token: tokens.admin })).toMatchObject({ status: 404 });
    expect(await audit('user.invite_revoked')).toEqual([expect.objectContaining({ email: 'twice@example.com' })]);
  });

  it('mails the link when the API can send mail, and then does not show it to the admin', async () => {
    mailerWorks = true;
    try {
      const invited = await invite('mailed@example.com');
      expect(invited).toMatchObject({ emailed: true, link: null });
      expect(mails.at(-1)).toMatchObject({ to: ['mailed@example.com'] });
      const link = mails.at(-1)!.text.match(/https?:\S+/)![0];
      expect((await api.request('POST', '/api/auth/password-link', { body: { token: tokenOf(link) } })).status).toBe(200);
    } finally {
      mailerWorks = false;
    }
  });
});

describe('reset links and signing out everywhere', () => {
  it('a reset link sets a new password once, signs the person out everywhere else, and lapses after an hour', async () => {
    const lina = await api.db.user.findUniqueOrThrow({ where: { email: 'lina@seamless.local' } });
    const elsewhere = await api.login('lina@seamless.local');
    const made = await api.request('POST', `/api/team-members/${lina.id}/reset-link`, { token: tokens.admin });
    expect(made).toMatchObject({ status: 200, body: { emailed: false, link: expect.stringContaining('token=rst_') } });
    const token = tokenOf(made.body.link);
    expect((await api.request('POST', '/api/auth/password-link', { body: { token } })).body.link).toMatchObject({
      purpose: 'reset',
      email: 'lina@seamless.local',
    });
    expect(await usesLink(token, { password: 'lina-seamless' })).toMatchObject({ status: 400, body: { error: { code: 'password_too_common' } } });

    const used = await usesLink(token);
    expect(used.status).toBe(200);
    expect((await api.request('GET', '/api/auth/me', { token: elsewhere })).status).toBe(401);
    expect((await api.request('GET', '/api/auth/me', { token: used.body.token })).status).toBe(200);
    expect((await api.request('POST', '/api/auth/login', { body: { email: 'lina@seamless.local', password: demoPassword } })).status).toBe(401);
    expect(await usesLink(token, { password: 'another-long-phrase-77' })).toMatchObject({ status: 410, body: { error: { code: 'link_used' } } });

    const second = await api.request('POST', `/api/team-members/${lina.id}/reset-link`, { token: tokens.admin });
    await api.db.passwordLink.updateMany({ where: { userId: lina.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await usesLink(tokenOf(second.body.link))).toMatchObject({ status: 410, body: { error: { code: 'link_expired' } } });
    expect(await audit('user.password_reset_requested')).toHaveLength(2);
  });

  it('signs another user out everywhere', async () => {
    const expert = await api.db.user.findUniqueOrThrow({ where: { email: 'expert@seamless.local' } });
    const [one, two] = [await api.login('expert@seamless.local'), await api.login('expert@seamless.local')];
    const answer = await api.request('POST', `/api/team-members/${expert.id}/sign-out-everywhere`, { token: tokens.admin });
    expect(answer).toMatchObject({ status: 200, body: { sessionsRevoked: 2 } });
    for (const token of [one, two]) expect((await api.request('GET', '/api/auth/me', { token })).status).toBe(401);
    expect(await audit('user.signed_out_everywhere')).toEqual([expect.objectContaining({ userId: expert.id, sessionsRevoked: 2 })]);
  });
});

describe('the links’ rate limit', () => {
  it('counts refused link uses per address with failed sign-ins, and answers 429 past the limit', async () => {
    const limited = await startInProcessApi({ security: { rateLimits: { login: { limit: 2, windowMs: 60_000 } } } });
    try {
      const guess = () => limited.request('POST', '/api/auth/password-link/use', { body: { token: `rst_${'D'.repeat(43)}`, password: strongPassword } });
      expect((await guess()).status).toBe(404);
      expect((await guess()).status).toBe(404);
      expect(await guess()).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
      expect((await limited.request('POST', '/api/auth/password-link', { body: { token: `inv_${'D'.repeat(43)}` } })).status).toBe(429);
    } finally {
      await limited.stop();
    }
  });
});

describe('deactivation and deletion', () => {
  it('deactivating revokes the sessions, refuses sign-in and the person’s API keys, and re-routes their conversations; reactivating lets them back in', async () => {
    const wang = await api.db.user.findUniqueOrThrow({ where: { email: 'wangwei@seamless.local' } });
    const session = await api.login('wangwei@seamless.local');
    const { key, keyHash, prefix } = generateApiKey();
    await api.db.apiKey.create({ data: { name: 'Wang’s sync', keyHash, prefix, scopes: ['tickets:read'], createdById: wang.id } });
    expect((await api.request('GET', '/api/tickets', { token: key })).status).toBe(200);
    // A conversation Wang holds (the fake Temporal runs no workflow: the test assigns it).
    const held = { id: (await startCustomerConversation(api)).conversationId };
    await api.db.conversation.update({ where: { id: held.id }, data: { assigneeId: wang.id, status: 'open' } });

    const answer = await api.request('POST', `/api/team-members/${wang.id}/deactivate`, { token: tokens.admin });
    expect(answer).toMatchObject({ status: 200, body: { member: { id: wang.id, status: 'deactivated', presence: 'offline' } } });
    expect((await api.request('GET', '/api/auth/me', { token: session })).status).toBe(401);
    expect((await api.request('GET', '/api/tickets', { token: key })).status).toBe(401);
    expect(await api.request('POST', '/api/auth/login', { body: { email: 'wangwei@seamless.local', password: demoPassword } })).toMatchObject({
      status: 403,
      body: { error: { code: 'account_deactivated' } },
    });
    // A wrong password still says nothing about the account.
    expect((await api.request('POST', '/api/auth/login', { body: { email: 'wangwei@seamless.local', password: 'not-the-password' } })).status).toBe(401);
    const requeue = await api.temporal.waitForCall((call) => call.name === 'requeue' && call.workflowId === `conversation-${held.id}`);
    expect(requeue.args).toEqual([expect.objectContaining({ fromAgentId: wang.id })]);
    expect(await audit('user.deactivated')).toEqual([expect.objectContaining({ userId: wang.id, sessionsRevoked: 1, conversationsRerouted: 1 })]);
    // Still in the team directory (names in history), marked inactive so no one offers them work.
    const directory = await api.request('GET', '/api/users', { token: tokens.agent });
    expect(directory.body.users.find((user: { id: string }) => user.id === wang.id)).toMatchObject({ name: wang.name, active: false });
    expect(
      (await api.request('GET', '/api/team-members', { token: tokens.admin })).body.members.find((member: { id: string }) => member.id === wang.id),
    ).toMatchObject({ status: 'deactivated' });

    expect(await api.request('POST', `/api/team-members/${wang.id}/reactivate`, { token: tokens.admin })).toMatchObject({
      status: 200,
      body: { member: { status: 'active' } },
    });
    expect((await api.request('POST', '/api/auth/login', { body: { email: 'wangwei@seamless.local', password: demoPassword } })).status).toBe(200);
    expect((await api.request('GET', '/api/tickets', { token: key })).status).toBe(200);
    expect(await audit('user.reactivated')).toHaveLength(1);
  });

  it('an admin cannot deactivate or delete themselves; two admins removing each other at once leave one (the last admin stays)', async () => {
    expect(await api.request('POST', `/api/team-members/${adminId}/deactivate`, { token: tokens.admin })).toMatchObject({
      status: 409,
      body: { error: { code: 'cannot_change_self' } },
    });
    expect(await api.request('DELETE', `/api/team-members/${adminId}`, { token: tokens.admin })).toMatchObject({ status: 409 });

    const invited = await invite('second-admin@example.com', { role: 'admin' });
    const second = await usesLink(tokenOf(invited.link!));
    const secondId = second.body.user.id as string;
    const [firstRemoves, secondRemoves] = await Promise.all([
      api.request('POST', `/api/team-members/${secondId}/deactivate`, { token: tokens.admin }),
      api.request('POST', `/api/team-members/${adminId}/deactivate`, { token: second.body.token }),
    ]);
    expect([firstRemoves.status, secondRemoves.status].filter((status) => status === 200)).toHaveLength(1);
    const active = await api.db.user.findMany({ where: { role: 'admin', deactivatedAt: null }, select: { id: true } });
    expect(active).toHaveLength(1);
    // The request of the one removed, had it got through authentication first, finds the other the last admin.
    const remaining = active[0]!.id;
    const removed = remaining === adminId ? secondId : adminId;
    const deps = { db: api.db, temporal: api.temporal.client, taskQueue: api.taskQueue, log: () => {} };
    await expect(deactivateMember(deps, removed, remaining)).rejects.toMatchObject({ status: 409, code: 'last_admin' });
    expect(await api.db.user.count({ where: { id: remaining, deactivatedAt: null } })).toBe(1);

    await api.db.user.update({ where: { id: adminId }, data: { deactivatedAt: null } });
    tokens.admin = await api.login('admin@seamless.local');
  });

  it('deleting keeps the history and the name, frees the email, and the login never works again', async () => {
    const invited = await invite('leaving@example.com');
    const leaving = await usesLink(tokenOf(invited.link!));
    const id = leaving.body.user.id as string;
    expect(await api.request('DELETE', `/api/team-members/${id}`, { token: tokens.admin })).toMatchObject({ status: 204 });
    const row = await api.db.user.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ name: 'Mei Lin', email: `deleted-${id}@deleted.invalid`, passwordHash: '' });
    expect(row.deletedAt).not.toBeNull();
    expect((await api.request('GET', '/api/auth/me', { token: leaving.body.token })).status).toBe(401);
    expect((await api.request('POST', '/api/auth/login', { body: { email: 'leaving@example.com', password: strongPassword } })).status).toBe(401);
    expect((await api.request('GET', '/api/team-members', { token: tokens.admin })).body.members.map((member: { id: string }) => member.id)).not.toContain(id);
    expect(await api.request('DELETE', `/api/team-members/${id}`, { token: tokens.admin })).toMatchObject({ status: 404 });
    expect(await api.request('POST', `/api/team-members/${id}/reactivate`, { token: tokens.admin })).toMatchObject({ status: 404 });
    expect(await audit('user.deleted')).toEqual([expect.objectContaining({ userId: id, email: 'leaving@example.com', name: 'Mei Lin' })]);
    // The email is free again: a new person may be invited with it.
    expect(
      (await api.request('POST', '/api/team-members/invitations', { token: tokens.admin, body: { email: 'leaving@example.com', name: 'New' } })).status,
    ).toBe(201);
  });

  it('is for admins only', async () => {
    const someone = await api.db.user.findUniqueOrThrow({ where: { email: 'lina@seamless.local' } });
    expect((await api.request('GET', '/api/team-members', { token: tokens.agent })).status).toBe(403);
    expect((await api.request('POST', `/api/team-members/${someone.id}/deactivate`, { token: tokens.agent })).status).toBe(403);
    expect((await api.request('POST', '/api/team-members/invitations', { token: tokens.agent, body: { email: 'x@example.com', name: 'X' } })).status).toBe(403);
    expect((await api.db.user.findUniqueOrThrow({ where: { id: someone.id } })).deactivatedAt).toBeNull();
  });
});
