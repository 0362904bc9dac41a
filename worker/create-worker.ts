// Builds the worker: workflows bundled from workflows/index.ts, activities from createActivities.
import { createRequire } from 'node:module';
import type { Duration } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';

const require = createRequire(import.meta.url);

export interface WorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** How long in-flight activities may run on after shutdown begins before they are cancelled (SDK default: 0). */
  shutdownGraceTime?: Duration;
}

export async function createWorker({ connection, namespace, taskQueue, shutdownGraceTime, ...deps }: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    // Passed only when set: the SDK refuses an explicit undefined.
    ...(shutdownGraceTime === undefined ? {} : { shutdownGraceTime }),
    workflowsPath: require.resolve('../workflows/index.ts'),
    activities: createActivities(deps),
  });
}
