// `npm run bench:worker-restart`: how late a timer fires when it comes due while the worker
// restarts after a crash (issue 15, item 9). Starts its own stack (as `npm run bench`); for each
// sticky-queue timeout in --sticky-ms it runs a round: a worker with that setting, --timers
// conversations assigned and snoozed until instants spread over the restart (--offsets, seconds
// after the kill), SIGKILL, a new worker started at once (as the supervisor does), and for each
// timer: due → the `conversation.unsnoozed` event in the database, and how the workflow task
// travelled (from the workflow's history: whether it first waited on the dead worker's sticky
// queue and timed out there). Prints one JSON line on stdout (also written to --output), then a
// table on stderr. See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import { createDb } from '../infra/db.js';
import { projectRoot } from '../infra/env.js';
import { connectAgents, prepareAgents } from './support/agents.js';
import { machineInfo } from './support/cpu.js';
import { freePort } from './support/free-port.js';
import { createHttpClient, type HttpClient } from './support/http-client.js';
import { serviceEnv } from './support/service-env.js';
import { Cleanup, NodeChild, stopOnSignals, startInfrastructure, waitForHealth, type Infrastructure } from './support/stack.js';
import { summarize } from './support/stats.js';

const { EventType, TimeoutType } = proto.temporal.api.enums.v1;
const log = (line: string) => process.stderr.write(`[restart] ${line}\n`);

