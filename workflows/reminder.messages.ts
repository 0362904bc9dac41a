// The reminder workflow's contract (`reminder-<id>`, domain/workflow-ids.ts): one workflow per
// agent's reminder, started through the API's outbox (kind `start_reminder`) in the transaction
// that stores it, and told of a cancel (kind `reminder_changed`) the same way. Names here are
// stored in workflow histories: add, never rename.
import { defineSignal } from '@temporalio/workflow';

export const reminderWorkflowName = 'reminderWorkflow';

export interface ReminderWorkflowInput {
  reminderId: string;
}

/** The row changed (cancelled): the workflow reads it again. */
export const reminderChangedSignal = defineSignal('reminderChanged');

/** How the reminder ended. */
export type ReminderOutcome = { outcome: 'due' } | { outcome: 'cancelled' };
