// `follow-up-<id>`: one follow-up sequence on a conversation. It asks the step activity where the
// sequence stands (which also ends it if the customer has written since it started), waits on a
// durable timer until the next step is due (a `followUpChanged` signal — the customer wrote, an
// agent cancelled — wakes it to look again), then sends that step. Each send is one transaction
// under the conversation's row lock (activities/follow-up-activities.ts): a step whose timer fired
// after the customer's message was stored finds the message and ends the sequence instead, and a
// retried send, or one whose worker died after its commit, finds the step counted and sends
// nothing. A last step with `then: 'resolve'` resolves the conversation afterwards.
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { FollowUpActivities } from '../activities/follow-up-activities.js';
import { shortActivity } from './activity-options.js';
import { followUpChangedSignal, type FollowUpOutcome, type FollowUpWorkflowInput } from './follow-up.messages.js';

const activities = proxyActivities<FollowUpActivities>(shortActivity);

export async function followUpWorkflow(input: FollowUpWorkflowInput): Promise<FollowUpOutcome> {
  const { followUpId } = input;
  let changed = false;
  setHandler(followUpChangedSignal, () => {
    changed = true;
  });
  for (;;) {
    changed = false;
    const current = await activities.reviewFollowUp({ followUpId });
    if (current.status !== 'active') return { status: current.status, sentSteps: current.sentSteps };
    const waitMs = Date.parse(current.nextStepAt) - Date.now();
    if (waitMs > 0 && (await condition(() => changed, waitMs))) {
      if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof followUpWorkflow>(input);
      continue;
    }
    const sent = await activities.sendFollowUpStep({ followUpId, step: current.sentSteps });
    if (sent.resolve) await activities.resolveAfterFollowUp({ followUpId });
  }
}
