import { describe, expect, it } from 'vitest';
import type { EventView } from '../../../domain/events';
import {
  applyTicket,
  defaultTicketFilter,
  emptyTicketList,
  matchesTicketFilter,
  parseTicketFilter,
  replaceTicketList,
  sortTickets,
  ticketFilterQuery,
  ticketListLimit,
  ticketOfEvent,
  ticketRequests,
  visibleTickets,
  type TicketFilter,
} from './ticket-list';
import { ticketQueryString, type TicketView } from './ticket-types';

const me = 'user-me';
const ticket = (overrides: Partial<TicketView> = {}): TicketView => ({
  id: 't1',
  number: 7,
  subject: 'Refund for order 1001',
  description: '',
  status: 'open',
  priority: 'normal',
  tier: 'junior',
  assigneeId: null,
  assigneeName: null,
  teamId: null,
  customerId: 'c1',
  customer: { id: 'c1', name: 'Casey Customer', email: 'casey@example.com' },
  slaState: 'ok',
  resolutionDueAt: null,
  solvedAt: null,
  closedAt: null,
  createdAt: '2025-03-10T09:00:00.000Z',
  updatedAt: '2025-03-10T09:00:00.000Z',
  ...overrides,
});
const filter = (overrides: Partial<TicketFilter> = {}): TicketFilter => ({ ...defaultTicketFilter, ...overrides });
const event = (type: string, payload: Record<string, unknown>, ticketId: string | null = 't1'): EventView => ({
  id: '1',
  type,
  occurredAt: '2025-03-10T10:00:00.000Z',
  actorKind: 'agent',
  actorId: me,
  customerId: 'c1',
  conversationId: null,
  ticketId,
  payload,
});

describe('ticket filters in the URL', () => {
  it('reads a shared link and falls back to the defaults for anything unknown', () => {
    expect(parseTicketFilter({ status: 'pending', assignee: 'me', priority: 'urgent', q: 'refund' })).toEqual({
      status: 'pending',
      assignee: 'me',
      priority: 'urgent',
      text: 'refund',
    });
    expect(parseTicketFilter({ status: 'nonsense', assignee: ['unassigned'], priority: 42 })).toEqual({ ...defaultTicketFilter, assignee: 'unassigned' });
    expect(parseTicketFilter({})).toEqual(defaultTicketFilter);
  });

  it('writes only what differs from the default, so the plain list has a plain URL', () => {
    expect(ticketFilterQuery(defaultTicketFilter)).toEqual({});
    expect(ticketFilterQuery(filter({ status: 'all', priority: 'high', text: '  refund ' }))).toEqual({ status: 'all', priority: 'high', q: 'refund' });
    expect(parseTicketFilter(ticketFilterQuery(filter({ status: 'on_hold', assignee: 'me' })))).toEqual(filter({ status: 'on_hold', assignee: 'me' }));
  });
});

describe('ticketRequests', () => {
  it('asks for each unsolved status on its own: the API filters by one status', () => {
    expect(ticketRequests({ status: 'unsolved', assignee: 'me' })).toEqual([
      { status: 'new', assignee: 'me' },
      { status: 'open', assignee: 'me' },
      { status: 'pending', assignee: 'me' },
      { status: 'on_hold', assignee: 'me' },
    ]);
  });

  it('asks once for one status or for all, with the assignee filter the API knows', () => {
    expect(ticketRequests({ status: 'solved', assignee: 'all' })).toEqual([{ status: 'solved' }]);
    expect(ticketRequests({ status: 'all', assignee: 'unassigned' })).toEqual([{ assignee: 'unassigned' }]);
    expect(ticketQueryString({ status: 'on_hold', assignee: 'me' })).toBe('?status=on_hold&assignee=me');
    expect(ticketQueryString({})).toBe('');
  });
});