const { values } = parseArgs({
  options: {
    'sticky-ms': { type: 'string', default: '10000,2000' },
    offsets: { type: 'string', default: '1,2,3,5,7,9,12' },
    'fire-timeout': { type: 'string', default: '60' },
    output: { type: 'string', default: 'tmp/worker-restart.json' },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`npm run bench:worker-restart -- [flags]   (see bench/README.md)
  --sticky-ms A,B     one round per sticky-queue timeout of the killed worker, in ms (10000 = the SDK's default, 2000)
  --offsets S,S,...   when the timers are due, in seconds after the SIGKILL (1,2,3,5,7,9,12)
  --fire-timeout S    give up on a timer this long after it was due (60)
  --output FILE       where the JSON is also written (tmp/worker-restart.json)
  --verbose           forward the API's and worker's output
`);
  process.exit(0);
}
const stickyMsList = values['sticky-ms']!.split(',').map(Number);
const offsetsS = values.offsets!.split(',').map(Number);
if (stickyMsList.some((value) => !Number.isInteger(value) || value < 100) || offsetsS.some((value) => !(value > 0))) {
  throw new Error('--sticky-ms takes integers >= 100, --offsets positive seconds');
}
const fireTimeoutMs = Number(values['fire-timeout']) * 1000;

const cleanup = new Cleanup();
stopOnSignals(cleanup, log);

interface TimerResult {
  conversationId: string;
  /** Due, in ms after the SIGKILL. */
  dueAfterKillMs: number;
  /** The unsnoozed event's time (database clock) minus the due instant. */
  firedAfterDueMs: number | null;
  /** The unsnoozed event minus max(due, new worker ready): the delay the restart itself does not explain. */
  firedAfterDueAndReadyMs: number | null;
  /** From the history: the fired timer's workflow task first went to the dead worker's sticky queue and timed out there. */
  stickyTimedOut: boolean | null;
  /** From the history: the timer fired → the workflow task started on the new worker. */
  timerFiredToTaskStartedMs: number | null;
}

interface Round {
  stickyQueueTimeoutMs: number;
  /** SIGKILL → the new worker printed that it polls. */
  restartReadyMs: number;
  timers: TimerResult[];
  firedAfterDueMs: ReturnType<typeof summarize>;
  firedAfterDueAndReadyMs: ReturnType<typeof summarize>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The history after the last TimerFired: whether its task timed out on the sticky queue, and when a task started. */
async function timerPath(client: Client, conversationId: string) {
  const history = await client.workflow.getHandle(`conversation-${conversationId}`).fetchHistory();
  const events = history.events ?? [];
  const firedIndex = events.findLastIndex((event) => event.eventType === EventType.EVENT_TYPE_TIMER_FIRED);
  if (firedIndex < 0) return { stickyTimedOut: null, timerFiredToTaskStartedMs: null };
  const after = events.slice(firedIndex + 1);
  const stickyTimedOut = after.some(
    (event) =>
      event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT &&
      event.workflowTaskTimedOutEventAttributes?.timeoutType === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START,
  );
  const started = after.find((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  const firedAt = tsToMs(events[firedIndex]!.eventTime);
  return { stickyTimedOut, timerFiredToTaskStartedMs: started ? tsToMs(started.eventTime) - firedAt : null };
}

async function round(stickyMs: number, infra: Infrastructure, apiUrl: string, http: HttpClient, agentToken: string, client: Client): Promise<Round> {
  const env = serviceEnv(infra, apiUrl, { WORKER_STICKY_QUEUE_TIMEOUT_MS: String(stickyMs) });
  const verbose = values.verbose ?? false;
  const first = NodeChild.start(`worker-sticky-${stickyMs}`, 'worker/main.ts', env, { cleanup, verbose, log });
  await first.waitForLine(/worker polling task queue/, 180_000);

  // Conversations, assigned to the one agent (its capacity is raised), then snoozed.
  const ids: string[] = [];
  for (let index = 0; index < offsetsS.length; index += 1) {
    const visitor = await http.request('POST', '/api/widget/visitors', { body: { name: `Restart customer ${index}` } });
    const created = await http.request('POST', '/api/widget/conversations', {
      token: visitor.body.token,
      body: { body: `My card was declined, case ${index}` },
    });
    if (created.status !== 201) throw new Error(`conversation not created: ${created.status} ${created.text}`);
    ids.push(created.body.conversation.id as string);
  }
  const db = createDb(infra.databaseUrl, { poolSize: 2 });
  try {
    const deadline = Date.now() + 60_000;
    while ((await db.conversation.count({ where: { id: { in: ids }, status: 'open' } })) < ids.length) {
      if (Date.now() > deadline) throw new Error('conversations not assigned within 60 s');
      await sleep(200);
    }
    // Due instants are relative to the kill, which follows the snoozes by a fixed lead.
    const leadMs = 4_000;
    const killAt = Date.now() + leadMs;
    const dues = offsetsS.map((offset) => killAt + offset * 1000);
    for (const [index, id] of ids.entries()) {
      const snoozed = await http.request('POST', `/api/conversations/${id}/snooze`, {
        token: agentToken,
        body: { until: new Date(dues[index]!).toISOString() },
      });
      if (snoozed.status !== 200) throw new Error(`snooze refused: ${snoozed.status} ${snoozed.text}`);
    }
    // Each workflow's last task was completed by this worker: its next one goes to this worker's sticky queue.
    await sleep(Math.max(0, killAt - Date.now()));
    first.process.kill('SIGKILL');
    const killedAt = Date.now();
    const second = NodeChild.start(`worker-after-sticky-${stickyMs}`, 'worker/main.ts', env, { cleanup, verbose, log });
    await second.waitForLine(/worker polling task queue/, 180_000);
    const readyAt = Date.now();
    log(`sticky ${stickyMs} ms: worker SIGKILLed, the new one polls after ${readyAt - killedAt} ms`);

    const fired = new Map<string, number>();
    const lastDue = Math.max(...dues);
    while (fired.size < ids.length && Date.now() < lastDue + fireTimeoutMs) {
      const events = await db.event.findMany({
        where: { type: 'conversation.unsnoozed', conversationId: { in: ids } },
        select: { conversationId: true, occurredAt: true },
      });
      for (const event of events) if (event.conversationId && !fired.has(event.conversationId)) fired.set(event.conversationId, event.occurredAt.getTime());
      await sleep(100);
    }
    const timers: TimerResult[] = [];
    for (const [index, id] of ids.entries()) {
      const due = dues[index]!;
      const at = fired.get(id);
      timers.push({
        conversationId: id,
        dueAfterKillMs: due - killedAt,
        firedAfterDueMs: at === undefined ? null : at - due,
        firedAfterDueAndReadyMs: at === undefined ? null : at - Math.max(due, readyAt),
        ...(await timerPath(client, id)),
      });
    }
    const code = await new Promise<void>((resolve) => {
      second.process.once('exit', () => resolve());
      second.process.kill('SIGTERM');
    });
    void code;
    const numbers = (key: 'firedAfterDueMs' | 'firedAfterDueAndReadyMs') => timers.flatMap((timer) => (timer[key] === null ? [] : [timer[key]]));
    return {
      stickyQueueTimeoutMs: stickyMs,
      restartReadyMs: readyAt - killedAt,
      timers,
      firedAfterDueMs: summarize(numbers('firedAfterDueMs')),
      firedAfterDueAndReadyMs: summarize(numbers('firedAfterDueAndReadyMs')),
    };
  } finally {
    await db.$disconnect();
  }
}

function renderTable(rounds: Round[]): string {
  const lines = ['sticky ms  restart ms  due after kill ms  fired after due ms  after max(due, ready) ms  sticky timed out'];
  for (const result of rounds) {
    for (const timer of result.timers) {
      lines.push(
        `${String(result.stickyQueueTimeoutMs).padStart(9)}  ${String(result.restartReadyMs).padStart(10)}  ${String(timer.dueAfterKillMs).padStart(17)}  ${String(timer.firedAfterDueMs ?? 'never').padStart(18)}  ${String(timer.firedAfterDueAndReadyMs ?? '-').padStart(24)}  ${String(timer.stickyTimedOut ?? '-').padStart(16)}`,
      );
    }
    lines.push(
      `  sticky ${result.stickyQueueTimeoutMs} ms: fired after max(due, ready) p50 ${result.firedAfterDueAndReadyMs.p50} ms, max ${result.firedAfterDueAndReadyMs.max} ms; after due max ${result.firedAfterDueMs.max} ms`,
    );
  }
  return lines.join('\n');
}

async function main() {
  log('starting PostgreSQL and Temporal ...');
  const infra = await startInfrastructure(cleanup, log);
  const apiUrl = `http://127.0.0.1:${await freePort()}`;
  const plan = await prepareAgents(infra.databaseUrl, 1, { cleanup, log, restore: false });
  const api = NodeChild.start('api', 'api/main.ts', serviceEnv(infra, apiUrl), { cleanup, verbose: values.verbose ?? false, log });
  await waitForHealth(apiUrl, api);
  const http = createHttpClient(apiUrl, { maxSockets: 8, timeoutMs: 30_000 });
  cleanup.add('HTTP keep-alive sockets', async () => http.close());
  const [agent] = await connectAgents(http, apiUrl, plan.emails, String(Date.now()).slice(-9), cleanup);
  const connection = await Connection.connect({ address: infra.temporalAddress });
  cleanup.add('Temporal client', () => connection.close());
  const client = new Client({ connection, namespace: 'default' });

  const rounds: Round[] = [];
  for (const stickyMs of stickyMsList) rounds.push(await round(stickyMs, infra, apiUrl, http, agent!.token, client));
  return {
    bench: 'seamless-worker-restart',
    startedAt: new Date().toISOString(),
    machine: machineInfo(),
    options: { stickyMs: stickyMsList, offsetsS, fireTimeoutMs },
    rounds,
    notes: [
      'fired = the conversation.unsnoozed event (database clock, the activity transaction start); due = the snooze instant; ready = the new worker printed that it polls',
      'a timer due while no worker runs cannot fire before the new worker is ready: firedAfterDueAndReadyMs is the delay the restart does not explain',
      'SLA warnings and breaches wake the same main-loop timer as a snooze (workflows/conversation-entity.ts nextWake), so they travel the same path',
      'other processes on this machine slow the restart down: compare rounds of one run',
    ],
  };
}

let exitCode = 0;
try {
  const report = await main();
  log('stopping everything ...');
  await cleanup.run(log);
  const outputPath = path.resolve(projectRoot, values.output!);
  mkdirSync(path.dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.stderr.write(`\n${renderTable(report.rounds)}\nJSON report: ${path.relative(process.cwd(), outputPath)}\n`);
} catch (error) {
  exitCode = 1;
  log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await cleanup.run(log);
}
process.exit(exitCode);
