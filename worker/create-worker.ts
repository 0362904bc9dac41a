// Builds the worker: workflows bundled from workflows/index.ts, activities from createActivities.
import { createRequire } from 'node:module';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';

const require = createRequire(import.meta.url);

export interface WorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
}

export async function createWorker({ connection, namespace, taskQueue, ...deps }: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: require.resolve('../workflows/index.ts'),
    activities: createActivities(deps),
  });
}
