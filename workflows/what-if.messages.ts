// The what-if job's contract (`what-if-<runId>`, whatIfWorkflowId): one workflow per job an
// admin starts (POST /api/what-if), which replays the run's period batch by batch (one activity
// per batch) until none is left, and is cancelled by POST /api/what-if/:id/cancel (Temporal
// cancellation). Names here are stored in workflow histories: add, never rename.
import { defineQuery } from '@temporalio/workflow';

export const whatIfWorkflowName = 'whatIfWorkflow';

/** One workflow per job. */
export const whatIfWorkflowId = (runId: string): string => `what-if-${runId}`;

export interface WhatIfWorkflowInput {
  runId: string;
  /** Conversations per batch (default 500). */
  batchSize?: number;
}

/** Where the job stands (also in its WhatIfRun row, updated per batch, for the API). */
export interface WhatIfProgress {
  processed: number;
  total: number;
  done: boolean;
}

export const whatIfProgressQuery = defineQuery<WhatIfProgress>('progress');
