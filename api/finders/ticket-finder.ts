// Read-only queries of tickets, with the conversations' visibility rule (domain/visibility.ts)
// as a database filter.
import type { TicketListQuery } from '../../contract/requests/tickets.js';
import { canSee, type StaffViewer } from '../../domain/visibility.js';
import type { Db } from '../../infra/db.js';
import { ticketInclude, toTicketView } from '../../infra/views.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { assigneeFilter } from './conversation-finder.js';

/** Rows one ticket list shows at most, newest first. */
export const ticketPageSize = 200;

/** The same rule as domain/visibility.ts, as a database filter. */
export function ticketsVisibleTo(viewer: StaffViewer): Prisma.TicketWhereInput {
  if (viewer.kind === 'integration' || viewer.role === 'admin') return {};
  return { OR: [{ assigneeId: viewer.userId }, { teamId: null }, ...(viewer.teamId ? [{ teamId: viewer.teamId }] : [])] };
}

/** The ticket list: what the viewer may see, narrowed by the filters. */
export async function findTickets(db: Db, viewer: StaffViewer, query: TicketListQuery) {
  const where: Prisma.TicketWhereInput = {
    AND: [ticketsVisibleTo(viewer), query.status ? { status: query.status } : {}, assigneeFilter(viewer, query.assignee)],
  };
  const rows = await db.ticket.findMany({ where, include: ticketInclude, orderBy: { createdAt: 'desc' }, take: ticketPageSize });
  return rows.map(toTicketView);
}

/** The ticket with its linked conversations (oldest link first), or null when it does not exist or the viewer may not see it. */
export async function findVisibleTicket(db: Db, viewer: StaffViewer, id: string) {
  const ticket = await db.ticket.findUnique({
    where: { id },
    include: { ...ticketInclude, conversations: { select: { conversationId: true }, orderBy: { createdAt: 'asc' } } },
  });
  return ticket && canSee(viewer, { ...ticket, internal: false }) ? ticket : null;
}
