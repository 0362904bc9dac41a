// `npm run bench:worker-soak`: the worker's memory under a steady load, minutes long (issue 15,
// item 10). Starts its own stack (as `npm run bench`), then for --duration seconds opens
// conversations at --conversation-rate per second and posts --rate messages per second into the
// most recent --active conversations (customers write, the assignee answers, a conversation is
// resolved after --resolve-after messages); the last --quiet seconds open no new conversation.
// Samples the RSS of the worker and the API (Linux /proc) and the worker's own memory line
// (WORKER_MEMORY_LOG_MS: main-thread heap, cached workflows) every --sample-ms. Prints one JSON
// line on stdout (also written to --output), then a table on stderr. WORKER_* variables in the
// environment reach the worker (e.g. WORKER_MAX_CACHED_WORKFLOWS=2310, the SDK's default here,
// to measure the old configuration). See bench/README.md.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { projectRoot } from '../infra/env.js';
import { connectAgents, prepareAgents, type LoggedInAgent } from './support/agents.js';
import { machineInfo } from './support/cpu.js';
import { freePort } from './support/free-port.js';
import { createHttpClient, EndpointTally } from './support/http-client.js';
import { serviceEnv } from './support/service-env.js';
import { Cleanup, NodeChild, stopOnSignals, startInfrastructure, waitForHealth } from './support/stack.js';

