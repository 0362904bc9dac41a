// Scheduled-message send accuracy (issue 22's figure): how late a scheduled reply is stored,
// measured from its scheduled time. Starts its own stack (embedded PostgreSQL, Temporal dev
// server, the worker and the API as processes), opens `--conversations` widget conversations, and
// has an admin schedule `--messages` replies through the REST API, all due at least `--lead-ms`
// after the last one is scheduled, spread over `--spread-ms`. Lateness = the stored message's createdAt −
// its sendAt (both PostgreSQL clocks: the same machine). Baseline, in the same run: as many bare
// timer workflows (bench/bare-timer-workflow.ts) against the same Temporal server, due at the same
// spread, each returning the time its timer's workflow task ran: what Temporal's timers cost here.
// No npm script: `npx tsx bench/scheduled-messages.ts [flags]`. Prints one JSON line on stdout
// (also tmp/bench-scheduled-latest.json), then a table on stderr.
import { createRequire } from 'node:module';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createDb } from '../infra/db.js';
import { freePort } from './support/free-port.js';
import { createHttpClient, runPool } from './support/http-client.js';
import { login } from './support/agents.js';
import { positiveFlags } from './support/positive-flags.js';
import { serviceEnv } from './support/service-env.js';
import { Cleanup, printReport, runBench, startInfrastructure, startServices, stopOnSignals } from './support/stack.js';
import { summarize, type LatencySummary } from './support/stats.js';

const require = createRequire(import.meta.url);
const log = (line: string) => process.stderr.write(`[bench:scheduled] ${line}\n`);
const usage = 'npx tsx bench/scheduled-messages.ts [--messages 200] [--conversations 20] [--lead-ms 5000] [--spread-ms 1000] [--drain-ms 60000] [--verbose]\n';

const flags = positiveFlags(usage, { messages: 200, conversations: 20, 'lead-ms': 5000, 'spread-ms': 1000, 'drain-ms': 60000 });
const options = {
  messages: flags.messages,
  conversations: flags.conversations,
  leadMs: flags['lead-ms'],
  spreadMs: flags['spread-ms'],
  drainMs: flags['drain-ms'],
  verbose: flags.verbose,
};

const runTag = String(Date.now()).slice(-9);
const cleanup = new Cleanup();
stopOnSignals(cleanup, log);

interface Accuracy {
  scheduled: number;
  sent: number;
  failed: number;
  /** Sent (stored) time − scheduled time, ms. */
  latenessMs: LatencySummary;
  /** Sent before the scheduled time (must be 0). */
  early: number;
}

/** The due times: after `base`, spread evenly over the spread. */
const dueTimes = (base: number) => Array.from({ length: options.messages }, (_, index) => base + Math.floor((index * options.spreadMs) / options.messages));

async function baseline(address: string): Promise<Accuracy> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const taskQueue = `bench-timer-${runTag}`;
  const native = await NativeConnection.connect({ address });
  cleanup.add('bare-timer worker connection', () => native.close());
  const worker = await Worker.create({ connection: native, namespace: 'default', taskQueue, workflowsPath: require.resolve('./bare-timer-workflow.ts') });
  const running = worker.run();
  cleanup.add('bare-timer worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });
  const connection = await Connection.connect({ address });
  cleanup.add('bare-timer client', () => connection.close());
  const client = new Client({ connection, namespace: 'default' });
  const due = dueTimes(Date.now() + options.leadMs);
  const handles = await Promise.all(
    due.map((untilMs, index) => client.workflow.start('bareTimerWorkflow', { taskQueue, workflowId: `bench-timer-${runTag}-${index}`, args: [untilMs] })),
  );
  const fired = await Promise.all(handles.map((handle) => handle.result() as Promise<number>));
  const lateness = fired.map((at, index) => at - due[index]!);
  return { scheduled: due.length, sent: fired.length, failed: 0, latenessMs: summarize(lateness), early: lateness.filter((ms) => ms < 0).length };
}

