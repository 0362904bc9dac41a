// An email channel's IMAP settings in-process (test/support/in-process-api.ts, fake Temporal) and
// its "test connection" against a real Dovecot (test/support/dovecot.ts): validation, admins only,
// the password sealed and never answered, the poller told through the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../test/support/dovecot.js';
import { signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let dovecot: DovecotServer;
let tokens: { admin: string; agent: string };
let email: { id: string };
let webChat: { id: string };

beforeAll(async () => {
  [api, dovecot] = await Promise.all([startInProcessApi({ outboundAllowedHosts: ['127.0.0.1'] }), startDovecot({ password: 'imap-Secret-Passw0rd' })]);
  tokens = await signIn(api, 'admin', 'agent');
  const { channels } = (await api.request('GET', '/api/channels', { token: tokens.admin })).body as { channels: { id: string; kind: string }[] };
  email = channels.find((channel) => channel.kind === 'email')!;
  webChat = channels.find((channel) => channel.kind === 'web_chat')!;
});
afterAll(async () => {
  await api?.stop();
  await dovecot?.stop();
});

const settings = (changes: Record<string, unknown> = {}) => ({
  host: dovecot.host,
  port: dovecot.port,
  tls: 'none',
  username: dovecot.user,
  password: dovecot.password,
  ...changes,
});

describe('PUT /api/channels/:id/imap', () => {
  it('refuses bad input with each problem named, storing nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [settings({ host: 'imap://mail.example.com' }), 'host'],
      [settings({ port: 70000 }), 'port'],
      [settings({ tls: 'ssl' }), 'tls'],
      [settings({ username: '' }), 'username'],
      [settings({ pollIntervalSeconds: 1 }), 'pollIntervalSeconds'],
      [settings({ importDays: -1 }), 'importDays'],
      [settings({ importDays: 366 }), 'importDays'],
      [settings({ importDays: 1.5 }), 'importDays'],
      [settings({ mailbox: 'In\nbox' }), 'mailbox'],
      [settings({ extra: true }), ''],
      [settings({ password: undefined }), 'password'], // required the first time
      // The outbound guard (OUTBOUND_ALLOWED_HOSTS names only 127.0.0.1 here).
      [settings({ host: '10.0.0.5' }), 'host'],
      [settings({ host: 'localhost' }), 'host'],
      [settings({ host: '93.184.215.14', tls: 'none' }), 'tls'],
    ];
    for (const [body, path] of cases) {
      const answer = await api.request('PUT', `/api/channels/${email.id}/imap`, { token: tokens.admin, body });
      expect(answer, JSON.stringify(body)).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_input', details: [expect.objectContaining({ path })] } },
      });
    }
    expect(await api.db.imapMailbox.count()).toBe(0);
    expect(await api.request('PUT', `/api/channels/${webChat.id}/imap`, { token: tokens.admin, body: settings() })).toMatchObject({
      status: 409,
      body: { error: { code: 'not_an_email_channel' } },
    });
    expect(await api.request('PUT', `/api/channels/00000000-0000-4000-8000-000000000000/imap`, { token: tokens.admin, body: settings() })).toMatchObject({
      status: 404,
    });
  });

  it('stores the settings with the password sealed, answers passwordSet, and starts the poller through the outbox', async () => {
    const saved = await api.request('PUT', `/api/channels/${email.id}/imap`, { token: tokens.admin, body: settings({ pollIntervalSeconds: 30 }) });
    expect(saved).toMatchObject({
      status: 200,
      body: {
        imap: {
          host: dovecot.host,
          port: dovecot.port,
          tls: 'none',
          username: dovecot.user,
          passwordSet: true,
          mailbox: 'INBOX',
          enabled: true,
          pollIntervalSeconds: 30,
          importDays: 3,
          health: { status: 'pending', lastPolledAt: null, lastError: null },
        },
      },
    });
    const row = await api.db.imapMailbox.findUniqueOrThrow({ where: { channelId: email.id } });
    expect(Buffer.from(row.passwordSealed).includes(dovecot.password)).toBe(false);
    const start = await api.temporal.waitForCall((call) => call.workflowId === `mailbox-${email.id}`);
    expect(start).toMatchObject({ kind: 'signalWithStart', name: 'mailboxWorkflow', args: ['mailboxChanged', { enabled: true }] });
  });

  it('keeps the stored password when none is sent, and tells the poller when polling is switched off', async () => {
    api.temporal.reset();
    const before = await api.db.imapMailbox.findUniqueOrThrow({ where: { channelId: email.id } });
    const off = await api.request('PUT', `/api/channels/${email.id}/imap`, { token: tokens.admin, body: settings({ password: undefined, enabled: false }) });
    expect(off).toMatchObject({ status: 200, body: { imap: { enabled: false, passwordSet: true, health: { status: 'off' } } } });
    const after = await api.db.imapMailbox.findUniqueOrThrow({ where: { channelId: email.id } });
    expect(Buffer.from(after.passwordSealed).equals(Buffer.from(before.passwordSealed))).toBe(true);
    const told = await api.temporal.waitForCall((call) => call.workflowId === `mailbox-${email.id}`);
    expect(told).toMatchObject({ kind: 'signal', name: 'mailboxChanged', args: [{ enabled: false }] });
    await api.request('PUT', `/api/channels/${email.id}/imap`, { token: tokens.admin, body: settings() });
  });

  it('tells the poller when the channel itself is switched off and on', async () => {
    api.temporal.reset();
    expect(await api.request('PATCH', `/api/channels/${email.id}`, { token: tokens.admin, body: { enabled: false } })).toMatchObject({ status: 200 });
    expect(await api.temporal.waitForCall((call) => call.workflowId === `mailbox-${email.id}`)).toMatchObject({ kind: 'signal', args: [{ enabled: false }] });
    api.temporal.reset();
    expect(await api.request('PATCH', `/api/channels/${email.id}`, { token: tokens.admin, body: { enabled: true } })).toMatchObject({
      status: 200,
      body: { channel: { imap: { enabled: true, passwordSet: true } } },
    });
    expect(await api.temporal.waitForCall((call) => call.workflowId === `mailbox-${email.id}`)).toMatchObject({
      kind: 'signalWithStart',
      args: ['mailboxChanged', { enabled: true }],
    });
  });

  it('never answers the password: not in the settings, the channel list, nor the audit log', async () => {
    const answers = [
      await api.request('GET', `/api/channels/${email.id}/imap`, { token: tokens.admin }),
      await api.request('GET', '/api/channels', { token: tokens.admin }),
      await api.request('GET', '/api/audit-events?type=channel.updated', { token: tokens.admin }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).not.toContain(dovecot.password);
    }
    const [settingsAnswer, list, audit] = answers.map((answer) => answer.body);
    expect(settingsAnswer).toMatchObject({ imap: { passwordSet: true } });
    expect(list.channels.find((channel: { id: string }) => channel.id === email.id)).toMatchObject({ imap: { passwordSet: true, host: dovecot.host } });
    expect(list.channels.find((channel: { id: string }) => channel.id === webChat.id)).toMatchObject({ imap: null });
    expect(JSON.stringify(audit)).toContain('passwordChanged');
  });

  it('is for admins only', async () => {
    expect(await api.request('GET', `/api/channels/${email.id}/imap`, { token: tokens.agent })).toMatchObject({ status: 403 });
    expect(await api.request('PUT', `/api/channels/${email.id}/imap`, { token: tokens.agent, body: settings() })).toMatchObject({ status: 403 });
    expect(await api.request('POST', `/api/channels/${email.id}/imap/test`, { token: tokens.agent, body: {} })).toMatchObject({ status: 403 });
    expect(await api.request('PUT', `/api/channels/${email.id}/imap`, { body: settings() })).toMatchObject({ status: 401 });
  });
});

