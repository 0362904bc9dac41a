// `webhook-<endpointId>-<lane>`: sends a lane's deliveries one after the other, oldest first
// (docs/WEBHOOKS.md). An ordered endpoint's lane is a conversation (or ticket): event N+1 is not
// sent before N was delivered or given up. An unordered endpoint's deliveries each have a lane of
// their own, so they go out in parallel. Each send is an activity whose retry policy is the
// back-off (up to 3 days by default): a receiver that is down, or answers 5xx, is tried again
// with the same event id. Once the lane is empty the workflow ends; a delivery written meanwhile
// signals it (signal-with-start through the outbox), so none is left behind.
import { ActivityFailure, ApplicationFailure, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhook-activities.js';
import { shortActivity } from './activity-options.js';
import { webhookFailures, webhookPendingSignal, type WebhookLaneWorkflowInput } from './webhook-lane.messages.js';

const bookkeeping = proxyActivities<WebhookActivities>(shortActivity);

/** Deliveries per run before continuing as new: a few events each, well under Temporal's limits. */
const deliveriesPerRun = 100;

/** The non-retryable failure's type, when the send ended on one. */
function failureType(error: unknown): string | null {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? (error.cause.type ?? null) : null;
}

/** Sends the lane's pending deliveries in order; returns when none is left (or the endpoint is off). */
export async function webhookLaneWorkflow({ endpointId, lane }: WebhookLaneWorkflowInput): Promise<void> {
  let pending = 0;
  setHandler(webhookPendingSignal, () => void (pending += 1));
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
