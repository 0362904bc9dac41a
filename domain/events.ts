// Event types of the append-only log. Each state change writes one; the realtime stream and
// the customer's journey are both read from it. Names are stored: add new ones, never rename.

export const eventTypes = {
  conversationCreated: 'conversation.created',
  conversationQueued: 'conversation.queued',
  conversationAssigned: 'conversation.assigned',
  conversationStatusChanged: 'conversation.status_changed',
  messageCreated: 'message.created',
  agentPresenceChanged: 'agent.presence_changed',
} as const;

export type EventType = (typeof eventTypes)[keyof typeof eventTypes];

/** An event as clients receive it over WebSocket and REST. */
export interface EventView {
  /** Monotonic per database; a reconnecting client resumes after the last id it saw. */
  id: string;
  type: string;
  occurredAt: string;
  actorKind: string;
  actorId: string | null;
  customerId: string | null;
  conversationId: string | null;
  ticketId: string | null;
  payload: Record<string, unknown>;
}
