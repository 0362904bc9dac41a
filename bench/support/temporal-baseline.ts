// The Temporal baseline: start bare workflows (bench/bare-workflow.ts, which returns at once)
// at the conversation phase's concurrency against the same Temporal server, with a worker for
// them in this process on its own task queue. starts/s is what a workflow start costs here; the
// product's conversation starts are compared against it.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { runPool } from './http-client.js';
import { perSecond, summarize, type LatencySummary } from './stats.js';
import type { Cleanup } from './stack.js';

const require = createRequire(import.meta.url);

export interface BareWorker {
  taskQueue: string;
  address: string;
}

/** Bundles the bare workflow and starts polling (before the measured phases: bundling is CPU-heavy). */
export async function startBareWorker(address: string, runTag: string, cleanup: Cleanup): Promise<BareWorker> {
  // Worker lifecycle logs (and the warning that this worker has no activities) would bury the
  // bench's output; errors still show.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const taskQueue = `bench-bare-${runTag}`;
  const connection = await NativeConnection.connect({ address });
  cleanup.add('bare-workflow worker connection', () => connection.close());
  const worker = await Worker.create({ connection, namespace: 'default', taskQueue, workflowsPath: require.resolve('../bare-workflow.ts') });
  const running = worker.run();
  cleanup.add('bare-workflow worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });
  return { taskQueue, address };
}

export interface BareStartsResult {
  attempted: number;
  started: number;
  failed: number;
  failureSamples: string[];
  concurrency: number;
  windowMs: number;
  startsPerSecond: number | null;
  startLatencyMs: LatencySummary;
}

export async function measureBareStarts(bare: BareWorker, count: number, concurrency: number, runTag: string): Promise<BareStartsResult> {
  const connection = await Connection.connect({ address: bare.address });
  try {
    const client = new Client({ connection, namespace: 'default' });
    const latencies: number[] = [];
    const failures: string[] = [];
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    await runPool(count, concurrency, async (index) => {
      const startedAt = performance.now();
      first = Math.min(first, startedAt);
      try {
        await client.workflow.start('bareWorkflow', { taskQueue: bare.taskQueue, workflowId: `bench-bare-${runTag}-${index}`, args: [] });
        const endedAt = performance.now();
        last = Math.max(last, endedAt);
        latencies.push(endedAt - startedAt);
      } catch (error) {
        last = Math.max(last, performance.now());
        failures.push(error instanceof Error ? error.message : String(error));
      }
    });
    const windowMs = last > first ? last - first : 0;
    return {
      attempted: count,
      started: latencies.length,
      failed: failures.length,
      failureSamples: failures.slice(0, 5),
      concurrency,
      windowMs: Math.round(windowMs),
      startsPerSecond: perSecond(latencies.length, windowMs),
      startLatencyMs: summarize(latencies),
    };
  } finally {
    await connection.close();
  }
}