describe('POST /api/channels/:id/imap/test', () => {
  it('logs in with the stored settings and answers ok with the mailbox', async () => {
    expect(await api.request('POST', `/api/channels/${email.id}/imap/test`, { token: tokens.admin, body: {} })).toMatchObject({
      status: 200,
      body: { ok: true, mailbox: { path: 'INBOX', messages: 0 } },
    });
  });

  it('says "authentication failed" for a wrong password, and names a host that does not answer, saving nothing', async () => {
    const before = await api.db.imapMailbox.findUniqueOrThrow({ where: { channelId: email.id } });
    const wrong = await api.request('POST', `/api/channels/${email.id}/imap/test`, { token: tokens.admin, body: { password: 'wrong-password' } });
    expect(wrong).toMatchObject({ status: 200, body: { ok: false, code: 'auth_failed', message: expect.stringMatching(/^Authentication failed/) } });
    expect(JSON.stringify(wrong.body)).not.toContain('wrong-password');
    const closed = await api.request('POST', `/api/channels/${email.id}/imap/test`, { token: tokens.admin, body: { host: '127.0.0.1', port: 1 } });
    expect(closed).toMatchObject({ status: 200, body: { ok: false, code: 'connect_failed' } });
    expect(await api.db.imapMailbox.findUniqueOrThrow({ where: { channelId: email.id } })).toEqual(before);
  });
});
