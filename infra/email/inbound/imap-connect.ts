// Logging in to an email channel's IMAP account (imapflow) within a bounded time, and naming what
// went wrong in words an admin can act on: the password, the address, the encryption, the folder.
// Used by the poll activity (activities/mailbox-activities.ts) and by the admin's "test connection"
// (api/services/email/imap-settings.ts); both record or answer the same codes. The host is an
// admin's input, so it passes the outbound guard (infra/outbound/outbound-guard.ts) like a rule's
// webhook: internal addresses only from OUTBOUND_ALLOWED_HOSTS, and a connection without TLS only
// to those (the password would cross the network in clear); the checked address is the one
// connected to.
import { isIP } from 'node:net';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { OutboundRefusedError, resolveOutboundHost, type OutboundPolicy } from '../../outbound/outbound-guard.js';

/** How the connection is encrypted: implicit TLS (993), STARTTLS required (143), or none (a trusted network only). */
export type ImapTlsMode = 'tls' | 'starttls' | 'none';

export interface ImapAccount {
  host: string;
  port: number;
  tls: ImapTlsMode;
  username: string;
  password: string;
}

/** Stable codes (the console translates them); the message carries the server's own words. */
export type ImapErrorCode =
  'auth_failed' | 'host_not_allowed' | 'host_not_found' | 'connect_failed' | 'tls_failed' | 'timeout' | 'mailbox_not_found' | 'protocol_error';

export class ImapConnectError extends Error {
  constructor(
    readonly code: ImapErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImapConnectError';
  }
}

/** Whether trying again soon may help: a wrong password or a missing folder stays wrong until an admin changes the settings. */
export const isLastingImapError = (code: ImapErrorCode): boolean =>
  code === 'auth_failed' || code === 'host_not_allowed' || code === 'mailbox_not_found' || code === 'tls_failed';

export interface ImapConnectOptions {
  /** Which hosts an admin's settings may reach (OUTBOUND_ALLOWED_HOSTS: outboundPolicyOf). */
  policy: OutboundPolicy;
  /** Bounds each phase of opening the connection; defaultImapTimeoutMs when absent. */
  timeoutMs?: number;
}

/** Default bound on opening a connection (TCP, TLS, greeting, login): a dead host is reported within it. */
export const defaultImapTimeoutMs = 15_000;

export function imapClientOptions(account: ImapAccount, timeoutMs = defaultImapTimeoutMs): ImapFlowOptions {
  return {
    host: account.host,
    port: account.port,
    secure: account.tls === 'tls',
    // STARTTLS required when asked for (a cleartext capability list can be stripped); never tried for 'none'.
    doSTARTTLS: account.tls === 'starttls' ? true : account.tls === 'none' ? false : undefined,
    auth: { user: account.username, pass: account.password },
    logger: false,
    // A poll is one short session: no IDLE between commands.
    disableAutoIdle: true,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: Math.max(timeoutMs, 60_000),
    // One message at most this large travels as one literal (the pipeline refuses larger ones before downloading).
    maxLiteralSize: 64 * 1024 * 1024,
  };
}

type ErrorLike = Error & { code?: string; authenticationFailed?: boolean; responseText?: string; serverResponseCode?: string };

const tlsCodes =
  /^(?:EPROTO|ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_WRONG_VERSION_NUMBER|ClosedAfterConnectTLS)/;

