import { describe, expect, it } from 'vitest';
import type { EventView } from '../../../domain/events';
import type { ConversationView, MessageView } from '../shared/wire-types';
import { applyEventToInbox, customerLabel, filterQuery, sortInbox, type InboxContext } from './inbox-list';

const conversation = (id: string, overrides: Partial<ConversationView> = {}): ConversationView => ({
  id,
  number: Number(id.replace(/\D/g, '')) || 1,
  status: 'open',
  waitingOn: 'agent',
  priority: 'normal',
  tier: 'junior',
  assigneeId: null,
  teamId: null,
  customerId: 'cust-' + id,
  customer: { id: 'cust-' + id, name: 'Ann', email: 'ann@example.com' },
  subject: null,
  lastMessageAt: '2025-01-01T10:00:00.000Z',
  createdAt: '2025-01-01T09:00:00.000Z',
  ...overrides,
});

const message = (conversationId: string, createdAt: string): MessageView => ({
  id: 'm-' + createdAt,
  conversationId,
  authorKind: 'customer',
  authorUserId: null,
  authorName: 'Ann',
  body: 'hello',
  private: false,
  createdAt,
});

let nextId = 1;
const event = (type: string, payload: Record<string, unknown>): EventView => ({
  id: String(nextId++),
  type,
  occurredAt: '2025-01-01T10:00:00.000Z',
  actorKind: 'system',
  actorId: null,
  customerId: null,
  conversationId: null,
  ticketId: null,
  payload,
});

const all: InboxContext = { filter: 'all', meId: 'me' };
const mine: InboxContext = { filter: 'mine', meId: 'me' };
const unassigned: InboxContext = { filter: 'unassigned', meId: 'me' };

describe('applyEventToInbox', () => {
  it('adds a newly created conversation at the top', () => {
    const list = [conversation('c1')];
    const created = conversation('c2', { lastMessageAt: '2025-01-01T11:00:00.000Z' });
    const next = applyEventToInbox(list, event('conversation.created', { conversation: created }), all);
    expect(next.map((c) => c.id)).toEqual(['c2', 'c1']);
  });

  it('replaces the row with the conversation an event carries', () => {
    const list = [conversation('c1')];
    const next = applyEventToInbox(list, event('conversation.status_changed', { conversation: conversation('c1', { status: 'resolved' }) }), all);
    expect(next).toHaveLength(1);
    expect(next[0]?.status).toBe('resolved');
  });

  it('is idempotent: applying the same event twice leaves one row', () => {
    const e = event('conversation.created', { conversation: conversation('c1') });
    const once = applyEventToInbox([], e, all);
    expect(applyEventToInbox(once, e, all)).toEqual(once);
  });

  it('moves a conversation into "Mine" when it is assigned to me', () => {
    const next = applyEventToInbox([], event('conversation.assigned', { conversation: conversation('c1', { assigneeId: 'me' }) }), mine);
    expect(next.map((c) => c.id)).toEqual(['c1']);
  });

  it('removes a conversation from "Unassigned" once someone takes it', () => {
    const list = [conversation('c1')];
    const next = applyEventToInbox(list, event('conversation.assigned', { conversation: conversation('c1', { assigneeId: 'other' }) }), unassigned);
    expect(next).toEqual([]);
  });

  it('does not add someone else\'s conversation to "Mine"', () => {
    const next = applyEventToInbox([], event('conversation.created', { conversation: conversation('c1', { assigneeId: 'other' }) }), mine);
    expect(next).toEqual([]);
  });

  it('bumps the last message time on a new message and re-sorts', () => {
    const list = [conversation('c1', { lastMessageAt: '2025-01-01T12:00:00.000Z' }), conversation('c2')];
    const next = applyEventToInbox(list, event('message.created', { message: message('c2', '2025-01-01T13:00:00.000Z') }), all);
    expect(next.map((c) => c.id)).toEqual(['c2', 'c1']);
    expect(next[0]?.lastMessageAt).toBe('2025-01-01T13:00:00.000Z');
  });

  it('never moves the last message time backwards for a late, older message', () => {
    const list = [conversation('c1', { lastMessageAt: '2025-01-01T12:00:00.000Z' })];
    const next = applyEventToInbox(list, event('message.created', { message: message('c1', '2025-01-01T11:00:00.000Z') }), all);
    expect(next).toBe(list);
  });

  it('ignores messages of conversations not on the tab, malformed payloads and unknown events', () => {
    const list = [conversation('c1')];
    expect(applyEventToInbox(list, event('message.created', { message: message('c9', '2025-01-02T00:00:00.000Z') }), all)).toBe(list);
    expect(applyEventToInbox(list, event('conversation.created', { conversation: { id: 1 } }), all)).toBe(list);
    expect(applyEventToInbox(list, event('agent.presence_changed', {}), all)).toBe(list);
  });
});

describe('sortInbox', () => {
  it('orders by last activity, using the creation time when there is no message yet', () => {
    const quiet = conversation('c1', { lastMessageAt: null, createdAt: '2025-01-01T14:00:00.000Z' });
    const busy = conversation('c2', { lastMessageAt: '2025-01-01T13:00:00.000Z' });
    expect(sortInbox([busy, quiet]).map((c) => c.id)).toEqual(['c1', 'c2']);
  });
});

describe('filterQuery', () => {
  it('maps each tab to the assignee parameter of the API', () => {
    expect(filterQuery('mine')).toBe('?assignee=me');
    expect(filterQuery('unassigned')).toBe('?assignee=unassigned');
    expect(filterQuery('all')).toBe('');
  });
});

describe('customerLabel', () => {
  it('prefers the name, then the email, else nothing for an anonymous visitor', () => {
    expect(customerLabel(conversation('c1'))).toBe('Ann');
    expect(customerLabel(conversation('c1', { customer: { id: 'x', name: null, email: 'a@b.c' } }))).toBe('a@b.c');
    expect(customerLabel(conversation('c1', { customer: { id: 'x', name: null, email: null } }))).toBeNull();
  });
});
