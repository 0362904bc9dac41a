import { describe, expect, it } from 'vitest';
import { cachedWorkflowMb, defaultMaxCachedWorkflows, defaultStickyQueueTimeoutMs, parseWorkerTuning } from './options.js';

describe('worker tuning', () => {
  it("uses its own defaults, not the SDK's: a 2 s sticky queue, a cache derived from the heap, shared domain modules, no diagnostics", () => {
    expect(parseWorkerTuning({}, 4144)).toEqual({
      stickyQueueTimeoutMs: defaultStickyQueueTimeoutMs,
      maxCachedWorkflows: defaultMaxCachedWorkflows(4144),
      shareDomainModules: true,
      memoryLogMs: 0,
      heapSnapshotDir: null,
      workflowBundlePath: null,
    });
    expect(defaultStickyQueueTimeoutMs).toBe(2_000);
  });

  it('sizes the cache at a quarter of the heap limit at the measured cost per workflow, between 100 and 1000', () => {
    expect(defaultMaxCachedWorkflows(4144)).toBe(1000); // Node's default heap here; the SDK would keep 2,310
    expect(defaultMaxCachedWorkflows(512)).toBe(Math.floor((512 * 0.25) / cachedWorkflowMb));
    expect(defaultMaxCachedWorkflows(64)).toBe(100);
  });

  it('takes every value from WORKER_* variables', () => {
    const tuning = parseWorkerTuning(
      {
        WORKER_STICKY_QUEUE_TIMEOUT_MS: '10000',
        WORKER_MAX_CACHED_WORKFLOWS: '0',
        WORKER_SHARE_DOMAIN_MODULES: 'false',
        WORKER_MEMORY_LOG_MS: '5000',
        WORKER_HEAP_SNAPSHOT_DIR: '/tmp/heap',
        WORKER_WORKFLOW_BUNDLE: '/srv/workflow-bundle.js',
      },
      4144,
    );
    expect(tuning).toEqual({
      stickyQueueTimeoutMs: 10_000,
      maxCachedWorkflows: 0,
      shareDomainModules: false,
      memoryLogMs: 5000,
      heapSnapshotDir: '/tmp/heap',
      workflowBundlePath: '/srv/workflow-bundle.js',
    });
  });

  it('refuses values that are not numbers in range, naming the variable', () => {
    expect(() => parseWorkerTuning({ WORKER_STICKY_QUEUE_TIMEOUT_MS: '10' }, 4144)).toThrow(/WORKER_STICKY_QUEUE_TIMEOUT_MS/);
    expect(() => parseWorkerTuning({ WORKER_MAX_CACHED_WORKFLOWS: '-1' }, 4144)).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => parseWorkerTuning({ WORKER_MAX_CACHED_WORKFLOWS: 'lots' }, 4144)).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => parseWorkerTuning({ WORKER_SHARE_DOMAIN_MODULES: 'yes' }, 4144)).toThrow(/WORKER_SHARE_DOMAIN_MODULES/);
  });
});
