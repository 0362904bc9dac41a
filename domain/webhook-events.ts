// The event types outgoing webhooks offer (docs/WEBHOOKS.md, "Event types"): a public, stable
// list, each standing for one or more types of the event log (domain/events.ts). The log's names
// are internal and grow; these are the contract with receivers. Each log type belongs to at most
// one public type, so a delivery's public type follows from its event. Add types, never rename.
import { eventTypeRegistry, type EventType } from './events.js';

const ticketTypesNotOffered: readonly string[] = ['ticket.created', 'ticket.sla_policy_applied', 'ticket.note_added', 'ticket.pending_reminder'];

export const webhookEventTypes = {
  'conversation.created': ['conversation.created'],
  'conversation.assigned': ['conversation.assigned'],
  'conversation.resolved': ['conversation.resolved'],
  'conversation.reopened': ['conversation.reopened'],
  'conversation.closed': ['conversation.closed'],
  'message.created': ['message.created'],
  'ticket.created': ['ticket.created'],
  /** Every change of a ticket after its creation, but its internal notes and SLA bookkeeping. */
  'ticket.updated': eventTypeRegistry.ticket.filter((type) => !ticketTypesNotOffered.includes(type)),
  'csat.received': ['csat.received'],
  'contact.updated': ['customer.updated', 'customer.merged'],
} as const satisfies Record<string, readonly EventType[]>;

export type WebhookEventType = keyof typeof webhookEventTypes;
export const webhookEventTypeNames = Object.keys(webhookEventTypes) as WebhookEventType[];
/** What POST /api/webhooks/:id/test sends; not a subscription. */
export const webhookPingType = 'ping';

const publicTypeOfLogType = new Map<string, WebhookEventType>(
  webhookEventTypeNames.flatMap((name) => webhookEventTypes[name].map((logType) => [logType, name] as const)),
);

/** The event log types a subscription to these public types matches, each once, in a stable order. */
export function logTypesOf(events: readonly WebhookEventType[]): string[] {
  return [...new Set(webhookEventTypeNames.filter((name) => events.includes(name)).flatMap((name) => webhookEventTypes[name]))];
}

/** The public type a delivery of this log type carries (`ping` for a test event). */
export function webhookTypeOf(logType: string): string {
  return publicTypeOfLogType.get(logType) ?? (logType === webhookPingType ? webhookPingType : logType);
}

/**
 * When a failing endpoint is turned off: after `limit` deliveries in a row were given up (each
 * after the whole retry schedule, up to 3 days, failed), with no success between them.
 */
export const shouldDisableWebhook = (failuresInARow: number, limit: number): boolean => limit > 0 && failuresInARow >= limit;

/**
 * The other rule: an endpoint whose every try has failed for `windowMs` (24 hours by default)
 * since `failingSince` (its first failure after its last success) is turned off too, however few
 * deliveries were given up. Never with the window off (0).
 */
export const failingTooLong = (failingSince: Date | null, now: Date, windowMs: number): boolean =>
  windowMs > 0 && failingSince !== null && now.getTime() - failingSince.getTime() >= windowMs;

/** The window in the reason an endpoint was turned off: "24 hours", "90 minutes", "30 seconds". */
export function describeFailingWindow(windowMs: number): string {
  const [amount, unit] =
    windowMs % 3_600_000 === 0
      ? [windowMs / 3_600_000, 'hour']
      : windowMs % 60_000 === 0
        ? [windowMs / 60_000, 'minute']
        : [Math.round(windowMs / 1000), 'second'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}
