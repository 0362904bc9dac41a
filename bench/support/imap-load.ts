// IMAP poll → conversation latency for bench:email: a real Dovecot (test/support/dovecot.ts, as the
// IMAP tests start it), the email channel's IMAP polling pointed at a fresh folder with an hour
// between polls (so only IDLE can explain a fast arrival), then `mails` mails appended one at a
// time, each timed from the APPEND to its `message.created` on an agent's socket.
import { performance } from 'node:perf_hooks';
import { ImapFlow } from 'imapflow';
import { startDovecot } from '../../test/support/dovecot.js';
import type { AgentSocket } from './agent-socket.js';
import type { HttpClient } from './http-client.js';
import type { Cleanup } from './stack.js';
import { summarize, type LatencySummary } from './stats.js';

export interface ImapLoadOptions {
  http: HttpClient;
  adminToken: string;
  sockets: readonly AgentSocket[];
  runTag: string;
  mails: number;
  /** How long one mail may take before it counts as lost. */
  timeoutMs: number;
  cleanup: Cleanup;
  log: (line: string) => void;
}

export interface ImapLoadReport {
  appended: number;
  delivered: number;
  /** APPEND sent → the first `message.created` of that mail on any socket. */
  appendToSocketMs: LatencySummary;
  /** Whether the server offered IDLE (else the numbers are the poll interval's). */
  idle: boolean;
  errors: string[];
}

const folder = 'Bench';

export async function imapLatency(options: ImapLoadOptions): Promise<ImapLoadReport> {
  const { http, adminToken: token, log } = options;
  const dovecot = await startDovecot();
  options.cleanup.add('Dovecot', () => dovecot.stop());
  const client = new ImapFlow(dovecot.imapOptions());
  await client.connect();
  options.cleanup.add('IMAP client', async () => void (await client.logout().catch(() => client.close())));
  await client.mailboxCreate(folder);
  const idle = client.capabilities.has('IDLE');

  const channels = await http.request('GET', '/api/channels', { token });
  const channel = (channels.body?.channels as { id: string; kind: string }[] | undefined)?.find((entry) => entry.kind === 'email');
  if (!channel) throw new Error(`no email channel (GET /api/channels: HTTP ${channels.status})`);
  const saved = await http.request('PUT', `/api/channels/${channel.id}/imap`, {
    token,
    body: {
      host: dovecot.host,
      port: dovecot.port,
      tls: 'none',
      username: dovecot.user,
      password: dovecot.password,
      mailbox: folder,
      pollIntervalSeconds: 3600,
      importDays: 0,
    },
  });
  if (saved.status !== 200) throw new Error(`saving the IMAP settings failed: HTTP ${saved.status} ${saved.text.slice(0, 300)}`);
  // The first poll has read the (empty) folder: from then on the poller idles on it.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { body } = await http.request('GET', `/api/channels/${channel.id}/imap`, { token });
    if (body?.imap?.health?.lastPolledAt) break;
    if (Date.now() > deadline) throw new Error(`the first IMAP poll did not finish within 60 s: ${JSON.stringify(body?.imap?.health ?? null)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  log(`IMAP: ${options.mails} mails appended one at a time to Dovecot (IDLE ${idle ? 'offered' : 'not offered'}) ...`);
  const arrival = (marker: string) =>
    options.sockets.reduce<number | null>((first, socket) => {
      const at = socket.messages.get(marker)?.at ?? null;
      return at === null ? first : first === null ? at : Math.min(first, at);
    }, null);
  const latencies: number[] = [];
  const errors: string[] = [];
  for (let index = 0; index < options.mails; index += 1) {
    const marker = `${options.runTag}:imap${index}`;
    const raw = Buffer.from(
      [
        `From: IMAP customer ${index} <imap${index}.${options.runTag}@customers.example>`,
        'To: support@bench.example',
        `Subject: IMAP question ${index}`,
        `Message-ID: <imap${index}.${options.runTag}@customers.example>`,
        `Date: ${new Date().toUTCString()}`,
        '',
        `Where is my order? [${marker}]`,
        '',
      ].join('\r\n'),
    );
    const appendedAt = performance.now();
    try {
      await client.append(folder, raw);
    } catch (error) {
      errors.push(`APPEND ${index}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const until = Date.now() + options.timeoutMs;
    while (arrival(marker) === null && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    const at = arrival(marker);
    if (at === null) errors.push(`mail ${index} did not arrive within ${options.timeoutMs} ms`);
    else latencies.push(at - appendedAt);
  }
  // Polling off again: the mailbox workflow ends.
  await http.request('PUT', `/api/channels/${channel.id}/imap`, {
    token,
    body: { host: dovecot.host, port: dovecot.port, tls: 'none', username: dovecot.user, mailbox: folder, enabled: false, pollIntervalSeconds: 3600 },
  });
  return {
    appended: options.mails - errors.filter((error) => error.startsWith('APPEND')).length,
    delivered: latencies.length,
    appendToSocketMs: summarize(latencies),
    idle,
    errors,
  };
}
