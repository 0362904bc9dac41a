// The worker's own tuning, parsed once at start from WORKER_* variables (worker/README.md).
// Each default is chosen on purpose and measured (bench/README.md: bench:worker-restart and
// bench:worker-soak); the SDK's own defaults did not fit this workload.
import { z } from 'zod';

export interface WorkerTuning {
  /**
   * How long a workflow task may wait on this worker's sticky queue before Temporal hands it to
   * any worker on the normal queue. After a crash, tasks of the dead worker's workflows (a timer
   * that fired, a signal) wait this long before the next worker can take them: the SDK's 10 s
   * made timers ~10 s late after a restart (issue 15, item 9). Too short costs cache misses
   * (a replay from history) when this worker is merely busy.
   */
  stickyQueueTimeoutMs: number;
  /**
   * Workflows kept in memory between tasks (0: none). Each conversation stays a running workflow
   * for days (until its reopen window ends), so the cache fills with every conversation ever
   * touched until this bound: it is the worker's memory ceiling. The SDK's default derives
   * from the V8 heap limit (2,310 workflows with a 4 GB heap) and let RSS climb for over half an
   * hour (issue 15, item 10). A miss costs one replay of that workflow's history.
   */
  maxCachedWorkflows: number;
  /**
   * Whether domain/ modules (and the zod, luxon and re2js they import) are evaluated once and
   * shared by all workflows (create-worker.ts, workflowBundleOptions). Off: once per cached
   * workflow, as the SDK does by default — ~1.7 MB each instead of ~45 KB. Only to measure the
   * difference, or to rule the sharing out while debugging.
   */
  shareDomainModules: boolean;
  /** Every this many ms the worker prints its memory and cached-workflow count (0: never). */
  memoryLogMs: number;
  /** Where SIGUSR2 writes heap snapshots of the main and workflow threads (null: SIGUSR2 does nothing). */
  heapSnapshotDir: string | null;
  /**
   * A workflow bundle written beforehand by writeWorkflowBundle (workflow-bundle.ts) from the same
   * code, so the worker starts without bundling (~3.5 s of CPU each start). null: bundle at start.
   * The test run bundles once and hands the file to every worker it starts.
   */
  workflowBundlePath: string | null;
}

/**
 * Measured with bench/worker-restart.ts: a timer due during a SIGKILL + restart fires at most
 * ~1.5 s after the later of due and the new worker polling (10 s: up to 9.6 s); under the soak's
 * load no task outlived it on a live worker (bench/worker-soak.ts, stickyTimeouts).
 */
export const defaultStickyQueueTimeoutMs = 2_000;
/** RSS per cached conversation workflow, rounded up: ~0.4 MB measured by bench/worker-soak.ts (45 KB of it code). */
export const cachedWorkflowMb = 0.5;
/** The share of the workflow thread's heap limit the cache may use. */
const cacheShareOfHeap = 0.25;
/** Bounds of the derived default: enough for the active conversations of a busy team, and a ceiling that replays stay cheap under. */
const derivedCacheBounds = { min: 100, max: 1_000 };

/** The default cache size for a V8 heap limit (MB): a quarter of it at the measured cost per workflow, within bounds. */
export function defaultMaxCachedWorkflows(heapLimitMb: number): number {
  const fits = Math.floor((heapLimitMb * cacheShareOfHeap) / cachedWorkflowMb);
  return Math.min(derivedCacheBounds.max, Math.max(derivedCacheBounds.min, fits));
}

const nonNegativeInt = z.coerce.number().int().min(0);

const schema = z.object({
  WORKER_STICKY_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).optional(),
  WORKER_MAX_CACHED_WORKFLOWS: nonNegativeInt.optional(),
  WORKER_SHARE_DOMAIN_MODULES: z.enum(['true', 'false']).default('true'),
  WORKER_MEMORY_LOG_MS: nonNegativeInt.default(0),
  WORKER_HEAP_SNAPSHOT_DIR: z.string().trim().min(1).optional(),
  WORKER_WORKFLOW_BUNDLE: z.string().trim().min(1).optional(),
});

/** Parses WORKER_* from the environment; heapLimitMb is the V8 heap limit the default cache size is derived from. */
export function parseWorkerTuning(source: NodeJS.ProcessEnv, heapLimitMb: number): WorkerTuning {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid worker environment: ${problems}`);
  }
  const env = result.data;
  return {
    stickyQueueTimeoutMs: env.WORKER_STICKY_QUEUE_TIMEOUT_MS ?? defaultStickyQueueTimeoutMs,
    maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS ?? defaultMaxCachedWorkflows(heapLimitMb),
    shareDomainModules: env.WORKER_SHARE_DOMAIN_MODULES === 'true',
    memoryLogMs: env.WORKER_MEMORY_LOG_MS,
    heapSnapshotDir: env.WORKER_HEAP_SNAPSHOT_DIR ?? null,
    workflowBundlePath: env.WORKER_WORKFLOW_BUNDLE ?? null,
  };
}
