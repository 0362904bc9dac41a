// Read-only queries of customers: the journey, every event of the customer the viewer may see.
import type { Viewer } from '../../domain/visibility.js';
import type { Db } from '../../infra/db.js';
import { toEventView, visibleEvents } from '../../infra/event-log.js';

/** Events one journey shows at most, oldest first. */
export const journeyLength = 1000;

/**
 * The customer's events the viewer may see now (infra/event-log.ts visibleEvents, the same
 * judgement as the socket's backlog), oldest first; null when there is no such customer.
 */
export async function findCustomerJourney(db: Db, viewer: Viewer, customerId: string) {
  const customer = await db.customer.findUnique({ where: { id: customerId }, select: { id: true } });
  if (!customer) return null;
  const rows = await db.event.findMany({ where: { customerId }, orderBy: { id: 'asc' }, take: journeyLength });
  return (await visibleEvents(db, viewer, rows)).map(toEventView);
}
