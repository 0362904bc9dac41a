// Outgoing webhook endpoints and their delivery log as the API sends them (docs/WEBHOOKS.md). The
// secret never appears here: it is shown once, in the answer that created or rotated it.
export { webhookEventTypeNames, webhookEventTypes, webhookPingType, type WebhookEventType } from '../domain/webhook-events.js';

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  /** Public event types (webhookEventTypes). */
  events: string[];
  /** Per conversation (or ticket), event N+1 is not sent before N was delivered or given up. */
  ordered: boolean;
  enabled: boolean;
  /** Set while turned off after sustained failure: when and why. */
  disabledAt: string | null;
  disabledReason: string | null;
  /** Deliveries given up in a row since the last success. */
  failuresInARow: number;
  createdAt: string;
  updatedAt: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryView {
  id: string;
  /** What the receiver gets as Seamless-Event-Id: the same for every try and every redelivery of the event. */
  eventId: string;
  /** The public type (`ping` for a test event). */
  type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** The receiver's last HTTP status; null when it was not reached (refused, timed out). */
  lastStatus: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  /** When the next try is due, while pending after a failure. */
  nextRetryAt: string | null;
  /** A redelivery: the delivery it repeats. */
  redeliveryOf: string | null;
  createdAt: string;
  finishedAt: string | null;
}
