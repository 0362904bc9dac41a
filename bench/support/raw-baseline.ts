// The raw baseline for messages: bench/support/raw-server.ts (INSERT into a scratch table + bare
// ws broadcast) in its own process, driven with the product's client pattern and the same number
// of subscriber sockets. The scratch schema is dropped afterwards.
import pg from 'pg';
import { stopChild } from '../../infra/local/temporal.js';
import { AgentSocket } from './agent-socket.js';
import type { CpuMonitor } from './cpu.js';
import { createHttpClient, EndpointTally } from './http-client.js';
import { measureDelivery, runMessageLoad, type DeliveryResult, type MessageLoadResult } from './message-load.js';
import { NodeChild, type Cleanup, type Log } from './stack.js';

const scratchSchema = 'bench_scratch';

export interface RawBaselineOptions {
  databaseUrl: string;
  subscribers: number;
  customers: number;
  messages: number;
  durationS: number | null;
  window: number;
  maxInFlight: number;
  rate: number | null;
  runTag: string;
  timeoutMs: number;
  drainMs: number;
  verbose: boolean;
}

export interface RawBaselineResult {
  load: MessageLoadResult;
  delivery: DeliveryResult;
  tally: EndpointTally;
  /** What the raw server wrote to stderr while measured (should be nothing). */
  serverErrors: string[];
}

/** Runs one SQL text on its own connection (the scratch schemas of the raw baselines). */
export async function sql(databaseUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function runRawBaseline(
  options: RawBaselineOptions,
  cleanup: Cleanup,
  cpu: CpuMonitor,
  log: Log,
  measure: <T>(phase: string, run: () => Promise<T>) => Promise<T>,
): Promise<RawBaselineResult> {
  await sql(
    options.databaseUrl,
    `CREATE SCHEMA IF NOT EXISTS ${scratchSchema};
     CREATE TABLE IF NOT EXISTS ${scratchSchema}.message (
       id bigserial PRIMARY KEY, conversation_id text NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  );
  cleanup.add('raw baseline scratch schema', () => sql(options.databaseUrl, `DROP SCHEMA IF EXISTS ${scratchSchema} CASCADE`));

  const server = NodeChild.start(
    'raw-server',
    'bench/support/raw-server.ts',
    { ...process.env, BENCH_RAW_DATABASE_URL: options.databaseUrl, BENCH_RAW_POOL_SIZE: '10' },
    { cleanup, verbose: options.verbose, log },
  );
  cpu.name(server.pid, 'rawServer');
  await server.waitForLine(/raw baseline listening on http:/, 60_000);
  const url = /listening on (http:\S+)/.exec(server.tail.find((line) => line.includes('listening on')) ?? '')?.[1];
  if (!url) throw new Error('the raw baseline server did not print its URL');
  server.ready = true;

  const http = createHttpClient(url, { maxSockets: options.maxInFlight + 8, timeoutMs: options.timeoutMs });
  const sockets: AgentSocket[] = [];
  try {
    for (let index = 0; index < options.subscribers; index += 1) {
      sockets.push(
        await AgentSocket.open(`${url.replace(/^http/, 'ws')}/ws`, { label: `raw-${index}`, userId: null, runTag: options.runTag, waitForReady: false }),
      );
    }
    const tally = new EndpointTally('POST /messages (raw baseline)');
    const load = await measure('rawBaseline', () =>
      runMessageLoad({
        customers: options.customers,
        messages: options.messages,
        durationS: options.durationS,
        window: options.window,
        maxInFlight: options.maxInFlight,
        rate: options.rate,
        runTag: options.runTag,
        phase: 'r',
        tally,
        send: (customer, body) => http.request('POST', '/messages', { body: { conversationId: `raw-${customer}`, body } }),
      }),
    );
    const delivery = await measureDelivery(load.sends, sockets, () => null, options.drainMs);
    return { load, delivery, tally, serverErrors: server.errorLines };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
    http.close();
    await stopChild(server.process);
  }
}
