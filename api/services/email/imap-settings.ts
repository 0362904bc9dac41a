// An email channel's IMAP polling as admins manage it (issue 17): the settings with the password
// sealed (infra/secrets/imap-passwords.ts) and never answered, the health the poller records, the
// "test connection", and the mailbox workflow (`mailbox-<channelId>`) told of every change through
// the workflow outbox, in the transaction of the change (started when polling is on).
import type { ImapHealthView, ImapSettingsView } from '../../../contract/views.js';
import type { ImapSettingsBody, ImapTestBody } from '../../../contract/requests/imap.js';
import type { Tx } from '../../../infra/db.js';
import { testImapAccount, type ImapTestResult } from '../../../infra/email/inbound/imap-connect.js';
import { outboundHostProblem, outboundPolicyOf } from '../../../infra/outbound/outbound-guard.js';
import { imapPasswordBox } from '../../../infra/secrets/imap-passwords.js';
import { SecretUnreadableError } from '../../../infra/secrets/secret-box.js';
import type { ImapMailbox } from '../../../prisma/generated/client.js';
import type { ApiDeps } from '../../deps.js';
import { badRequest, conflict, notFound } from '../../http-error.js';
import { recordAudit } from '../audit-service.js';
import { lockRowOrNotFound } from '../row-lock.js';
import { workflowGateway } from '../workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'relay' | 'secret' | 'outboundAllowedHosts'>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toImapHealthView(row: ImapMailbox): ImapHealthView {
  const failing = row.lastErrorAt !== null && (row.lastPolledAt === null || row.lastErrorAt > row.lastPolledAt);
  return {
    status: !row.enabled ? 'off' : failing ? 'failing' : row.lastPolledAt ? 'ok' : 'pending',
    lastPolledAt: iso(row.lastPolledAt),
    lastErrorCode: row.lastErrorCode,
    lastError: row.lastError,
    lastErrorAt: iso(row.lastErrorAt),
  };
}