async function main(): Promise<void> {
  log('starting PostgreSQL and Temporal ...');
  const infra = await startInfrastructure(cleanup, log);
  const apiUrl = `http://127.0.0.1:${await freePort()}`;
  const env = serviceEnv(infra, apiUrl);
  log('starting the worker and the API ...');
  const { worker, api } = await startServices(env, apiUrl, { cleanup, verbose: options.verbose, log });

  const http = createHttpClient(apiUrl, { maxSockets: 8, timeoutMs: 30_000 });
  cleanup.add('HTTP client', async () => http.close());
  const admin = await login(http, 'admin@seamless.local');

  log(`${options.conversations} conversations ...`);
  const conversations: string[] = [];
  await runPool(options.conversations, 4, async (index) => {
    const visitor = await http.request('POST', '/api/widget/visitors', { body: { name: `Bench scheduled ${runTag}-${index}` } });
    const started = await http.request('POST', '/api/widget/conversations', { token: visitor.body.token, body: { body: 'Please get back to me later' } });
    if (started.status !== 201) throw new Error(`starting a conversation failed: ${started.status} ${started.text.slice(0, 200)}`);
    conversations.push(started.body.conversation.id as string);
  });

  log(`${options.messages} replies scheduled, due ${options.leadMs} ms after the last is scheduled, over ${options.spreadMs} ms ...`);
  // Scheduling takes a while (seconds for 200 on a busy machine): the due times start far enough
  // ahead that the last request is answered before the first is due (reported as firstDueAfterLastScheduledMs).
  const base = Date.now() + options.leadMs + options.messages * 100;
  const due = dueTimes(base);
  const ids: string[] = [];
  const errors: string[] = [];
  await runPool(options.messages, 8, async (index) => {
    const scheduled = await http.request('POST', `/api/conversations/${conversations[index % conversations.length]}/scheduled-messages`, {
      token: admin.token,
      body: { body: `Scheduled reply ${runTag}-${index}`, sendAt: new Date(due[index]!).toISOString() },
    });
    if (scheduled.status === 201) ids.push(scheduled.body.scheduledMessage.id as string);
    else errors.push(`${scheduled.status} ${scheduled.text.slice(0, 200)}`);
  });
  const firstDueAfterLastScheduledMs = base - Date.now();
  log(`scheduled ${ids.length} (the first due ${firstDueAfterLastScheduledMs} ms after the last was scheduled); waiting for the sends ...`);

  const db = createDb(infra.databaseUrl, { poolSize: 2 });
  cleanup.add('database client', () => db.$disconnect());
  const deadline = Date.now() + options.drainMs + options.leadMs + options.spreadMs;
  let rows = await db.scheduledMessage.findMany({ where: { id: { in: ids } } });
  while (rows.some((row) => row.status === 'pending') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    rows = await db.scheduledMessage.findMany({ where: { id: { in: ids } } });
  }
  const messages = await db.message.findMany({ where: { id: { in: rows.flatMap((row) => (row.messageId ? [row.messageId] : [])) } } });
  const storedAt = new Map(messages.map((message) => [message.id, message.createdAt.getTime()]));
  const lateness = rows.flatMap((row) => (row.messageId && storedAt.has(row.messageId) ? [storedAt.get(row.messageId)! - row.sendAt.getTime()] : []));
  const product: Accuracy = {
    scheduled: ids.length,
    sent: lateness.length,
    failed: rows.filter((row) => row.status === 'failed').length,
    latenessMs: summarize(lateness),
    early: lateness.filter((ms) => ms < 0).length,
  };

  // Where the time goes, for one reply: its row, then its workflow's history relative to the due time.
  const sample = rows.find((row) => row.status === 'sent');
  let sampleTimeline: { step: string; ms: number }[] = [];
  if (sample) {
    const connection = await Connection.connect({ address: infra.temporalAddress });
    try {
      const history = await new Client({ connection, namespace: 'default' }).workflow.getHandle(`scheduled-message-${sample.id}`).fetchHistory();
      const dueAt = sample.sendAt.getTime();
      const at = (time: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
        time ? Number(time.seconds) * 1000 + Math.round((time.nanos ?? 0) / 1e6) - dueAt : NaN;
      sampleTimeline = [
        { step: 'row created', ms: sample.createdAt.getTime() - dueAt },
        ...(history.events ?? []).map((event) => ({
          step: (proto.temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? '?').replace(/^EVENT_TYPE_/, '').toLowerCase(),
          ms: at(event.eventTime),
        })),
        { step: 'message stored', ms: (storedAt.get(sample.messageId ?? '') ?? NaN) - dueAt },
      ];
    } finally {
      await connection.close();
    }
  }

  log('baseline: bare timer workflows on the same Temporal server ...');
  const timers = await baseline(infra.temporalAddress);

  const report = {
    bench: 'seamless-scheduled-messages',
    version: 1,
    startedAt: new Date().toISOString(),
    options,
    product,
    baseline: timers,
    firstDueAfterLastScheduledMs,
    scheduleErrors: errors.slice(0, 5),
    /** One sent reply: its row's creation, its workflow's history events and its message, in ms from its due time. */
    sampleTimeline,
    targets: {
      sendLatenessP50Ms: product.latenessMs.p50,
      sendLatenessP99Ms: product.latenessMs.p99,
      baselineTimerLatenessP50Ms: timers.latenessMs.p50,
      baselineTimerLatenessP99Ms: timers.latenessMs.p99,
      p99OverBaselineMs:
        product.latenessMs.p99 !== null && timers.latenessMs.p99 !== null ? Math.round((product.latenessMs.p99 - timers.latenessMs.p99) * 10) / 10 : null,
      sentExactlyOnce:
        product.sent === ids.length && (await db.message.count({ where: { body: { startsWith: `Scheduled reply ${runTag}-` } } })) === ids.length,
    },
    apiErrors: api.errorLines,
    workerErrors: worker.errorLines,
  };
  printReport('bench-scheduled-latest.json', report);

  const cell = (value: number | null | undefined) => (value === null || value === undefined ? '—' : String(value));
  const row = (name: string, phase: Accuracy) =>
    `${name.padEnd(30)} ${cell(phase.scheduled).padStart(9)} ${cell(phase.sent).padStart(6)} ${cell(phase.failed).padStart(7)} ${cell(phase.latenessMs.p50).padStart(7)} ${cell(phase.latenessMs.p99).padStart(7)} ${cell(phase.latenessMs.max).padStart(7)} ${cell(phase.early).padStart(6)}`;
  const table = [
    `${'late after the scheduled time'.padEnd(30)} ${'scheduled'.padStart(9)} ${'sent'.padStart(6)} ${'failed'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'early'.padStart(6)}`,
    row('scheduled replies (product)', product),
    row('bare timer workflows (baseline)', timers),
    `p99 over the baseline: ${cell(report.targets.p99OverBaselineMs)} ms; each reply stored exactly once: ${report.targets.sentExactlyOnce ? 'yes' : 'NO'}`,
  ];
  process.stderr.write(`\n${table.join('\n')}\n`);
}

runBench(main, cleanup, log);
