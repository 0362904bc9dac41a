// `npx tsx scripts/record-reminder-history.ts`: records the reminder workflow's histories for the
// replay test on the time-skipping server with scripted activities (no database):
// - workflows/histories/reminder-due.json: a day's timer, then fired and the conversation brought back;
// - workflows/histories/reminder-cancelled.json: cancelled (signalled) while its timer runs.
// Re-record only on purpose (see record-histories.ts).
import { writeFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { reminderWorkflowId } from '../domain/workflow-ids.js';
import { historyToJson } from '../test/support/history-json.js';
import { startTimeSkipping } from '../test/support/time-skipping.js';
import type { ReminderActivities } from '../activities/reminder-activities.js';
import { reminderChangedSignal, reminderWorkflowName } from '../workflows/reminder.messages.js';

const { env, bundle } = await startTimeSkipping();
const dueAt = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();
const cancelled = new Set<string>();

const activities: ReminderActivities = {
  loadReminder: async ({ reminderId }) => ({ status: cancelled.has(reminderId) ? 'cancelled' : 'pending', dueAt }),
  fireReminder: async () => ({ outcome: 'due' }),
  bringBackReminded: async () => undefined,
};
const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'record', workflowBundle: bundle, activities });
await worker.runUntil(async () => {
  for (const reminderId of ['due', 'cancelled']) {
    const handle = await env.client.workflow.start(reminderWorkflowName, {
      taskQueue: 'record',
      workflowId: reminderWorkflowId(reminderId),
      args: [{ reminderId }],
    });
    if (reminderId === 'cancelled') {
      cancelled.add(reminderId);
      await handle.signal(reminderChangedSignal);
    }
    console.log(reminderId, await handle.result());
    const history = await handle.fetchHistory();
    writeFileSync(`workflows/histories/reminder-${reminderId}.json`, historyToJson(history));
    console.log(reminderId, 'events', history.events?.length);
  }
});
await env.teardown();
