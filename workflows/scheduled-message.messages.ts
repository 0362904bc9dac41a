// The scheduled message workflow's contract (`scheduled-message-<id>`, domain/workflow-ids.ts): one
// workflow per message an agent scheduled, started through the API's outbox (kind
// `start_scheduled_message`) in the transaction that stores it, and told of each edit or cancel
// (kind `scheduled_message_changed`) the same way. Names here are stored in workflow histories:
// add, never rename.
import { defineSignal } from '@temporalio/workflow';

export const scheduledMessageWorkflowName = 'scheduledMessageWorkflow';

export interface ScheduledMessageWorkflowInput {
  scheduledMessageId: string;
}

/** The row changed (its time or text edited, or it was cancelled): the workflow reads it again. */
export const scheduledMessageChangedSignal = defineSignal('scheduledMessageChanged');

/** How the scheduled message ended. */
export type ScheduledMessageOutcome = { outcome: 'sent'; messageId: string } | { outcome: 'cancelled' } | { outcome: 'failed'; reason: string };