const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);
const { EventType, TimeoutType } = proto.temporal.api.enums.v1;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '420' },
    quiet: { type: 'string', default: '120' },
    'conversation-rate': { type: 'string', default: '3' },
    rate: { type: 'string', default: '20' },
    active: { type: 'string', default: '60' },
    'resolve-after': { type: 'string', default: '8' },
    agents: { type: 'string', default: '6' },
    'sample-ms': { type: 'string', default: '5000' },
    warmup: { type: 'string', default: '90' },
    'heap-snapshots': { type: 'string' },
    'max-old-space-mb': { type: 'string' },
    label: { type: 'string', default: '' },
    output: { type: 'string', default: 'tmp/worker-soak.json' },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`npm run bench:worker-soak -- [flags]   (see bench/README.md)
  --duration S            load phase length (420)
  --quiet S               the last S seconds of it open no new conversation (120)
  --conversation-rate N   new conversations per second before the quiet part (3)
  --rate N                messages per second, customers and agents together (20)
  --active N              messages go to the N most recent open conversations (60)
  --resolve-after N       the assignee resolves a conversation after N messages (8)
  --agents N              agents online (6)
  --sample-ms N           memory sampling interval (5000)
  --warmup S              growth is measured from the first sample after S seconds (90)
  --heap-snapshots S,S    seconds into the load at which the worker writes heap snapshots
  --max-old-space-mb N    the worker's V8 heap limit (its default cache size derives from it)
  --label TEXT            a name for this run in the report
  --output FILE           where the JSON is also written (tmp/worker-soak.json)
  --verbose               forward the API's and worker's output
`);
  process.exit(0);
}
const num = (name: keyof typeof values, min = 0) => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}`);
  return value;
};
const options = {
  durationS: num('duration', 10),
  quietS: num('quiet'),
  conversationRate: num('conversation-rate'),
  rate: num('rate', 0.1),
  active: num('active', 1),
  resolveAfter: num('resolve-after', 1),
  agents: num('agents', 1),
  sampleMs: num('sample-ms', 500),
  warmupS: num('warmup'),
  heapSnapshotsAtS: values['heap-snapshots'] ? values['heap-snapshots'].split(',').map(Number).filter(Number.isFinite) : [],
  maxOldSpaceMb: values['max-old-space-mb'] ? num('max-old-space-mb', 64) : null,
  label: values.label ?? '',
  verbose: values.verbose ?? false,
};
const workerTuningEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('WORKER_')));

/** Resident set size of a process in MB (Linux), null when it is gone. */
function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

interface WorkerMemory {
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
  cachedWorkflows: number;
}

interface Sample {
  atS: number;
  phase: 'load' | 'quiet' | 'after';
  workerRssMb: number | null;
  apiRssMb: number | null;
  workerHeapUsedMb: number | null;
  cachedWorkflows: number | null;
  conversations: number;
  messagesAccepted: number;
}

interface Conversation {
  id: string;
  token: string;
  messages: number;
  resolved: boolean;
}

const cleanup = new Cleanup();
stopOnSignals(cleanup, log);

/** Least-squares slope of y over x (per x unit), null with fewer than 2 points. */
function slope(points: { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const my = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  const sxx = points.reduce((sum, p) => sum + (p.x - mx) ** 2, 0);
  return sxx === 0 ? null : points.reduce((sum, p) => sum + (p.x - mx) * (p.y - my), 0) / sxx;
}

async function main() {
  const runTag = String(Date.now()).slice(-9);
  log('starting PostgreSQL and Temporal ...');
  const infra = await startInfrastructure(cleanup, log);
  const apiUrl = `http://127.0.0.1:${await freePort()}`;
  const plan = await prepareAgents(infra.databaseUrl, options.agents, { cleanup, log, restore: false });
  const snapshotDir = path.join(projectRoot, 'tmp', 'worker-heap', runTag);
  const env = serviceEnv(infra, apiUrl, {
    WORKER_MEMORY_LOG_MS: String(Math.min(options.sampleMs, 5000)),
    ...(options.heapSnapshotsAtS.length ? { WORKER_HEAP_SNAPSHOT_DIR: snapshotDir } : {}),
  });
  log('starting the worker and the API ...');
  const nodeArgs = options.maxOldSpaceMb ? [`--max-old-space-size=${options.maxOldSpaceMb}`] : [];
  const worker = NodeChild.start('worker', 'worker/main.ts', env, { cleanup, verbose: options.verbose, log, nodeArgs });
  const api = NodeChild.start('api', 'api/main.ts', env, { cleanup, verbose: options.verbose, log });
  let workerMemory: WorkerMemory | null = null;
  let readyLine = '';
  const snapshotFiles: string[][] = [];
  worker.onLine((line) => {
    const memory = /worker memory (\{.*\})/.exec(line);
    if (memory) workerMemory = JSON.parse(memory[1]!) as WorkerMemory;
    if (line.includes('worker polling task queue')) readyLine = line;
    const snapshots = /worker heap snapshots (\[.*\])/.exec(line);
    if (snapshots) snapshotFiles.push(JSON.parse(snapshots[1]!) as string[]);
  });
  await waitForHealth(apiUrl, api);
  await worker.waitForLine(/worker polling task queue/, 180_000);
  worker.ready = true;
  api.ready = true;
  log(`system ready at ${apiUrl}; ${readyLine.replace(/^.*\(/, '(')}`);

  const http = createHttpClient(apiUrl, { maxSockets: 64, timeoutMs: 30_000 });
  cleanup.add('HTTP keep-alive sockets', async () => http.close());
  const agents = await connectAgents(http, apiUrl, plan.emails, runTag, cleanup);
  const agentById = new Map<string, LoggedInAgent>(agents.map((agent) => [agent.userId, agent]));
  const assigneeOf = (conversationId: string) => {
    for (const agent of agents) {
      const seen = agent.socket.assignments.get(conversationId);
      if (seen?.assigneeId) return agentById.get(seen.assigneeId) ?? null;
    }
    return null;
  };

  const tallies = {
    visitors: new EndpointTally('POST /api/widget/visitors'),
    conversations: new EndpointTally('POST /api/widget/conversations'),
    customerMessages: new EndpointTally('POST /api/widget/conversations/:id/messages'),
    agentMessages: new EndpointTally('POST /api/conversations/:id/messages'),
    resolves: new EndpointTally('POST /api/conversations/:id/resolve'),
  };
  const conversations: Conversation[] = [];
  let accepted = 0;
  const started = performance.now();
  const elapsedS = () => (performance.now() - started) / 1000;
  const loadEndS = options.durationS;
  const quietFromS = Math.max(0, options.durationS - options.quietS);
  const inFlight = new Set<Promise<void>>();
  const track = (task: Promise<void>) => {
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  const openConversation = async (index: number) => {
    const visitor = await http.request('POST', '/api/widget/visitors', { body: { name: `Soak customer ${index}` } });
    if (!tallies.visitors.add(visitor, 201)) return;
    const token = visitor.body.token as string;
    const created = await http.request('POST', '/api/widget/conversations', {
      token,
      body: { body: `My card was declined when I paid, order ${index}. Can you help?` },
      headers: { 'idempotency-key': `soak-${runTag}-c${index}` },
    });
    if (tallies.conversations.add(created, 201)) conversations.push({ id: created.body.conversation.id as string, token, messages: 1, resolved: false });
  };

  let messageSeq = 0;
  const postMessage = async () => {
    const open = conversations.filter((conversation) => !conversation.resolved).slice(-options.active);
    const conversation = open[Math.floor(Math.random() * open.length)];
    if (!conversation) return;
    const seq = messageSeq++;
    const agent = seq % 3 === 2 ? assigneeOf(conversation.id) : null;
    conversation.messages += 1;
    if (agent) {
      const reply = await http.request('POST', `/api/conversations/${conversation.id}/messages`, {
        token: agent.token,
        body: { body: `Thanks, I am checking order ${seq} for you.` },
        headers: { 'idempotency-key': `soak-${runTag}-m${seq}` },
      });
      if (tallies.agentMessages.add(reply, 201)) accepted += 1;
      if (conversation.messages >= options.resolveAfter && !conversation.resolved) {
        conversation.resolved = true;
        tallies.resolves.add(await http.request('POST', `/api/conversations/${conversation.id}/resolve`, { token: agent.token, body: {} }), 200);
      }
      return;
    }
    const sent = await http.request('POST', `/api/widget/conversations/${conversation.id}/messages`, {
      token: conversation.token,
      body: { body: `It happened again with payment ${seq}, the card is a Visa.` },
      headers: { 'idempotency-key': `soak-${runTag}-m${seq}` },
    });
    if (tallies.customerMessages.add(sent, 201)) accepted += 1;
  };

  const samples: Sample[] = [];
  const sample = (phase: Sample['phase']) => {
    const memory = workerMemory as WorkerMemory | null;
    samples.push({
      atS: Math.round(elapsedS()),
      phase,
      workerRssMb: rssMb(worker.pid),
      apiRssMb: rssMb(api.pid),
      workerHeapUsedMb: memory?.heapUsedMb ?? null,
      cachedWorkflows: memory?.cachedWorkflows ?? null,
      conversations: conversations.length,
      messagesAccepted: accepted,
    });
    const last = samples.at(-1)!;
    log(
      `${String(last.atS).padStart(4)} s ${phase.padEnd(5)} worker RSS ${last.workerRssMb} MB (heap ${last.workerHeapUsedMb}, cached ${last.cachedWorkflows}), API RSS ${last.apiRssMb} MB, ${last.conversations} conversations, ${last.messagesAccepted} messages`,
    );
  };

  log(
    `load: ${options.durationS} s (the last ${options.quietS} s without new conversations), ${options.conversationRate} conversations/s, ${options.rate} messages/s`,
  );
  const pendingSnapshots = [...options.heapSnapshotsAtS].sort((a, b) => a - b);
  let conversationIndex = 0;
  let messagesScheduled = 0;
  let nextSampleAt = 0;
  // One pacing loop on a 20 ms tick: open-loop arrivals at the asked rates, whatever the latency.
  while (elapsedS() < loadEndS) {
    const now = elapsedS();
    const conversationsDue = now < quietFromS ? Math.floor(now * options.conversationRate) : Math.floor(quietFromS * options.conversationRate);
    while (conversationIndex < conversationsDue) track(openConversation(conversationIndex++));
    while (messagesScheduled < Math.floor(now * options.rate)) {
      messagesScheduled += 1;
      track(postMessage());
    }
    if (now >= nextSampleAt) {
      sample(now < quietFromS ? 'load' : 'quiet');
      nextSampleAt += options.sampleMs / 1000;
    }
    if (pendingSnapshots.length && now >= pendingSnapshots[0]!) {
      pendingSnapshots.shift();
      log('worker: heap snapshots requested (SIGUSR2)');
      worker.process.kill('SIGUSR2');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await Promise.all(inFlight);
  sample('after');
  const stickyTimeouts = await countStickyTimeouts(
    infra.temporalAddress,
    conversations.map((conversation) => conversation.id),
  );

  const report = { ...buildReport(samples, readyLine, tallies, snapshotFiles), stickyTimeouts };
  if (worker.exit) report.errors.push(`worker ${worker.exit} during the run`);
  if (api.exit) report.errors.push(`api ${api.exit} during the run`);
  if (worker.errorLines.length) report.workerStderr = worker.errorLines.slice(0, 20);
  return report;
}

/**
 * Workflow tasks that waited on the worker's sticky queue longer than its sticky timeout and went
 * to the normal queue (history: WorkflowTaskTimedOut, schedule-to-start), in up to 300 of the
 * run's conversations: what a short sticky timeout costs a busy (but alive) worker.
 */
async function countStickyTimeouts(address: string, ids: string[]) {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace: 'default' });
    const step = Math.max(1, Math.ceil(ids.length / 300));
    const sampled = ids.filter((_, index) => index % step === 0);
    let timeouts = 0;
    let affected = 0;
    for (const id of sampled) {
      // Continue-as-new leaves earlier runs: the latest run's history is what is read here.
      const events = (await client.workflow.getHandle(`conversation-${id}`).fetchHistory()).events ?? [];
      const count = events.filter(
        (event) =>
          event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT &&
          event.workflowTaskTimedOutEventAttributes?.timeoutType === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START,
      ).length;
      timeouts += count;
      if (count > 0) affected += 1;
    }
    return { workflowsScanned: sampled.length, workflowsAffected: affected, scheduleToStartTimeouts: timeouts };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await connection.close();
  }
}