describe('matchesTicketFilter', () => {
  it('keeps solved and closed tickets out of the unsolved list', () => {
    expect(matchesTicketFilter(ticket({ status: 'pending' }), filter(), me)).toBe(true);
    expect(matchesTicketFilter(ticket({ status: 'solved' }), filter(), me)).toBe(false);
    expect(matchesTicketFilter(ticket({ status: 'closed' }), filter({ status: 'all' }), me)).toBe(true);
  });

  it('tells mine from unassigned, and filters by priority', () => {
    expect(matchesTicketFilter(ticket({ assigneeId: me }), filter({ assignee: 'me' }), me)).toBe(true);
    expect(matchesTicketFilter(ticket({ assigneeId: 'someone' }), filter({ assignee: 'me' }), me)).toBe(false);
    expect(matchesTicketFilter(ticket({ assigneeId: me }), filter({ assignee: 'unassigned' }), me)).toBe(false);
    expect(matchesTicketFilter(ticket({ priority: 'urgent' }), filter({ priority: 'urgent' }), me)).toBe(true);
    expect(matchesTicketFilter(ticket({ priority: 'low' }), filter({ priority: 'urgent' }), me)).toBe(false);
  });

  it('finds every word in the number, subject or customer, in any case', () => {
    expect(matchesTicketFilter(ticket(), filter({ text: 'REFUND casey' }), me)).toBe(true);
    expect(matchesTicketFilter(ticket(), filter({ text: '#7' }), me)).toBe(true);
    expect(matchesTicketFilter(ticket(), filter({ text: 'refund chargeback' }), me)).toBe(false);
  });
});

describe('the live list', () => {
  const t1 = ticket();

  it('adds a ticket created live when it fits the filter, and drops one that stops fitting', () => {
    const added = applyTicket(emptyTicketList, t1, filter(), me);
    expect(Object.keys(added.tickets)).toEqual(['t1']);
    const solved = applyTicket(added, ticket({ status: 'solved', updatedAt: '2025-03-10T10:00:00.000Z' }), filter(), me);
    expect(solved.tickets).toEqual({});
    // A ticket the list never had and does not fit is not added.
    expect(applyTicket(emptyTicketList, ticket({ status: 'solved' }), filter(), me)).toBe(emptyTicketList);
  });

  it('keeps a ticket whose priority leaves the priority filter, so later events still reach it', () => {
    const urgentOnly = filter({ priority: 'urgent' });
    const state = applyTicket(emptyTicketList, ticket({ priority: 'urgent' }), urgentOnly, me);
    const lowered = applyTicket(state, ticket({ priority: 'normal', updatedAt: '2025-03-10T10:00:00.000Z' }), urgentOnly, me);
    expect(Object.keys(lowered.tickets)).toEqual(['t1']);
    expect(visibleTickets(lowered, urgentOnly, me)).toEqual([]);
  });

  it('ignores an older version, so a slow answer never undoes a newer event and a replay changes nothing', () => {
    const newer = ticket({ status: 'pending', updatedAt: '2025-03-10T10:00:00.000Z' });
    const state = applyTicket(emptyTicketList, newer, filter(), me);
    expect(applyTicket(state, t1, filter(), me)).toBe(state);
    expect(applyTicket(state, newer, filter(), me).tickets).toEqual(state.tickets);
    // A snapshot that predates the event keeps the event's version.
    expect(replaceTicketList(state, [[t1]]).tickets.t1).toBe(newer);
  });

  it('merges the answers of several requests and says when one came back full', () => {
    const state = replaceTicketList(emptyTicketList, [[t1], [ticket({ id: 't2', number: 8, status: 'pending' })]]);
    expect(Object.keys(state.tickets).sort()).toEqual(['t1', 't2']);
    expect(state.capped).toBe(false);
    const full = Array.from({ length: ticketListLimit }, (_, i) => ticket({ id: `x${i}`, number: i }));
    expect(replaceTicketList(emptyTicketList, [full]).capped).toBe(true);
  });

  it('reads the ticket of ticket and SLA events, and nothing from other events', () => {
    expect(ticketOfEvent(event('ticket.status_changed', { from: 'open', to: 'pending', ticket: t1 }))).toEqual(t1);
    expect(ticketOfEvent(event('sla.breached', { metric: 'resolution', ticket: t1 }))).toEqual(t1);
    expect(ticketOfEvent(event('conversation.assigned', { conversation: {} }, null))).toBeNull();
    expect(ticketOfEvent(event('ticket.created', { ticket: { id: 't1' } }))).toBeNull();
    expect(ticketOfEvent(event('ticket.created', { ticket: t1 }, 'other'))).toBeNull();
  });

  it('lists the newest ticket first, ties by number', () => {
    const older = ticket({ id: 'a', number: 1, createdAt: '2025-03-01T00:00:00.000Z' });
    const newer = ticket({ id: 'b', number: 2, createdAt: '2025-03-02T00:00:00.000Z' });
    const twin = ticket({ id: 'c', number: 3, createdAt: '2025-03-02T00:00:00.000Z' });
    expect(sortTickets([older, newer, twin]).map((t) => t.id)).toEqual(['c', 'b', 'a']);
  });
});
