// The ticket list as pure functions: the filters (kept in the URL query, so a filtered list can
// be shared and survives a reload), which GET /api/tickets requests a filter needs, and the
// reducer folding live `ticket.*` events into the list. The API filters by one status and by
// "me"/"unassigned"; "unsolved" is asked for one status at a time (as the inbox does), and the
// priority and text filters are applied here, to the rows the API returned.
import type { EventView } from '../../../domain/events';
import { priorities, ticketStatuses, type Priority, type TicketStatus } from '../../../domain/vocabulary';
import { queryChoice, queryText } from '../shared/route-query';
import { isTicketView, type TicketQuery, type TicketView } from './ticket-types';

/** Statuses someone still has to work on: the default list. */
export const unsolvedStatuses = ['new', 'open', 'pending', 'on_hold'] as const satisfies readonly TicketStatus[];

export const statusFilters = ['unsolved', 'all', ...ticketStatuses] as const;
export type StatusFilter = (typeof statusFilters)[number];
export const assigneeFilters = ['all', 'me', 'unassigned'] as const;
export type AssigneeFilter = (typeof assigneeFilters)[number];
export const priorityFilters = ['all', ...priorities] as const;
export type PriorityFilter = (typeof priorityFilters)[number];

export interface TicketFilter {
  status: StatusFilter;
  assignee: AssigneeFilter;
  priority: PriorityFilter;
  /** Words to find in the subject, the number or the customer (of the rows loaded). */
  text: string;
}

export const defaultTicketFilter: TicketFilter = { status: 'unsolved', assignee: 'all', priority: 'all', text: '' };

/** The most rows one GET /api/tickets returns (the server's `take`). */
export const ticketListLimit = 200;

/** The filter a route query names; anything unknown falls back to the default. */
export function parseTicketFilter(query: Record<string, unknown>): TicketFilter {
  return {
    status: queryChoice(query, 'status', statusFilters, defaultTicketFilter.status),
    assignee: queryChoice(query, 'assignee', assigneeFilters, defaultTicketFilter.assignee),
    priority: queryChoice(query, 'priority', priorityFilters, defaultTicketFilter.priority),
    text: queryText(query, 'q', 200),
  };
}

/** The route query of a filter; defaults are left out so the plain list has a plain URL. */
export function ticketFilterQuery(filter: TicketFilter): Record<string, string> {
  const query: Record<string, string> = {};
  if (filter.status !== defaultTicketFilter.status) query.status = filter.status;
  if (filter.assignee !== defaultTicketFilter.assignee) query.assignee = filter.assignee;
  if (filter.priority !== defaultTicketFilter.priority) query.priority = filter.priority;
  if (filter.text.trim()) query.q = filter.text.trim();
  return query;
}

/** The GET /api/tickets requests whose answers together make the list of a filter. */
export function ticketRequests(filter: Pick<TicketFilter, 'status' | 'assignee'>): TicketQuery[] {
  const assignee = filter.assignee === 'all' ? {} : { assignee: filter.assignee };
  if (filter.status === 'all') return [assignee];
  if (filter.status === 'unsolved') return unsolvedStatuses.map((status) => ({ status, ...assignee }));
  return [{ status: filter.status, ...assignee }];
}

function statusMatches(status: TicketStatus, filter: StatusFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'unsolved') return (unsolvedStatuses as readonly TicketStatus[]).includes(status);
  return status === filter;
}

function textMatches(ticket: TicketView, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [`#${ticket.number}`, ticket.subject, ticket.customer?.name ?? '', ticket.customer?.email ?? ''].join(' ').toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** Whether a ticket belongs in the list of a filter; `viewerId` is who "me" is. */
export function matchesTicketFilter(ticket: TicketView, filter: TicketFilter, viewerId: string): boolean {
  if (!statusMatches(ticket.status, filter.status)) return false;
  if (filter.assignee === 'me' && ticket.assigneeId !== viewerId) return false;
  if (filter.assignee === 'unassigned' && ticket.assigneeId !== null) return false;
  if (filter.priority !== 'all' && ticket.priority !== (filter.priority as Priority)) return false;
  return textMatches(ticket, filter.text);
}

export interface TicketListState {
  /** Every ticket the server's filters returned, kept current by events; by id. */
  tickets: Readonly<Record<string, TicketView>>;
  /** A response came back full: there may be more tickets than the list shows. */
  capped: boolean;
}

export const emptyTicketList: TicketListState = { tickets: {}, capped: false };

/**
 * Whether `incoming` is at least as recent as `known`. A REST answer and an event may arrive in
 * either order; the later write wins, so a slow response never undoes a newer event.
 */
export function isNewer(incoming: TicketView, known: TicketView | undefined): boolean {
  return !known || incoming.updatedAt >= known.updatedAt;
}

/** A fresh snapshot: the answers of `ticketRequests`, merged (a ticket is in at most one). */
export function replaceTicketList(state: TicketListState, lists: readonly (readonly TicketView[])[]): TicketListState {
  const tickets: Record<string, TicketView> = {};
  for (const list of lists) {
    for (const ticket of list) {
      // An event folded in while the request was out may be newer than the snapshot.
      const known = state.tickets[ticket.id];
      tickets[ticket.id] = known && !isNewer(ticket, known) ? known : ticket;
    }
  }
  return { tickets, capped: lists.some((list) => list.length >= ticketListLimit) };
}

/**
 * Folds in one version of a ticket (from an event, or from an action's answer): kept when it
 * matches the server-side part of the filter, dropped when it no longer does; older versions
 * are ignored, so applying the same event twice changes nothing.
 */
export function applyTicket(state: TicketListState, ticket: TicketView, filter: TicketFilter, viewerId: string): TicketListState {
  const known = state.tickets[ticket.id];
  if (!isNewer(ticket, known)) return state;
  // Priority and text are applied when the list is shown: a ticket whose priority changes must
  // not vanish from the state and miss later events.
  const belongs = matchesTicketFilter(ticket, { ...filter, priority: 'all', text: '' }, viewerId);
  if (!belongs && !known) return state;
  const tickets = { ...state.tickets };
  if (belongs) tickets[ticket.id] = ticket;
  else delete tickets[ticket.id];
  return { ...state, tickets };
}

/** The ticket an event carries: every `ticket.*` event, and SLA events about a ticket. */
export function ticketOfEvent(event: EventView): TicketView | null {
  if (!event.ticketId) return null;
  const ticket = event.payload.ticket;
  return isTicketView(ticket) && ticket.id === event.ticketId ? ticket : null;
}

/** Newest first, as the API sorts; ties broken by number so the order is stable. */
export function sortTickets(list: readonly TicketView[]): TicketView[] {
  return [...list].sort((a, b) => (a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : b.number - a.number));
}

/** The rows to show for a filter. */
export function visibleTickets(state: TicketListState, filter: TicketFilter, viewerId: string): TicketView[] {
  return sortTickets(Object.values(state.tickets).filter((ticket) => matchesTicketFilter(ticket, filter, viewerId)));
}
