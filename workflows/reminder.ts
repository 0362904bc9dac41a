// `reminder-<id>`: one agent's reminder on a conversation. It reads the row, waits on a durable
// timer until its time (a cancel signals it, and it reads the row again), then fires it: the fire
// activity marks it due and writes `reminder.due` in one transaction under the row's lock, so a
// retried activity, or one whose worker died after its commit, finds it due and writes nothing
// twice. Then the conversation comes back to the owner's inbox (the conversation workflow's
// `reminderDue` update, which leaves a conversation already back alone).
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ReminderActivities } from '../activities/reminder-activities.js';
import { shortActivity } from './activity-options.js';
import { reminderChangedSignal, type ReminderOutcome, type ReminderWorkflowInput } from './reminder.messages.js';

const activities = proxyActivities<ReminderActivities>(shortActivity);

export async function reminderWorkflow(input: ReminderWorkflowInput): Promise<ReminderOutcome> {
  const { reminderId } = input;
  let changed = false;
  setHandler(reminderChangedSignal, () => {
    changed = true;
  });
  for (;;) {
    changed = false;
    const current = await activities.loadReminder({ reminderId });
    if (current.status === 'due') return { outcome: 'due' };
    if (current.status !== 'pending') return { outcome: 'cancelled' };
    const waitMs = Date.parse(current.dueAt) - Date.now();
    if (waitMs > 0 && (await condition(() => changed, waitMs))) {
      if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof reminderWorkflow>(input);
      continue;
    }
    const fired = await activities.fireReminder({ reminderId });
    if (fired.outcome !== 'due') return fired;
    await activities.bringBackReminded({ reminderId });
    return fired;
  }
}
