// The inbox rows' unread count and waiting time as live events move them (inbox-list.ts): the
// same rules as the server's (api/finders/conversation-finder.ts, readingStates), and a replayed
// event counted once.
import { describe, expect, it } from 'vitest';
import type { EventView } from '../../../domain/events';
import type { ConversationView, MessageView } from '../shared/wire-types';
import {
  applyEventToInbox,
  emptyInbox,
  markRead,
  replaceSnapshot,
  unreadBadge,
  unreadOfMine,
  upsertConversation,
  waitingFor,
  type InboxState,
  type InboxViewer,
} from './inbox-list';

const me: InboxViewer = { userId: 'me', teamId: null, role: 'agent' };

const row = (id: string, overrides: Partial<ConversationView> = {}): ConversationView =>
  ({
    id,
    number: 1,
    status: 'open',
    waitingOn: 'agent',
    priority: 'normal',
    tier: 'junior',
    assigneeId: 'me',
    teamId: null,
    customerId: 'cust-' + id,
    customer: { id: 'cust-' + id, name: 'Ann', email: null },
    subject: null,
    channelKind: 'web_chat',
    lastMessageAt: '2025-01-01T10:00:00.000Z',
    createdAt: '2025-01-01T09:00:00.000Z',
    resolvedAt: null,
    snoozedUntil: null,
    tags: [],
    unreadCount: 0,
    waitingSince: null,
    ...overrides,
  }) as ConversationView;

let nextId = 1;
const messageEvent = (conversationId: string, createdAt: string, overrides: Partial<MessageView> = {}): EventView => ({
  id: String(nextId++),
  type: 'message.created',
  occurredAt: createdAt,
  actorKind: 'customer',
  actorId: null,
  customerId: null,
  conversationId,
  ticketId: null,
  payload: {
    message: {
      id: `m-${nextId}`,
      conversationId,
      authorKind: 'customer',
      authorUserId: null,
      authorName: 'Ann',
      body: 'hello',
      private: false,
      metadata: null,
      createdAt,
      ...overrides,
    },
  },
});

const stateOf = (...rows: ConversationView[]): InboxState => replaceSnapshot(emptyInbox, { open: { conversations: rows, nextCursor: null } });
const apply = (state: InboxState, ...events: EventView[]) => events.reduce((s, e) => applyEventToInbox(s, e, me), state);

describe('unread count', () => {
  it("counts each new customer message, once even when the event is replayed, and not the agents' own", () => {
    const first = messageEvent('c1', '2025-01-01T10:01:00.000Z');
    let state = apply(stateOf(row('c1')), first, first);
    expect(state.conversations.c1!.unreadCount).toBe(1);
    state = apply(state, messageEvent('c1', '2025-01-01T10:02:00.000Z', { authorKind: 'agent', authorUserId: 'other', private: true }));
    state = apply(state, messageEvent('c1', '2025-01-01T10:03:00.000Z', { authorKind: 'bot' }));
    expect(state.conversations.c1!.unreadCount).toBe(1);
    state = apply(state, messageEvent('c1', '2025-01-01T10:04:00.000Z'));
    expect(state.conversations.c1!.unreadCount).toBe(2);
  });

  it('counts the first message of a conversation that arrived live, stamped with the same time as the conversation', () => {
    // conversation.created brings the row without the list's fields; its first message follows at the same instant.
    const { unreadCount: _unread, waitingSince: _since, ...created } = row('c9', { lastMessageAt: '2025-01-01T11:00:00.000Z' });
    const state = upsertConversation(emptyInbox, created as ConversationView, me);
    const first = messageEvent('c9', '2025-01-01T11:00:00.000Z');
    const after = apply(state, first, first);
    expect(after.conversations.c9).toMatchObject({ unreadCount: 1, waitingSince: '2025-01-01T11:00:00.000Z' });
  });

  it('drops to 0 when the agent reads the conversation, and stays 0 as a conversation event updates the row', () => {
    let state = markRead(stateOf(row('c1', { unreadCount: 4 })), 'c1');
    expect(state.conversations.c1!.unreadCount).toBe(0);
    state = apply(state, messageEvent('c1', '2025-01-01T10:05:00.000Z'));
    // A conversation event's view carries no unread count: the row keeps its own.
    const { unreadCount: _unread, waitingSince: _since, ...eventView } = row('c1', { priority: 'high' });
    state = upsertConversation(state, eventView as ConversationView, me);
    expect(state.conversations.c1).toMatchObject({ priority: 'high', unreadCount: 1, waitingSince: '2025-01-01T10:05:00.000Z' });
  });

  it('sums the unread messages of my conversations only, for the tab title', () => {
    const state = stateOf(row('c1', { unreadCount: 2 }), row('c2', { unreadCount: 1 }), row('c3', { unreadCount: 5, assigneeId: 'other' }));
    expect(unreadOfMine(state, me)).toBe(3);
  });

  it('reads "99+" at the server\'s cap and nothing at 0', () => {
    expect(unreadBadge(0)).toBeNull();
    expect(unreadBadge(undefined)).toBeNull();
    expect(unreadBadge(7)).toBe('7');
    expect(unreadBadge(100)).toBe('99+');
  });
});

describe('waiting time', () => {
  it("starts at the customer's first unanswered message and stops at a public agent reply, not at a note", () => {
    let state = apply(stateOf(row('c1')), messageEvent('c1', '2025-01-01T10:01:00.000Z'), messageEvent('c1', '2025-01-01T10:02:00.000Z'));
    expect(state.conversations.c1!.waitingSince).toBe('2025-01-01T10:01:00.000Z');
    state = apply(state, messageEvent('c1', '2025-01-01T10:03:00.000Z', { authorKind: 'agent', private: true }));
    expect(state.conversations.c1!.waitingSince).toBe('2025-01-01T10:01:00.000Z');
    state = apply(state, messageEvent('c1', '2025-01-01T10:04:00.000Z', { authorKind: 'agent' }));
    expect(state.conversations.c1!.waitingSince).toBeNull();
  });

  it('is shown for queued and open conversations only', () => {
    const now = new Date('2025-01-01T10:12:30.000Z');
    const since = '2025-01-01T10:00:00.000Z';
    expect(waitingFor(row('c1', { waitingSince: since }), now)).toBe(12.5 * 60_000);
    expect(waitingFor(row('c1', { waitingSince: since, status: 'queued' }), now)).toBe(12.5 * 60_000);
    for (const status of ['bot', 'snoozed', 'resolved'] as const) expect(waitingFor(row('c1', { waitingSince: since, status }), now)).toBeNull();
    expect(waitingFor(row('c1'), now)).toBeNull();
  });
});
