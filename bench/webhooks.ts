// Outgoing webhook deliveries per second (issue 22's figure). Starts its own stack (embedded
// PostgreSQL, Temporal dev server, the worker and the API as processes, OUTBOUND_ALLOWED_HOSTS
// letting them call 127.0.0.1), a local receiver that answers 204 and counts distinct
// Seamless-Event-Ids, and an unordered endpoint subscribed to message.created. Then `--events`
// events are appended to the event log in one statement (the fan-out trigger writes a delivery and
// an outbox row for each) and the whole path is timed until the receiver has every event id:
// relay → Temporal → lane workflow → signed POST. Baseline, in the same run: the same number of
// signed POSTs (infra/webhooks/signed-webhook.ts, through the outbound guard) to the same receiver
// from a bare loop, `--parallel` at a time. The ratio is product/baseline.
// No npm script: `npx tsx bench/webhooks.ts [flags]`. Prints one JSON line on stdout (also
// tmp/bench-webhooks-latest.json), then a table on stderr.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createDb } from '../infra/db.js';
import { outboundPolicyOf } from '../infra/outbound/outbound-guard.js';
import { eventIdHeader, postSignedWebhook } from '../infra/webhooks/signed-webhook.js';
import { login } from './support/agents.js';
import { freePort } from './support/free-port.js';
import { createHttpClient, runPool } from './support/http-client.js';
import { positiveFlags } from './support/positive-flags.js';
import { serviceEnv } from './support/service-env.js';
import { Cleanup, printReport, runBench, startInfrastructure, startServices, stopOnSignals } from './support/stack.js';
import { perSecond, summarize, type LatencySummary } from './support/stats.js';

const log = (line: string) => process.stderr.write(`[bench:webhooks] ${line}\n`);
const usage = 'npx tsx bench/webhooks.ts [--events 1000] [--parallel 8] [--drain-ms 180000] [--verbose]\n';

const { 'drain-ms': drainMs, ...flags } = positiveFlags(usage, { events: 1000, parallel: 8, 'drain-ms': 180_000 });
const options = { ...flags, drainMs };

const cleanup = new Cleanup();
stopOnSignals(cleanup, log);

/** The receiver: 204 to everything; the first arrival of each event id per path, with its time. */
async function startReceiver() {
  const arrivals = new Map<string, Map<string, number>>();
  let requests = 0;
  let arrived: () => void = () => {};
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      const byPath = arrivals.get(request.url ?? '') ?? new Map<string, number>();
      arrivals.set(request.url ?? '', byPath);
      const id = String(request.headers[eventIdHeader.toLowerCase()]);
      if (!byPath.has(id)) byPath.set(id, performance.now());
      response.writeHead(204).end();
      arrived();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  cleanup.add('receiver', () => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    port,
    requests: () => requests,
    arrivals: (urlPath: string) => arrivals.get(urlPath) ?? new Map<string, number>(),
    /** Resolves once `urlPath` has `count` distinct ids, or the deadline passed. */
    waitFor: (urlPath: string, count: number, deadlineMs: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        arrived = () => {
          if ((arrivals.get(urlPath)?.size ?? 0) >= count) {
            clearTimeout(timer);
            resolve();
          }
        };
        arrived();
      }),
  };
}

interface Phase {
  sent: number;
  delivered: number;
  /** Requests beyond one per event id (retries that reached the receiver twice). */
  repeats: number;
  windowMs: number;
  deliveriesPerSecond: number | null;
  /** From the start of the phase to each event's first arrival. */
  arrivalMs: LatencySummary;
}

