// `npm run bench:email`: inbound email through the product's SMTP listener (issue 17's figures).
// Starts its own stack (embedded PostgreSQL, Temporal dev server, the worker and the API with the
// listener on), enables the email channel, and drives it like a forwarding mail server would:
// `--senders` customers each open a thread, then send `--replies` replies threaded by
// In-Reply-To, over `--connections` SMTP connections. Measured: mails accepted per second (the
// 250 after DATA comes only once the mail is stored) and the time from handing a mail to the SMTP
// connection to the `message.created` event on an agent's socket (which usually arrives before
// the sender's 250: the event is published when the message is stored). In the same run, the same client pattern against a
// raw baseline (bench/support/raw-smtp-server.ts: parse, INSERT, ws broadcast) gives the ratio.
// Then IMAP: `--imap-mails` mails appended one at a time to a real Dovecot mailbox the channel
// polls (an hour between polls, so IDLE is what brings them), each timed from the APPEND to its
// `message.created` on an agent's socket (bench/support/imap-load.ts).
// Prints one JSON line on stdout (also tmp/bench-email-latest.json), then a table on stderr.
import { parseArgs } from 'node:util';
import { createDb } from '../infra/db.js';
import { stopChild } from '../infra/local/temporal.js';
import { AgentSocket } from './support/agent-socket.js';
import { connectAgents, demoAgentEmails } from './support/agents.js';
import { imapLatency, type ImapLoadReport } from './support/imap-load.js';
import { freePort } from './support/free-port.js';
import { createHttpClient } from './support/http-client.js';
import { sql } from './support/raw-baseline.js';
import { openThreads, sendReplies, type MailLoadOptions, type MailLoadResult } from './support/mail-load.js';
import { serviceEnv } from './support/service-env.js';
import { Cleanup, NodeChild, printReport, runBench, startInfrastructure, startServices, stopOnSignals } from './support/stack.js';
import { perSecond, summarize, type LatencySummary } from './support/stats.js';

const log = (line: string) => process.stderr.write(`[bench:email] ${line}\n`);
const usage = `npm run bench:email -- [--senders 20] [--replies 10] [--connections 5] [--drain-ms 30000] [--imap-mails 20] [--skip-imap] [--skip-baseline] [--verbose]\n`;

