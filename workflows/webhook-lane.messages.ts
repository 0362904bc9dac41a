// The webhook lane workflow's contract (`webhook-<endpointId>-<lane>`, domain/workflow-ids.ts):
// one workflow per lane of an outgoing webhook endpoint, woken through the API's outbox (the
// `webhook_lane` kind, written by the Event insert trigger with each delivery). Names here are
// stored in workflow histories: add, never rename.
import { defineSignal } from '@temporalio/workflow';

export const webhookLaneWorkflowName = 'webhookLaneWorkflow';

export interface WebhookLaneWorkflowInput {
  endpointId: string;
  /**
   * An ordered endpoint's conversation (`conversation-<id>`), ticket, customer or `all`; an
   * unordered endpoint's one lane `unordered` (webhookUnorderedLane), which also carries every
   * redelivery and test event; before that lane existed, one delivery's id.
   */
  lane: string;
}

/** The lane of an endpoint's deliveries that keep no order: drained in batches, several sends at once. */
export const webhookUnorderedLane = 'unordered';

/** patched() ids of the lane workflow (durable: never renamed). */
export const webhookLanePatches = {
  /** The unordered lane sends due deliveries in batches (sendDueWebhookDeliveries) and sleeps until the earliest retry. */
  batches: 'webhook-lane-batches',
} as const;

/**
 * What one batch of the unordered lane did: `disabled`: the endpoint is off or gone (rows wait);
 * `sent`: how many were tried, whether more are due now, and how long until the earliest retry
 * of those still pending (null: none pending).
 */
export type WebhookBatchOutcome = { kind: 'disabled' } | { kind: 'sent'; sent: number; more: boolean; retryInMs: number | null };

/** A delivery was written to the lane: look again before ending. */
export const webhookPendingSignal = defineSignal<[]>('webhookPending');

/** How a delivery is retried (the worker's options, activities/webhook-activities.ts): back-off, then give up. */
export interface WebhookRetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** Failures are retried until this long after the first try; then the delivery is given up. */
  giveUpAfterMs: number;
  /** One try, connection included (the request's own timeout is shorter). */
  attemptTimeoutMs: number;
}

/** The lane's next delivery, oldest first; `none`: the lane is empty; `disabled`: the endpoint is off (rows wait). */
export type NextWebhookDelivery = { kind: 'send'; deliveryId: string; retry: WebhookRetryPolicy } | { kind: 'none' } | { kind: 'disabled' };

/** Stable `type`s of the send activity's non-retryable failures. */
export const webhookFailures = {
  /** The outbound guard refused the URL (an internal address): retrying will not help. */
  refused: 'webhook_refused',
  /** The endpoint was turned off (or deleted) meanwhile: the delivery waits for it to be on again. */
  disabled: 'webhook_disabled',
} as const;
