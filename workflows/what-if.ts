// `what-if-<runId>`: replays past traffic against a candidate setting (issue 22 part 2). Each
// batch is one activity (activities/what-if-activities.ts) that moves the run's cursor and tally
// together, so a batch retried after its commit changes nothing. Cancelled (the API's cancel), it
// marks the run cancelled in a scope that cannot be cancelled, then ends as cancelled.
import { CancellationScope, continueAsNew, isCancellation, proxyActivities, setHandler, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { WhatIfActivities } from '../activities/what-if-activities.js';
import { shortActivity } from './activity-options.js';
import { whatIfProgressQuery, type WhatIfProgress, type WhatIfWorkflowInput } from './what-if.messages.js';

/**
 * One batch: a few hundred conversations' events read and replayed, seconds at most; heartbeats
 * so a dead worker is noticed. Retried until it succeeds (a batch is idempotent); the admin can
 * cancel the job.
 */
const whatIfBatchActivity: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

const batches = proxyActivities<WhatIfActivities>(whatIfBatchActivity);
const { finishWhatIf } = proxyActivities<WhatIfActivities>(shortActivity);

export const defaultWhatIfBatchSize = 500;

export async function whatIfWorkflow({ runId, batchSize = defaultWhatIfBatchSize }: WhatIfWorkflowInput): Promise<void> {
  const progress: WhatIfProgress = { processed: 0, total: 0, done: false };
  setHandler(whatIfProgressQuery, () => progress);
  try {
    while (!progress.done && !workflowInfo().continueAsNewSuggested) {
      Object.assign(progress, await batches.replayWhatIfBatch({ runId, batchSize }));
    }
  } catch (error) {
    const outcome = isCancellation(error)
      ? ({ status: 'cancelled' } as const)
      : ({ status: 'failed', error: error instanceof Error ? error.message : String(error) } as const);
    await CancellationScope.nonCancellable(() => finishWhatIf({ runId, ...outcome }));
    throw error;
  }
  if (!progress.done) await continueAsNew<typeof whatIfWorkflow>({ runId, batchSize });
}