async function main(): Promise<void> {
  log('starting PostgreSQL and Temporal ...');
  const infra = await startInfrastructure(cleanup, log);
  const receiver = await startReceiver();
  const apiUrl = `http://127.0.0.1:${await freePort()}`;
  const env = serviceEnv(infra, apiUrl, { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' });
  log('starting the worker and the API ...');
  const { worker, api } = await startServices(env, apiUrl, { cleanup, verbose: options.verbose, log });

  const client = createHttpClient(apiUrl, { maxSockets: 4, timeoutMs: 30_000 });
  cleanup.add('HTTP client', async () => client.close());
  const admin = await login(client, 'admin@seamless.local');
  const created = await client.request('POST', '/api/webhooks', {
    token: admin.token,
    body: { url: `http://127.0.0.1:${receiver.port}/product`, events: ['message.created'], description: 'bench' },
  });
  if (created.status !== 201) throw new Error(`creating the endpoint failed: ${created.status} ${created.text.slice(0, 300)}`);
  const secret = created.body.secret as string;

  log(`${options.events} events appended at once, delivered by the product ...`);
  const db = createDb(infra.databaseUrl, { poolSize: 2 });
  cleanup.add('database client', () => db.$disconnect());
  const productStart = performance.now();
  await db.$executeRawUnsafe(
    `INSERT INTO "Event" (type, "actorKind", internal, payload)
     SELECT 'message.created', 'system'::"ActorKind", true, jsonb_build_object('bench', g) FROM generate_series(1, $1::int) g`,
    options.events,
  );
  // Where the time goes: when the relay had handed every wake-up to Temporal (the outbox empty).
  let relayDoneMs: number | null = null;
  const sampling = (async () => {
    while (relayDoneMs === null && performance.now() - productStart < options.drainMs) {
      const [row] = await db.$queryRawUnsafe<{ left: bigint }[]>(`SELECT count(*) AS left FROM "WorkflowOutbox" WHERE kind = 'webhook_lane'`);
      if (Number(row?.left ?? 0) === 0) relayDoneMs = Math.round(performance.now() - productStart);
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  await receiver.waitFor('/product', options.events, options.drainMs);
  await sampling;
  const productRequests = receiver.requests();
  const product = { ...phase(receiver.arrivals('/product'), productStart, options.events, productRequests), relayDoneMs };

  log(`the same number of signed POSTs from a bare loop, ${options.parallel} at a time ...`);
  const policy = outboundPolicyOf(['127.0.0.1']);
  const body = { id: '', type: 'message.created', data: { bench: true } };
  const baselineStart = performance.now();
  await runPool(options.events, options.parallel, async (index) => {
    await postSignedWebhook(`http://127.0.0.1:${receiver.port}/baseline`, { ...body, id: `bench_${index}` }, secret, { eventId: `bench_${index}`, policy });
  });
  const baseline = phase(receiver.arrivals('/baseline'), baselineStart, options.events, receiver.requests() - productRequests);

  const ratio =
    product.deliveriesPerSecond && baseline.deliveriesPerSecond ? Math.round((product.deliveriesPerSecond / baseline.deliveriesPerSecond) * 1000) / 1000 : null;
  const report = {
    bench: 'seamless-webhooks',
    version: 1,
    startedAt: new Date().toISOString(),
    options,
    product,
    baseline,
    targets: {
      deliveriesPerSecond: product.deliveriesPerSecond,
      baselinePostsPerSecond: baseline.deliveriesPerSecond,
      ratioToBarePostLoop: ratio,
      allDelivered: product.delivered === options.events,
    },
    apiErrors: api.errorLines,
    workerErrors: worker.errorLines,
  };
  printReport('bench-webhooks-latest.json', report);

  const cell = (value: number | null | undefined) => (value === null || value === undefined ? '—' : String(value));
  const row = (name: string, result: Phase) =>
    `${name.padEnd(30)} ${cell(result.sent).padStart(6)} ${cell(result.delivered).padStart(9)} ${cell(result.repeats).padStart(7)} ${cell(result.deliveriesPerSecond).padStart(10)} ${cell(result.arrivalMs.p50).padStart(7)} ${cell(result.arrivalMs.p99).padStart(7)}`;
  const table = [
    `${'phase'.padEnd(30)} ${'events'.padStart(6)} ${'delivered'.padStart(9)} ${'repeats'.padStart(7)} ${'per second'.padStart(10)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}`,
    row('webhook endpoint (product)', product),
    row('bare signed POST loop', baseline),
    `product vs bare loop: ${cell(ratio)}× (ms: from the start of the phase to each event's first arrival at the receiver)`,
    `the relay had handed every wake-up to Temporal after ${cell(relayDoneMs)} ms of the product's ${cell(product.windowMs)} ms`,
  ];
  process.stderr.write(`\n${table.join('\n')}\n`);
}

function phase(arrivals: Map<string, number>, start: number, sent: number, requests: number): Phase {
  const times = [...arrivals.values()].map((at) => at - start);
  const windowMs = times.length > 0 ? Math.max(...times) : 0;
  return {
    sent,
    delivered: arrivals.size,
    repeats: requests - arrivals.size,
    windowMs: Math.round(windowMs),
    deliveriesPerSecond: perSecond(arrivals.size, windowMs),
    arrivalMs: summarize(times),
  };
}

runBench(main, cleanup, log);
