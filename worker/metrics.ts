// The worker's operations port (WORKER_METRICS_PORT). GET /metrics: this process's registry
// (infra/metrics/) followed by the Temporal SDK's own worker metrics (task slots, poll and
// schedule-to-start latencies, sticky cache, activity and workflow task execution), which the
// SDK's core exports on a loopback port of its own; one scrape target per worker gets both.
// GET /health and /health/ready: liveness, and readiness = the worker polls its task queue (its
// state is RUNNING) and the database answers.
import { createServer } from 'node:net';
import type { State, TelemetryOptions } from '@temporalio/worker';
import { checkDatabase, type DatabaseHealth } from '../infra/database-health.js';
import type { Db } from '../infra/db.js';
import { metricsText } from '../infra/metrics/metrics.js';
import { startMetricsServer, type MetricsServer } from '../infra/metrics/metrics-server.js';

/**
 * A loopback port nobody listens on now, for the SDK's exporter (it cannot report the port it
 * took), other than `except`: the port our own endpoint is about to take, which the OS may hand
 * out here while it is still free (the worker then failed to start with EADDRINUSE).
 */
export async function freeLoopbackPort(except?: number): Promise<number> {
  for (;;) {
    const port = await anyFreeLoopbackPort();
    if (port !== except) return port;
  }
}

async function anyFreeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not find a free loopback port');
  return address.port;
}

/** The runtime's telemetry: the SDK's metrics on `sdkPort`, Prometheus names with their usual suffixes. */
export function sdkTelemetry(sdkPort: number): TelemetryOptions {
  return { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkPort}`, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } } };
}

export interface WorkerReadiness {
  ready: boolean;
  /** The SDK worker's state: RUNNING while it polls; INITIALIZED before, STOPPING/DRAINING/FAILED after. */
  worker: { ok: boolean; state: State };
  database: DatabaseHealth;
}

export async function workerReadiness(worker: { getState(): State }, db: Db): Promise<WorkerReadiness> {
  const state = worker.getState();
  const database = await checkDatabase(db);
  const polling = state === 'RUNNING';
  return { ready: polling && database.ok, worker: { ok: polling, state }, database };
}

export function startWorkerMetrics(options: {
  host: string;
  port: number;
  sdkPort: number;
  readiness: () => Promise<WorkerReadiness>;
}): Promise<MetricsServer> {
  const sdkUrl = `http://127.0.0.1:${options.sdkPort}/metrics`;
  const sdkMetrics = async () => {
    const response = await fetch(sdkUrl, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`the Temporal SDK's exporter answered ${response.status}`);
    return response.text();
  };
  return startMetricsServer({ host: options.host, port: options.port, text: () => metricsText(sdkMetrics), readiness: options.readiness });
}
