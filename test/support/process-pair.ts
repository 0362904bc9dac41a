// The API and the worker as child processes (as `npm start` runs them) over one test system's
// database, Temporal namespace and task queue, which do all the work: the test process runs no
// worker and no outbox relay. For tests of what the processes themselves do (metrics, logs,
// traces), each given its own environment.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { createApiClient, type ApiClient } from './api-client.js';
import { startApiProcess, type ApiProcess } from './api-process.js';
import { freePort } from './free-port.js';
import { startSystem, type TestSystem } from './system.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

export interface ProcessPair {
  system: TestSystem;
  api: ApiProcess;
  worker: WorkerProcess;
  /** Talks to the API process. */
  client: ApiClient;
  /** The server secret both processes share (a test may look for it where it must not be). */
  secret: string;
  stop(): Promise<void>;
}

export async function startProcessPair(env: { api?: Record<string, string>; worker?: Record<string, string> } = {}): Promise<ProcessPair> {
  const secret = randomBytes(48).toString('base64url');
  const system = await startSystem({ secret, inProcessWorker: false, inProcessRelay: false });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-processes-'));
  const common = {
    databaseUrl: system.databaseUrl,
    temporalAddress: inject('temporalAddress'),
    taskQueue: system.taskQueue,
    namespace: system.namespace,
    dataDir,
  };
  const started = await Promise.allSettled([
    startApiProcess({ ...common, secret, port: await freePort(), env: env.api ?? {} }),
    startWorkerProcess({ ...common, env: { ...env.worker, SEAMLESS_SECRET: secret } }),
  ]);
  const stop = async () => {
    for (const child of started) if (child.status === 'fulfilled') await child.value.kill();
    await system.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const [api, worker] = started;
  if (api.status === 'rejected' || worker.status === 'rejected') {
    await stop();
    throw api.status === 'rejected' ? api.reason : (worker as PromiseRejectedResult).reason;
  }
  const client = createApiClient(api.value.url);
  return {
    system,
    api: api.value,
    worker: worker.value,
    client,
    secret,
    async stop() {
      await client.closeSockets();
      await stop();
    },
  };
}
