// The follow-up workflow's contract (`follow-up-<id>`, domain/workflow-ids.ts): one workflow per
// follow-up sequence, started through the API's outbox (kind `start_follow_up`) in the transaction
// that stores it (by an agent, or by the rule action `start_follow_up` in the worker), and woken
// (kind `follow_up_changed`) when an agent cancels it or the customer writes (a trigger on the
// message insert writes that row). Names here are stored in workflow histories: add, never rename.
import { defineSignal } from '@temporalio/workflow';

export const followUpWorkflowName = 'followUpWorkflow';

export interface FollowUpWorkflowInput {
  followUpId: string;
}

/** The follow-up may have ended (cancelled, or the customer wrote): the workflow looks again. */
export const followUpChangedSignal = defineSignal('followUpChanged');

/** How the follow-up ended: its status and the steps sent. */
export interface FollowUpOutcome {
  status: 'completed' | 'cancelled' | 'failed';
  sentSteps: number;
}
