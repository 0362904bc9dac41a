// The write every ticket activity builds on, inside the caller's transaction: a change of the
// ticket with the event that records it (carrying the updated view).
import type { EventDetailsOf } from '../contract/events.js';
import type { EventType } from '../domain/events.js';
import type { Tx } from '../infra/db.js';
import { appendEventOfAnyType } from '../infra/event-log.js';
import { ticketInclude, ticketScope, toTicketView } from '../infra/views.js';
import type { Prisma } from '../prisma/generated/client.js';

export interface TicketEvent<T extends EventType = EventType> {
  type: T;
  actorId: string | null;
  /** Internal events reach agents only, never the customer. */
  internal?: boolean;
  /** What contract/events.ts declares for the type, but the ticket (added here). */
  payload?: EventDetailsOf<T, 'ticket'>;
}

export async function changeTicket<T extends EventType>(
  tx: Tx,
  ticketId: string,
  change: Prisma.TicketUncheckedUpdateInput,
  event: TicketEvent<T>,
): Promise<void> {
  const ticket = await tx.ticket.update({ where: { id: ticketId }, data: change, include: ticketInclude });
  await appendEventOfAnyType(tx, {
    type: event.type,
    actorKind: event.actorId ? 'agent' : 'system',
    actorId: event.actorId,
    ticketId,
    internal: event.internal ?? false,
    ...ticketScope(ticket),
    payload: { ...event.payload, ticket: toTicketView(ticket) },
  });
}
