// Outgoing webhook endpoints (docs/WEBHOOKS.md), what the API and the worker share: the views,
// the body a delivery carries, and the endpoint's secret, sealed with the same box as the rules'
// webhook secrets (infra/secrets/webhook-secrets.ts), the endpoint's id as associated data.
import type { WebhookDeliveryView, WebhookEndpointView } from '../../contract/webhooks.js';
import { webhookPingType, webhookTypeOf } from '../../domain/webhook-events.js';
import type { Db, Tx } from '../db.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../prisma/generated/client.js';

export const toWebhookEndpointView = (row: WebhookEndpoint): WebhookEndpointView => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: row.events,
  ordered: row.ordered,
  enabled: row.enabled,
  disabledAt: row.disabledAt?.toISOString() ?? null,
  disabledReason: row.disabledReason,
  failuresInARow: row.failuresInARow,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const toWebhookDeliveryView = (row: WebhookDelivery): WebhookDeliveryView => ({
  id: row.id,
  eventId: row.eventKey,
  type: webhookTypeOf(row.type),
  status: row.status,
  attempts: row.attempts,
  lastStatus: row.lastStatus,
  lastError: row.lastError,
  lastLatencyMs: row.lastLatencyMs,
  nextRetryAt: row.nextRetryAt?.toISOString() ?? null,
  redeliveryOf: row.redeliveryOf,
  createdAt: row.createdAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
});

export const sealEndpointSecret = (box: SecretBox, endpointId: string, secret: string): Uint8Array<ArrayBuffer> => box.seal(secret, endpointId);
/** Throws SecretUnreadableError when SEAMLESS_SECRET changed since it was sealed. */
export const openEndpointSecret = (box: SecretBox, endpoint: Pick<WebhookEndpoint, 'id' | 'sealedSecret'>): string =>
  box.open(endpoint.sealedSecret, endpoint.id);

/** What a receiver gets (docs/WEBHOOKS.md, "What arrives"). */
export interface WebhookBody {
  /** The same as Seamless-Event-Id. */
  id: string;
  type: string;
  /** The event log's own type, finer than `type` (ticket.updated: which change). */
  logType: string;
  occurredAt: string;
  conversationId: string | null;
  ticketId: string | null;
  customerId: string | null;
  /** An internal event (a private note): never shown to the customer. */
  internal: boolean;
  data: Record<string, unknown>;
}

type EventOfBody = {
  type: string;
  occurredAt: Date;
  conversationId: string | null;
  ticketId: string | null;
  customerId: string | null;
  internal: boolean;
  payload: unknown;
};
const eventOfBody = { id: true, type: true, occurredAt: true, conversationId: true, ticketId: true, customerId: true, internal: true, payload: true } as const;
type BodySource = Pick<WebhookDelivery, 'eventId' | 'eventKey' | 'type' | 'payload' | 'createdAt'>;

/** The body from the delivery and its event (null: the event is gone); a ping's as stored. */
function bodyOf(delivery: BodySource, event: EventOfBody | null | undefined): WebhookBody | null {
  if (delivery.eventId === null) {
    return {
      id: delivery.eventKey,
      type: webhookPingType,
      logType: webhookPingType,
      occurredAt: delivery.createdAt.toISOString(),
      conversationId: null,
      ticketId: null,
      customerId: null,
      internal: false,
      data: (delivery.payload ?? {}) as Record<string, unknown>,
    };
  }
  if (!event) return null;
  return {
    id: delivery.eventKey,
    type: webhookTypeOf(event.type),
    logType: event.type,
    occurredAt: event.occurredAt.toISOString(),
    conversationId: event.conversationId,
    ticketId: event.ticketId,
    customerId: event.customerId,
    internal: event.internal,
    data: (event.payload ?? {}) as Record<string, unknown>,
  };
}

/** The bodies of a batch of deliveries, their events read in one query; null for an event gone (erased). */
export async function webhookBodiesOf<T extends BodySource & { id: string }>(db: Db | Tx, deliveries: readonly T[]): Promise<Map<string, WebhookBody | null>> {
  const ids = [...new Set(deliveries.flatMap((delivery) => (delivery.eventId === null ? [] : [delivery.eventId])))];
  const events = ids.length === 0 ? [] : await db.event.findMany({ where: { id: { in: ids } }, select: eventOfBody });
  const byId = new Map(events.map((event) => [event.id, event]));
  return new Map(deliveries.map((delivery) => [delivery.id, bodyOf(delivery, delivery.eventId === null ? null : byId.get(delivery.eventId))]));
}

/** The body of a delivery, from its event (or, for a ping, as stored); null when the event is gone (erased). */
export async function webhookBodyOf(
  db: Db | Tx,
  delivery: Pick<WebhookDelivery, 'eventId' | 'eventKey' | 'type' | 'payload' | 'createdAt'>,
): Promise<WebhookBody | null> {
  const event = delivery.eventId === null ? null : await db.event.findUnique({ where: { id: delivery.eventId }, select: eventOfBody });
  return bodyOf(delivery, event);
}