/** The settings as admins read them: everything but the password, which is only said to be set. */
export function toImapSettingsView(row: ImapMailbox): ImapSettingsView {
  return {
    host: row.host,
    port: row.port,
    tls: row.tls,
    username: row.username,
    passwordSet: true,
    mailbox: row.mailbox,
    enabled: row.enabled,
    pollIntervalSeconds: row.pollIntervalSeconds,
    importDays: row.importDays,
    health: toImapHealthView(row),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The email channel, locked for the change; 404 unknown, 409 another kind. */
async function lockEmailChannel(tx: Tx, channelId: string) {
  await lockRowOrNotFound(tx, 'Channel', channelId, 'Channel');
  const channel = await tx.channel.findUniqueOrThrow({ where: { id: channelId }, include: { imapMailbox: true } });
  if (channel.kind !== 'email') throw conflict('not_an_email_channel', 'Only an email channel reads a mailbox over IMAP.');
  return channel;
}

export async function readImapSettings(deps: Pick<Deps, 'db'>, channelId: string): Promise<ImapSettingsView | null> {
  const channel = await deps.db.channel.findUnique({ where: { id: channelId }, include: { imapMailbox: true } });
  if (!channel) throw notFound('Channel');
  if (channel.kind !== 'email') throw conflict('not_an_email_channel', 'Only an email channel reads a mailbox over IMAP.');
  return channel.imapMailbox ? toImapSettingsView(channel.imapMailbox) : null;
}

/**
 * Replaces the channel's IMAP settings (the stored password kept when none is given), audited as
 * `channel.updated` with the IMAP views before and after (never the password; `passwordChanged`
 * says whether it was replaced), and tells the mailbox workflow in the same transaction: started
 * when polling is on, told to look again (and end, when it was switched off) otherwise.
 */
export async function saveImapSettings(deps: Deps, adminId: string, channelId: string, body: ImapSettingsBody): Promise<ImapSettingsView> {
  const box = imapPasswordBox(deps.secret);
  const outbox = workflowGateway(deps).outbox();
  const saved = await deps.db.$transaction(async (tx) => {
    const channel = await lockEmailChannel(tx, channelId);
    const current = channel.imapMailbox;
    if (!body.password && !current) {
      throw badRequest('invalid_input', 'The request body is not valid.', [{ path: 'password', message: 'is required the first time IMAP is set up' }]);
    }
    // The host passes the outbound guard when saved too (the connection checks again, resolved).
    const policy = outboundPolicyOf(deps.outboundAllowedHosts);
    const hostProblem = outboundHostProblem(body.host, policy);
    const cleartextProblem = hostProblem ? null : outboundHostProblem(body.host, policy, { cleartext: body.tls === 'none' });
    if (hostProblem || cleartextProblem) {
      throw badRequest('invalid_input', 'The request body is not valid.', [
        { path: hostProblem ? 'host' : 'tls', message: (hostProblem ?? cleartextProblem)! },
      ]);
    }
    const settings = {
      host: body.host,
      port: body.port,
      tls: body.tls,
      username: body.username,
      mailbox: body.mailbox,
      enabled: body.enabled,
      pollIntervalSeconds: body.pollIntervalSeconds,
      importDays: body.importDays,
      ...(body.password ? { passwordSealed: box.seal(body.password, channelId) } : {}),
    };
    const row = await tx.imapMailbox.upsert({
      where: { channelId },
      create: { channelId, ...settings, passwordSealed: settings.passwordSealed ?? current!.passwordSealed },
      update: settings,
    });
    const before = current ? toImapSettingsView(current) : null;
    const after = toImapSettingsView(row);
    await recordAudit(tx, {
      type: 'channel.updated',
      adminId,
      before: { id: channelId, imap: before },
      after: { id: channelId, imap: after },
      details: { changed: ['imap'], passwordChanged: Boolean(body.password) },
    });
    // Nothing runs for a mailbox that was off and stays off.
    if (row.enabled || current?.enabled) await outbox.write(tx, [{ kind: 'mailbox_changed', channelId, enabled: row.enabled && channel.enabled }]);
    return after;
  });
  await outbox.deliver();
  return saved;
}

/** The answer of a test: ok with the mailbox's size, or the failure's code and message. */
export type ImapTestAnswer = ImapTestResult;

/**
 * Logs in with the stored settings, each field of `body` replacing the stored one (a form tested
 * before it is saved); nothing is saved. Bounded in time by imap-connect.ts.
 */
export async function testImapSettings(
  deps: Pick<Deps, 'db' | 'secret' | 'outboundAllowedHosts'>,
  channelId: string,
  body: ImapTestBody,
  timeoutMs?: number,
): Promise<ImapTestAnswer> {
  const channel = await deps.db.channel.findUnique({ where: { id: channelId }, include: { imapMailbox: true } });
  if (!channel) throw notFound('Channel');
  if (channel.kind !== 'email') throw conflict('not_an_email_channel', 'Only an email channel reads a mailbox over IMAP.');
  const stored = channel.imapMailbox;
  let storedPassword: string | undefined;
  if (!body.password && stored) {
    try {
      storedPassword = imapPasswordBox(deps.secret).open(stored.passwordSealed, channelId);
    } catch (error) {
      if (!(error instanceof SecretUnreadableError)) throw error;
      throw conflict('imap_password_unreadable', 'The stored IMAP password cannot be decrypted (was SEAMLESS_SECRET changed?): send it again.');
    }
  }
  const account = {
    host: body.host ?? stored?.host,
    port: body.port ?? stored?.port,
    tls: body.tls ?? stored?.tls,
    username: body.username ?? stored?.username,
    password: body.password ?? storedPassword,
  };
  const { host, port, tls, username, password } = account;
  if (host === undefined || port === undefined || tls === undefined || username === undefined || password === undefined) {
    const missing = Object.entries(account).flatMap(([path, value]) => (value === undefined ? [{ path, message: 'is required: nothing is stored yet' }] : []));
    throw badRequest('invalid_input', 'The request body is not valid.', missing);
  }
  return testImapAccount({ host, port, tls, username, password }, body.mailbox ?? stored?.mailbox ?? 'INBOX', {
    policy: outboundPolicyOf(deps.outboundAllowedHosts),
    timeoutMs,
  });
}