function buildReport(samples: Sample[], readyLine: string, tallies: Record<string, EndpointTally>, snapshotFiles: string[][]) {
  const afterWarmup = samples.filter((s) => s.atS >= options.warmupS && s.workerRssMb !== null);
  const first = afterWarmup[0];
  const last = samples.filter((s) => s.workerRssMb !== null).at(-1);
  const growth = (from: number | null | undefined, to: number | null | undefined) => (from && to ? Math.round(((to - from) / from) * 1000) / 10 : null);
  const perMinute = (key: 'workerRssMb' | 'apiRssMb', from: Sample[]) => {
    const value = slope(from.filter((s) => s[key] !== null).map((s) => ({ x: s.atS / 60, y: s[key]! })));
    return value === null ? null : Math.round(value * 10) / 10;
  };
  const lastThird = afterWarmup.filter((s) => s.atS >= (samples.at(-1)?.atS ?? 0) * (2 / 3));
  const quiet = samples.filter((s) => s.phase === 'quiet');
  return {
    bench: 'seamless-worker-soak',
    label: options.label,
    startedAt: new Date(Date.now() - (samples.at(-1)?.atS ?? 0) * 1000).toISOString(),
    machine: machineInfo(),
    options: { ...options, workerEnv: workerTuningEnv },
    worker: readyLine.replace(/^.*?\(/, '(').replace(/\)$/, ')'),
    summary: {
      workerRssMb: { afterWarmup: first?.workerRssMb ?? null, end: last?.workerRssMb ?? null, max: Math.max(...samples.map((s) => s.workerRssMb ?? 0)) },
      workerRssGrowthAfterWarmupPercent: growth(first?.workerRssMb, last?.workerRssMb),
      workerRssSlopeMbPerMin: {
        afterWarmup: perMinute('workerRssMb', afterWarmup),
        lastThird: perMinute('workerRssMb', lastThird),
        quiet: perMinute('workerRssMb', quiet),
      },
      apiRssMb: { afterWarmup: first?.apiRssMb ?? null, end: last?.apiRssMb ?? null },
      apiRssGrowthAfterWarmupPercent: growth(first?.apiRssMb, last?.apiRssMb),
      cachedWorkflows: { end: last?.cachedWorkflows ?? null, max: Math.max(...samples.map((s) => s.cachedWorkflows ?? 0)) },
      conversations: last?.conversations ?? 0,
      messagesAccepted: last?.messagesAccepted ?? 0,
    },
    endpoints: Object.values(tallies).map((tally) => tally.toJSON()),
    heapSnapshots: snapshotFiles,
    samples,
    notes: [
      'RSS is read from /proc/<pid>/status; the heap figure is the worker main thread only (the cached workflows live in its workflow thread, counted in RSS)',
      'other processes on this machine slow the load down but do not change what the worker keeps: compare runs by their RSS curve, not their latencies',
    ],
    errors: [] as string[],
    workerStderr: undefined as string[] | undefined,
  };
}

