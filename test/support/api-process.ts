// The API (REST + WebSocket) as a real child process (`node --import tsx api/main.ts`, as
// `npm start` runs it), for fault tests that kill it, restart it on the same port, or stop it
// with SIGTERM. Requests go to `url`, which stays the same across restarts.
import { startServiceProcess, type ServiceProcess } from './service-process.js';

export interface ApiProcessOptions {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  namespace: string;
  /** Signs visitor tokens: keep it across restarts so visitors stay signed in. */
  secret: string;
  port: number;
  dataDir: string;
  /** Extra environment (rate limits…). */
  env?: Record<string, string>;
}

export interface ApiProcess extends ServiceProcess {
  url: string;
}

/** The options that join an API process to a test system (test/support/system.ts): its database, namespace and task queue. */
export const systemOptions = (system: { databaseUrl: string; taskQueue: string; namespace: string }) => ({
  databaseUrl: system.databaseUrl,
  taskQueue: system.taskQueue,
  namespace: system.namespace,
});

/** Starts the API and resolves once it listens; rejects if it exits or stays silent too long. */
export async function startApiProcess(options: ApiProcessOptions, readyTimeoutMs = 60_000): Promise<ApiProcess> {
  const service = await startServiceProcess({
    entry: 'api/main.ts',
    env: {
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      TEMPORAL_NAMESPACE: options.namespace,
      SEAMLESS_SECRET: options.secret,
      HOST: '127.0.0.1',
      PORT: String(options.port),
      DATA_DIR: options.dataDir,
      ...options.env,
    },
    readyLine: 'api listening on', // printed by api/main.ts
    readyTimeoutMs,
  });
  return { ...service, url: `http://127.0.0.1:${options.port}` };
}
