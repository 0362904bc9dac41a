// `scheduled-message-<id>`: one reply an agent scheduled for later. It reads the row, waits on a
// durable timer until its send time (an edit or a cancel signals it, and it reads the row again),
// then runs the send activity once the time has come. The send is idempotent by the scheduled
// message's id (activities/scheduled-message-activities.ts): a retried activity, or one whose
// worker died after the message was stored, finds the message and only records it, so the
// customer gets it once. A send the conversation or the author no longer allows ends `failed`,
// with the reason on the row and an event.
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ScheduledMessageActivities } from '../activities/scheduled-message-activities.js';
import { shortActivity } from './activity-options.js';
import { scheduledMessageChangedSignal, type ScheduledMessageOutcome, type ScheduledMessageWorkflowInput } from './scheduled-message.messages.js';

const activities = proxyActivities<ScheduledMessageActivities>(shortActivity);

export async function scheduledMessageWorkflow(input: ScheduledMessageWorkflowInput): Promise<ScheduledMessageOutcome> {
  const { scheduledMessageId } = input;
  let changed = false;
  setHandler(scheduledMessageChangedSignal, () => {
    changed = true;
  });
  for (;;) {
    changed = false;
    const current = await activities.loadScheduledMessage({ scheduledMessageId });
    if (current.status === 'sent') return { outcome: 'sent', messageId: current.messageId ?? '' };
    if (current.status === 'failed') return { outcome: 'failed', reason: current.failureReason ?? '' };
    if (current.status !== 'pending') return { outcome: 'cancelled' };
    const waitMs = Date.parse(current.sendAt) - Date.now();
    // Woken by an edit or a cancel: read the row again (a new time sets a new timer).
    if (waitMs > 0 && (await condition(() => changed, waitMs))) {
      if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof scheduledMessageWorkflow>(input);
      continue;
    }
    // The send time the timer was set for: an edit that moved it since is found by the activity.
    const sent = await activities.sendScheduledMessage({ scheduledMessageId, sendAt: current.sendAt });
    if (sent.outcome !== 'rescheduled') return sent;
  }
}