function renderTable(report: ReturnType<typeof buildReport> & { stickyTimeouts: Awaited<ReturnType<typeof countStickyTimeouts>> }): string {
  const rows = report.samples.filter((_, index, all) => index % Math.max(1, Math.round(all.length / 16)) === 0 || index === all.length - 1);
  const lines = [
    `worker soak ${report.label ? `"${report.label}" ` : ''}${report.worker}`,
    '   t (s)  phase  worker RSS MB  cached wf  API RSS MB  conversations  messages',
    ...rows.map(
      (s) =>
        `${String(s.atS).padStart(8)}  ${s.phase.padEnd(5)}  ${String(s.workerRssMb ?? '-').padStart(12)}  ${String(s.cachedWorkflows ?? '-').padStart(9)}  ${String(s.apiRssMb ?? '-').padStart(10)}  ${String(s.conversations).padStart(13)}  ${String(s.messagesAccepted).padStart(8)}`,
    ),
    `worker RSS after warm-up ${report.summary.workerRssMb.afterWarmup} MB → end ${report.summary.workerRssMb.end} MB (${report.summary.workerRssGrowthAfterWarmupPercent} %), slope ${report.summary.workerRssSlopeMbPerMin.afterWarmup} MB/min (last third ${report.summary.workerRssSlopeMbPerMin.lastThird}, quiet ${report.summary.workerRssSlopeMbPerMin.quiet})`,
    `API RSS after warm-up ${report.summary.apiRssMb.afterWarmup} MB → end ${report.summary.apiRssMb.end} MB (${report.summary.apiRssGrowthAfterWarmupPercent} %)`,
    `sticky-queue timeouts under load: ${JSON.stringify(report.stickyTimeouts)}`,
    ...(report.errors.length ? [`errors: ${report.errors.join('; ')}`] : []),
  ];
  return lines.join('\n');
}

let exitCode = 0;
try {
  const report = await main();
  log('stopping everything ...');
  await cleanup.run(log);
  const json = JSON.stringify(report);
  const outputPath = path.resolve(projectRoot, values.output!);
  mkdirSync(path.dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${json}\n`);
  process.stderr.write(`\n${renderTable(report)}\nJSON report: ${path.relative(process.cwd(), outputPath)}\n`);
} catch (error) {
  exitCode = 1;
  log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await cleanup.run(log);
}
process.exit(exitCode);
