// The worker as a real child process (`node --import tsx worker/main.ts`, as `npm start` runs
// it), for fault tests that kill it the hard way or stop it with SIGTERM.
import { startServiceProcess, type ServiceProcess } from './service-process.js';
import { testWorkflowBundle } from './workflow-bundle.js';

export interface WorkerProcessOptions {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  namespace: string;
  dataDir: string;
  /** Extra environment (WORKER_METRICS_PORT…). */
  env?: Record<string, string>;
}

export type WorkerProcess = ServiceProcess;

/** Starts the worker and resolves when it polls its task queue; rejects if it exits or stays silent too long. */
export function startWorkerProcess(options: WorkerProcessOptions, readyTimeoutMs = 60_000): Promise<WorkerProcess> {
  return startServiceProcess({
    entry: 'worker/main.ts',
    env: {
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      TEMPORAL_NAMESPACE: options.namespace,
      DATA_DIR: options.dataDir,
      WORKER_WORKFLOW_BUNDLE: testWorkflowBundle().codePath,
      ...options.env,
    },
    readyLine: 'worker polling task queue', // printed by worker/main.ts
    readyTimeoutMs,
  });
}
