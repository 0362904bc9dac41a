// The webhook lane workflow's contract (`webhook-<endpointId>-<lane>`, domain/workflow-ids.ts):
// one workflow per lane of an outgoing webhook endpoint, woken through the API's outbox (the
// `webhook_lane` kind, written by the Event insert trigger with each delivery). Names here are
// stored in workflow histories: add, never rename.
import { defineSignal } from '@temporalio/workflow';

export const webhookLaneWorkflowName = 'webhookLaneWorkflow';

export interface WebhookLaneWorkflowInput {
  endpointId: string;
  /** An ordered endpoint's conversation (`conversation-<id>`), ticket, customer or `all`; else one delivery's id. */
  lane: string;
}

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