/** An imapflow, socket, DNS or TLS error as one of our codes, with a message that says what to check. */
export function classifyImapError(error: unknown, account: Pick<ImapAccount, 'host' | 'port' | 'tls'>): ImapConnectError {
  if (error instanceof ImapConnectError) return error;
  const err = (error instanceof Error ? error : new Error(String(error))) as ErrorLike;
  const code = err.code ?? '';
  const where = `${account.host}:${account.port}`;
  const said = err.responseText ? ` (the server said: ${err.responseText})` : '';
  if (err.authenticationFailed || code === 'AUTHENTICATIONFAILED' || err.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new ImapConnectError('auth_failed', `Authentication failed: the server refused the user name or password${said}.`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ImapConnectError('host_not_found', `Cannot connect: the host ${account.host} was not found.`);
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ECONNRESET') {
    return new ImapConnectError(
      'connect_failed',
      `Cannot connect to ${where}: ${code === 'ECONNREFUSED' ? 'the connection was refused' : 'the host cannot be reached'}.`,
    );
  }
  if (
    tlsCodes.test(code) ||
    /ssl|tls|certificate|wrong version number/i.test(err.message) ||
    (code === 'MissingServerExtension' && account.tls === 'starttls')
  ) {
    const hint =
      account.tls === 'starttls'
        ? 'the server did not offer STARTTLS or its certificate was refused'
        : 'the server does not speak TLS on this port or its certificate was refused';
    return new ImapConnectError('tls_failed', `TLS failed with ${where}: ${hint} (${err.message}).`);
  }
  if (code === 'CONNECT_TIMEOUT' || code === 'GREETING_TIMEOUT' || code === 'UPGRADE_TIMEOUT' || code === 'ETIMEOUT' || code === 'ETIMEDOUT') {
    return new ImapConnectError('timeout', `Cannot connect to ${where}: no answer in time.`);
  }
  if (code === 'NoConnection' || code === 'EConnectionClosed' || code === 'ClosedAfterConnectText') {
    return new ImapConnectError('connect_failed', `Cannot connect to ${where}: the server closed the connection (${err.message}).`);
  }
  return new ImapConnectError('protocol_error', `The IMAP session with ${where} failed: ${err.message}${said}.`);
}

/** A logged-in client, or an ImapConnectError; the caller logs out. Never waits longer than about `timeoutMs`. */
export async function connectImap(account: ImapAccount, options: ImapConnectOptions): Promise<ImapFlow> {
  const timeoutMs = options.timeoutMs ?? defaultImapTimeoutMs;
  let address: string;
  try {
    address = await resolveOutboundHost(account.host, options.policy, { cleartext: account.tls === 'none' });
  } catch (error) {
    if (error instanceof OutboundRefusedError) throw new ImapConnectError('host_not_allowed', `Not allowed to connect to ${account.host}: ${error.reason}.`);
    throw classifyImapError(error, account);
  }
  const client = new ImapFlow({
    ...imapClientOptions(account, timeoutMs),
    // The address the guard checked, so nothing resolves the name again; the name for TLS.
    host: address,
    ...(isIP(account.host) ? {} : { servername: account.host }),
  });
  // A socket error after connect() has settled must not become an unhandled 'error' event.
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    client.close();
    throw classifyImapError(error, account);
  }
}

export type ImapTestResult =
  { ok: true; mailbox: { path: string; messages: number; uidValidity: string } } | { ok: false; code: ImapErrorCode; message: string };

/** Logs in, opens the mailbox read-only and logs out: what the admin's "test connection" answers. */
export async function testImapAccount(account: ImapAccount, mailbox: string, options: ImapConnectOptions): Promise<ImapTestResult> {
  const timeoutMs = options.timeoutMs ?? defaultImapTimeoutMs;
  let client: ImapFlow | null = null;
  const attempt = async (): Promise<ImapTestResult> => {
    client = await connectImap(account, options);
    const status = await openMailbox(client, mailbox, account);
    await client.logout().catch(() => client?.close());
    return { ok: true, mailbox: { path: mailbox, ...status } };
  };
  let timer: NodeJS.Timeout | undefined;
  // The whole exchange is bounded too: a server that answers the greeting and then stalls.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ImapConnectError('timeout', `No answer from ${account.host}:${account.port} in time.`)), timeoutMs * 2);
  });
  try {
    return await Promise.race([attempt(), deadline]);
  } catch (error) {
    (client as ImapFlow | null)?.close();
    const failure = classifyImapError(error, account);
    return { ok: false, code: failure.code, message: failure.message };
  } finally {
    clearTimeout(timer);
  }
}

/** The mailbox's size and UIDVALIDITY (STATUS: nothing is selected or marked), or mailbox_not_found. */
export async function openMailbox(client: ImapFlow, mailbox: string, account: Pick<ImapAccount, 'host' | 'port' | 'tls'>) {
  const notFound = () => new ImapConnectError('mailbox_not_found', `The mailbox "${mailbox}" does not exist on the server.`);
  let status;
  try {
    status = await client.status(mailbox, { messages: true, uidValidity: true });
  } catch (error) {
    const err = error as ErrorLike;
    if (err.code === 'NotFound' || err.serverResponseCode === 'NONEXISTENT') throw notFound();
    throw classifyImapError(error, account);
  }
  // imapflow answers false when the server refused STATUS for another reason than a missing folder.
  if (status === false) throw new ImapConnectError('protocol_error', `The server refused to open the mailbox "${mailbox}".`);
  return { messages: status.messages ?? 0, uidValidity: String(status.uidValidity ?? '') };
}
