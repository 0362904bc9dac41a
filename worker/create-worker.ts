// Builds the worker: workflows bundled from workflows/index.ts, activities from createActivities.
import v8 from 'node:v8';
import type { Duration } from '@temporalio/common';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { requestIdActivityInterceptor } from '../infra/logging/request-id-propagation.js';
import type { Tracing } from '../infra/tracing/tracing.js';
import { defaultMaxCachedWorkflows, defaultStickyQueueTimeoutMs, type WorkerTuning } from './options.js';
import { workflowBundleOptions } from './workflow-bundle.js';

export interface WorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** How long in-flight activities may run on after shutdown begins before they are cancelled (SDK default: 0). */
  shutdownGraceTime?: Duration;
  /** Sticky-queue timeout, cache size, shared domain modules, a bundle made beforehand (worker/options.ts); the same defaults as production when omitted. */
  tuning?: Partial<Pick<WorkerTuning, 'stickyQueueTimeoutMs' | 'maxCachedWorkflows' | 'shareDomainModules' | 'workflowBundlePath'>>;
  /** With tracing on (infra/tracing/): workflow runs and activities become spans of the trace that started or signalled them. */
  tracing?: Pick<Tracing, 'resource' | 'spanProcessor'>;
}

/** The V8 heap limit of this process in MB; the workflow thread gets the same limit. */
export const heapLimitMb = () => Math.round(v8.getHeapStatistics().heap_size_limit / 1_048_576);

export async function createWorker({ connection, namespace, taskQueue, shutdownGraceTime, tuning = {}, tracing, ...deps }: WorkerOptions): Promise<Worker> {
  const { workflowsPath, preloadModules, workflowInterceptorModules } = workflowBundleOptions();
  // A bundle made beforehand holds the shared domain modules and our interceptors but not the
  // tracing plugin's workflow interceptors (added at bundle time): with tracing, or unshared
  // modules, the worker bundles as it starts.
  const prebuilt = tuning.workflowBundlePath && !tracing && tuning.shareDomainModules !== false ? tuning.workflowBundlePath : null;
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    // Passed only when set: the SDK refuses an explicit undefined.
    ...(shutdownGraceTime === undefined ? {} : { shutdownGraceTime }),
    // Set on purpose, never the SDK's defaults (10 s; a cache sized from the heap limit): see worker/options.ts.
    stickyQueueScheduleToStartTimeout: tuning.stickyQueueTimeoutMs ?? defaultStickyQueueTimeoutMs,
    maxCachedWorkflows: tuning.maxCachedWorkflows ?? defaultMaxCachedWorkflows(heapLimitMb()),
    ...(prebuilt
      ? { workflowBundle: { codePath: prebuilt, sourceMapPath: `${prebuilt}.map` } }
      : { workflowsPath, bundlerOptions: { preloadModules: tuning.shareDomainModules === false ? [] : preloadModules } }),
    activities: createActivities(deps),
    // The request id that woke a workflow goes on to its activities and their log lines (infra/logging/).
    interceptors: { ...(prebuilt ? {} : { workflowModules: workflowInterceptorModules }), activity: [requestIdActivityInterceptor] },
    // Temporal's OpenTelemetry interceptors (workflow spans leave the sandbox through a sink).
    ...(tracing ? { plugins: [new OpenTelemetryPlugin({ resource: tracing.resource, spanProcessor: tracing.spanProcessor })] } : {}),
  });
}
