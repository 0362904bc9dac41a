// Appending to the event log. Callers append inside the same transaction as the state change
// the event records, so the log never claims what did not happen (and never misses what did).
// The insert trigger announces the event to every listening API process on commit.
import type { ActorKind } from '../prisma/generated/enums.js';
import type { EventView } from '../domain/events.js';
import type { Scope } from '../domain/visibility.js';
import type { Tx } from './db.js';

export interface NewEvent {
  type: string;
  actorKind: ActorKind;
  actorId?: string | null;
  customerId?: string | null;
  conversationId?: string | null;
  ticketId?: string | null;
  teamId?: string | null;
  assigneeId?: string | null;
  internal?: boolean;
  payload?: Record<string, unknown>;
}

export async function appendEvent(tx: Tx, event: NewEvent): Promise<EventView> {
  const row = await tx.event.create({ data: { ...event, payload: (event.payload ?? {}) as object } });
  return toEventView(row);
}

/** An event row as read from Prisma or decoded from a NOTIFY payload. */
export interface EventRow extends Scope {
  id: bigint | number | string;
  type: string;
  occurredAt: Date | string;
  actorKind: string;
  actorId: string | null;
  conversationId: string | null;
  ticketId: string | null;
  payload: unknown;
}

export function toEventView(row: EventRow): EventView {
  return {
    id: String(row.id),
    type: row.type,
    occurredAt: toIsoTimestamp(row.occurredAt),
    actorKind: row.actorKind,
    actorId: row.actorId,
    customerId: row.customerId,
    conversationId: row.conversationId,
    ticketId: row.ticketId,
    payload: (row.payload ?? {}) as Record<string, unknown>,
  };
}

// Prisma stores DateTime as UTC `timestamp(3)`; row_to_json in the NOTIFY trigger prints it
// without a zone, so a bare timestamp is read as UTC.
function toIsoTimestamp(value: Date | string): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`).toISOString();
}
