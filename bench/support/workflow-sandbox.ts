// Conversation workflows created in the SDK's reusable V8 context — what the worker's workflow
// thread runs — without a server: to measure (bench/workflow-footprint.ts) and test
// (worker/workflow-bundle.test.ts) what each cached workflow loads. Reaches SDK internals
// (@temporalio/worker/lib/...): a measurement aid, not a contract; re-check on SDK upgrades.
import { createRequire } from 'node:module';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowBundleOptions } from '../../worker/workflow-bundle.js';

const require = createRequire(import.meta.url);

export interface SandboxWorkflow {
  /** The module ids this workflow evaluated for itself (not shared). */
  ownModules(): string[];
}

interface InternalWorkflow {
  activator: { moduleCache: Map<string, unknown> };
}

const quiet = { info() {}, warn() {}, debug() {}, trace() {}, log() {}, error: (message: string) => process.stderr.write(`${message}\n`) };

/** Bundles the workflows as given and returns a function that creates one conversation workflow per call. */
export async function workflowSandbox(options: WorkflowBundleOptions): Promise<() => Promise<SandboxWorkflow>> {
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflowCode({ ...options, logger: quiet });
  const { parseWorkflowCode } = require('@temporalio/worker/lib/worker.js') as { parseWorkflowCode(code: string): unknown };
  const { ReusableVMWorkflowCreator } = require('@temporalio/worker/lib/workflow/reusable-vm.js') as {
    ReusableVMWorkflowCreator: {
      create(bundle: unknown, timeoutMs: number, activityNames: Set<string>): Promise<{ createWorkflow(options: unknown): Promise<unknown> }>;
    };
  };
  const creator = await ReusableVMWorkflowCreator.create(parseWorkflowCode(bundle.code), 5_000, new Set());
  let created = 0;
  return async () => {
    const index = created++;
    const runId = `sandbox-run-${index}`;
    const now = new Date();
    const workflow = (await creator.createWorkflow({
      info: {
        workflowType: 'conversationWorkflow',
        workflowId: `conversation-sandbox-${index}`,
        runId,
        firstExecutionRunId: runId,
        taskQueue: 'sandbox',
        namespace: 'default',
        attempt: 1,
        historyLength: 1,
        historySize: 0,
        continueAsNewSuggested: false,
        startTime: now,
        runStartTime: now,
        searchAttributes: {},
        typedSearchAttributes: [],
        memo: {},
        priority: {},
        unsafe: { isReplaying: false, now: Date.now },
      },
      randomnessSeed: [index, 1],
      now: now.getTime(),
      showStackTraceSources: false,
    })) as InternalWorkflow;
    return { ownModules: () => [...workflow.activator.moduleCache.keys()] };
  };
}
