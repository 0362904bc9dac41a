// The JSON shapes of the ticket endpoints (contract/views.ts: `TicketView`) and their query
// string. Pure, so the list logic and its tests need no session.
import type { TicketStatus } from '../../../domain/vocabulary';
import type { TicketView } from '../../../contract/views';

export type { TicketView };

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
  return (
    typeof v.id === 'string' && typeof v.number === 'number' && typeof v.status === 'string' && typeof v.subject === 'string' && typeof v.updatedAt === 'string'
  );
}
