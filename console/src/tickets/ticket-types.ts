// The JSON shapes of the ticket endpoints (api/README.md, "Shapes": `ticket`) and their query
// string. Pure, so the list logic and its tests need no session.
import type { Priority, RoutingTier, SlaState, TicketStatus } from '../../../domain/vocabulary';
import type { CustomerSummary } from '../shared/wire-types';

/** api/README.md, `ticket`. */
export interface TicketView {
  id: string;
  number: number;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: Priority;
  tier: RoutingTier;
  assigneeId: string | null;
  assigneeName: string | null;
  teamId: string | null;
  customerId: string;
  customer: CustomerSummary | null;
  slaState: SlaState;
  resolutionDueAt: string | null;
  solvedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What GET /api/tickets filters by: one status, and "me" or "unassigned" (no priority, no text). */
export interface TicketQuery {
  status?: TicketStatus;
  assignee?: 'me' | 'unassigned';
}

export function ticketQueryString(query: TicketQuery): string {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.assignee) params.set('assignee', query.assignee);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Narrowing for payloads read off the WebSocket. */
export function isTicketView(value: unknown): value is TicketView {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.number === 'number' && typeof v.status === 'string' && typeof v.subject === 'string' && typeof v.updatedAt === 'string';
}
