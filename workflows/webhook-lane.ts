// `webhook-<endpointId>-<lane>`: sends a lane's deliveries (docs/WEBHOOKS.md).
// - An ordered endpoint's lane is a conversation (or ticket): one after the other, oldest first,
//   so event N+1 is not sent before N was delivered or given up. Each send is an activity whose
//   retry policy is the back-off (up to 3 days by default): a receiver that is down, or answers
//   5xx, is tried again with the same event id.
// - An unordered endpoint has one lane, `unordered` (behind patched('webhook-lane-batches')):
//   each batch activity sends the lane's due deliveries, several at once, and records each try's
//   back-off in its row; the workflow then sleeps until the earliest retry is due or a delivery is
//   written (the signal). Before that lane existed each unordered delivery had a lane (and a
//   workflow) of its own; those still run the first path.
// Once the lane is empty the workflow ends; a delivery written meanwhile signals it
// (signal-with-start through the outbox), so none is left behind.
import { ActivityFailure, ApplicationFailure, condition, continueAsNew, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhook-activities.js';
import { shortActivity } from './activity-options.js';
import { webhookFailures, webhookLanePatches, webhookPendingSignal, webhookUnorderedLane, type WebhookLaneWorkflowInput } from './webhook-lane.messages.js';

const bookkeeping = proxyActivities<WebhookActivities>(shortActivity);

/**
 * The unordered lane's batches: each sends at most a batch (the worker's options) with a few
 * requests in flight and heartbeats after each, so a worker that dies mid-batch is noticed within
 * the heartbeat timeout and the batch runs again on another (its unsent rows are still pending).
 */
const batchSender = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: shortActivity.retry,
});

/** Batches per run of the unordered lane before continuing as new. */
const batchesPerRun = 200;

/** Deliveries per run before continuing as new: a few events each, well under Temporal's limits. */
const deliveriesPerRun = 100;

/** The non-retryable failure's type, when the send ended on one. */
function failureType(error: unknown): string | null {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? (error.cause.type ?? null) : null;
}

/** Sends the lane's pending deliveries; returns when none is left (or the endpoint is off). */
export async function webhookLaneWorkflow({ endpointId, lane }: WebhookLaneWorkflowInput): Promise<void> {
  let pending = 0;
  setHandler(webhookPendingSignal, () => void (pending += 1));
  if (lane === webhookUnorderedLane && patched(webhookLanePatches.batches)) {
    for (let batch = 0; batch < batchesPerRun; batch += 1) {
      // As below: a signal counted during the batch makes the lane look again instead of ending.
      const seen = pending;
      const outcome = await batchSender.sendDueWebhookDeliveries({ endpointId, lane });
      if (outcome.kind === 'disabled') return;
      if (workflowInfo().continueAsNewSuggested) break;
      if (outcome.more) continue;
      if (outcome.retryInMs === null) {
        if (pending === seen) return;
        continue;
      }
      // Until the earliest retry, or a delivery written meanwhile (it is due at once).
      await condition(() => pending !== seen, Math.max(outcome.retryInMs, 1));
    }
    await continueAsNew<typeof webhookLaneWorkflow>({ endpointId, lane });
    return;
  }
  for (let sent = 0; sent < deliveriesPerRun; sent += 1) {
    // A signal that arrives while the next one is looked up (or after) is counted, so a row
    // written just after the lookup is never left: the loop looks again instead of ending.
    const seen = pending;
    const next = await bookkeeping.nextWebhookDelivery({ endpointId, lane });
    if (next.kind === 'disabled') return;
    if (next.kind === 'none') {
      if (pending === seen) return;
      continue;
    }
    const { deliveryId, retry } = next;
    const sender = proxyActivities<WebhookActivities>({
      startToCloseTimeout: retry.attemptTimeoutMs,
      scheduleToCloseTimeout: retry.giveUpAfterMs,
      retry: {
        initialInterval: retry.initialIntervalMs,
        backoffCoefficient: retry.backoffCoefficient,
        maximumInterval: retry.maximumIntervalMs,
        nonRetryableErrorTypes: [webhookFailures.refused, webhookFailures.disabled],
      },
    });
    try {
      await sender.sendWebhookDelivery({ deliveryId });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // Turned off meanwhile: the delivery stays pending and the lane ends; enabling it again wakes the lane.
      if (failureType(error) === webhookFailures.disabled) return;
      await bookkeeping.giveUpWebhookDelivery({ deliveryId });
    }
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await continueAsNew<typeof webhookLaneWorkflow>({ endpointId, lane });
}