const { values: flags } = parseArgs({
  options: {
    senders: { type: 'string', default: '20' },
    replies: { type: 'string', default: '10' },
    connections: { type: 'string', default: '5' },
    'drain-ms': { type: 'string', default: '30000' },
    'skip-baseline': { type: 'boolean', default: false },
    'imap-mails': { type: 'string', default: '20' },
    'skip-imap': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const positive = (name: string, value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    process.stderr.write(`--${name} must be a positive integer (got ${value})\n\n${usage}`);
    process.exit(2);
  }
  return number;
};
const options = {
  senders: positive('senders', flags.senders),
  replies: positive('replies', flags.replies),
  connections: positive('connections', flags.connections),
  drainMs: positive('drain-ms', flags['drain-ms']),
  skipBaseline: flags['skip-baseline'],
  imapMails: positive('imap-mails', flags['imap-mails']),
  skipImap: flags['skip-imap'],
  verbose: flags.verbose,
};

const channelAddress = 'support@bench.example';
const scratchSchema = 'bench_scratch';
const runTag = String(Date.now()).slice(-9);
const cleanup = new Cleanup();
stopOnSignals(cleanup, log);

interface PhaseReport {
  sent: number;
  accepted: number;
  failed: number;
  mailsPerSecond: number | null;
  /** The mail handed to the SMTP connection → the first `message.created` on any socket. */
  sendToSocketMs: LatencySummary;
  /** Events that reached a socket before the sender got its 250 (the product answers 250 only once the mail is stored). */
  eventBeforeAccept: number;
  /** Accepted mails whose event never arrived within --drain-ms. */
  undelivered: number;
  errors: string[];
}

/** Waits until every accepted mail's marker arrived on some socket (or the drain time passed), then summarises. */
async function delivery(load: MailLoadResult, sockets: readonly AgentSocket[]): Promise<PhaseReport> {
  const accepted = load.sends.filter((send) => send.acceptedAt !== null);
  const arrival = (marker: string) =>
    sockets.reduce<number | null>((first, socket) => {
      const at = socket.messages.get(marker)?.at ?? null;
      return at === null ? first : first === null ? at : Math.min(first, at);
    }, null);
  const deadline = Date.now() + options.drainMs;
  while (accepted.some((send) => arrival(send.marker) === null) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const latencies: number[] = [];
  let eventBeforeAccept = 0;
  for (const send of accepted) {
    const at = arrival(send.marker);
    if (at === null) continue;
    if (at < send.acceptedAt!) eventBeforeAccept += 1;
    latencies.push(at - send.sentAt);
  }
  return {
    sent: load.sends.length,
    accepted: load.accepted,
    failed: load.failed,
    mailsPerSecond: perSecond(load.accepted, load.windowMs),
    sendToSocketMs: summarize(latencies),
    eventBeforeAccept,
    undelivered: accepted.length - latencies.length,
    errors: load.errors,
  };
}

/** The same replies against the raw baseline server, with as many subscriber sockets as the product had agents. */
async function rawBaseline(databaseUrl: string, subscribers: number, load: Omit<MailLoadOptions, 'smtpUrl'>): Promise<PhaseReport> {
  await sql(
    databaseUrl,
    `CREATE SCHEMA IF NOT EXISTS ${scratchSchema};
     CREATE TABLE IF NOT EXISTS ${scratchSchema}.email (
       id bigserial PRIMARY KEY, message_id text, raw bytea NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  );
  cleanup.add('raw baseline scratch schema', () => sql(databaseUrl, `DROP SCHEMA IF EXISTS ${scratchSchema} CASCADE`));
  const server = NodeChild.start(
    'raw-smtp-server',
    'bench/support/raw-smtp-server.ts',
    { ...process.env, BENCH_RAW_DATABASE_URL: databaseUrl, BENCH_RAW_POOL_SIZE: '10' },
    { cleanup, verbose: options.verbose, log },
  );
  await server.waitForLine(/raw smtp baseline listening/, 60_000);
  const [, smtpUrl, wsUrl] = /listening on (\S+) (\S+)/.exec(server.tail.find((line) => line.includes('listening on')) ?? '') ?? [];
  if (!smtpUrl || !wsUrl) throw new Error('the raw SMTP baseline did not print its addresses');
  server.ready = true;
  const sockets: AgentSocket[] = [];
  try {
    for (let index = 0; index < subscribers; index += 1) {
      sockets.push(await AgentSocket.open(wsUrl, { label: `raw-${index}`, userId: null, runTag, waitForReady: false }));
    }
    const replies = await sendReplies({ ...load, smtpUrl }, 'b');
    return await delivery(replies, sockets);
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
    await stopChild(server.process);
  }
}

const ratio = (product: number | null, baseline: number | null) => (product && baseline ? Math.round((product / baseline) * 1000) / 1000 : null);
const cell = (value: number | null | undefined) => (value === null || value === undefined ? '—' : String(value));

async function main(): Promise<void> {
  log('starting PostgreSQL and Temporal ...');
  const infra = await startInfrastructure(cleanup, log);
  const db = createDb(infra.databaseUrl, { poolSize: 2 });
  try {
    // The demo's email channel, on, with the address the bench mails.
    await db.channel.updateMany({ where: { kind: 'email' }, data: { enabled: true, settings: { address: channelAddress } } });
  } finally {
    await db.$disconnect();
  }

  const apiUrl = `http://127.0.0.1:${await freePort()}`;
  const smtpPort = await freePort();
  // The IMAP phase's Dovecot is on loopback: allowed as an operator allows an internal mail server.
  const env = serviceEnv(infra, apiUrl, { SMTP_LISTEN_PORT: String(smtpPort), SMTP_LISTEN_HOST: '127.0.0.1', OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' });
  log('starting the worker and the API (SMTP listener on) ...');
  const { worker, api } = await startServices(env, apiUrl, { cleanup, verbose: options.verbose, log });

  const http = createHttpClient(apiUrl, { maxSockets: 8, timeoutMs: 30_000 });
  cleanup.add('HTTP client', async () => http.close());
  const agents = await connectAgents(http, apiUrl, ['admin@seamless.local', ...demoAgentEmails], runTag, cleanup);
  const sockets = agents.map((agent) => agent.socket);
  const load: Omit<MailLoadOptions, 'smtpUrl'> = {
    to: channelAddress,
    senders: options.senders,
    replies: options.replies,
    connections: options.connections,
    runTag,
  };
  const smtpUrl = `smtp://127.0.0.1:${smtpPort}`;

  log(`${options.senders} threads, then ${options.senders * options.replies} replies over ${options.connections} SMTP connections ...`);
  const threads = await openThreads({ ...load, smtpUrl });
  const threadReport = await delivery(threads, sockets);
  const replies = await delivery(await sendReplies({ ...load, smtpUrl }, 'p'), sockets);

  let imap: ImapLoadReport | null = null;
  if (!options.skipImap) {
    imap = await imapLatency({ http, adminToken: agents[0]!.token, sockets, runTag, mails: options.imapMails, timeoutMs: options.drainMs, cleanup, log });
  }

  let baseline: PhaseReport | null = null;
  if (!options.skipBaseline) {
    log('raw baseline ...');
    baseline = await rawBaseline(infra.databaseUrl, sockets.length, load);
  }

  const report = {
    bench: 'seamless-email',
    version: 1,
    startedAt: new Date().toISOString(),
    options,
    threads: threadReport,
    replies,
    baseline,
    imap,
    targets: {
      repliesPerSecond: replies.mailsPerSecond,
      baselineMailsPerSecond: baseline?.mailsPerSecond ?? null,
      ratioToRawBaseline: ratio(replies.mailsPerSecond, baseline?.mailsPerSecond ?? null),
      sendToSocketP50Ms: replies.sendToSocketMs.p50,
      sendToSocketP99Ms: replies.sendToSocketMs.p99,
      eventBeforeAccept: replies.eventBeforeAccept,
      imapAppendToSocketP50Ms: imap?.appendToSocketMs.p50 ?? null,
      imapAppendToSocketP99Ms: imap?.appendToSocketMs.p99 ?? null,
    },
    apiErrors: api.errorLines,
    workerErrors: worker.errorLines,
  };
  printReport('bench-email-latest.json', report);

  const rows: [string, PhaseReport | null][] = [
    ['new threads (product)', threadReport],
    ['replies (product)', replies],
    ['replies (raw baseline)', baseline],
  ];
  const table = [
    `${'phase'.padEnd(24)} ${'accepted'.padStart(9)} ${'failed'.padStart(7)} ${'mails/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'lost'.padStart(5)}`,
    ...rows.map(
      ([name, phase]) =>
        `${name.padEnd(24)} ${cell(phase?.accepted).padStart(9)} ${cell(phase?.failed).padStart(7)} ${cell(phase?.mailsPerSecond).padStart(8)} ${cell(phase?.sendToSocketMs.p50).padStart(7)} ${cell(phase?.sendToSocketMs.p99).padStart(7)} ${cell(phase?.undelivered).padStart(5)}`,
    ),
    `${'IMAP append (product)'.padEnd(24)} ${cell(imap?.delivered).padStart(9)} ${cell(imap ? imap.appended - imap.delivered : null).padStart(7)} ${'—'.padStart(8)} ${cell(imap?.appendToSocketMs.p50).padStart(7)} ${cell(imap?.appendToSocketMs.p99).padStart(7)} ${cell(imap ? imap.appended - imap.delivered : null).padStart(5)}`,
    `replies vs raw baseline: ${cell(report.targets.ratioToRawBaseline)}× (latency: mail handed to SMTP → message.created on an agent socket; ${replies.eventBeforeAccept}/${replies.accepted} events came before the 250)`,
    `IMAP: APPEND to Dovecot → message.created on an agent socket, one mail at a time, IDLE ${imap ? (imap.idle ? 'on' : 'not offered') : 'skipped'}`,
  ];
  process.stderr.write(`\n${table.join('\n')}\n`);
}

runBench(main, cleanup, log);
