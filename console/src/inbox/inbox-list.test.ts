import { describe, expect, it } from 'vitest';
import { messagePreview } from '../../../contract/message-preview';
import type { EventView } from '../../../domain/events';
import { createConsoleI18n, translatorOf } from '../i18n/create-i18n';
import type { ConversationView, MessageView } from '../shared/wire-types';
import {
  applyEventToInbox,
  customerLabel,
  emptyInbox,
  appendPage,
  inboxViews,
  morePagesOf,
  previewLine,
  replaceSnapshot,
  shortCustomerId,
  sortInbox,
  viewCounts,
  viewList,
  type InboxState,
  type InboxView,
  type InboxViewer,
} from './inbox-list';

const conversation = (id: string, overrides: Partial<ConversationView> = {}): ConversationView =>
  ({
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
    assigneeName: null,
    resolvedAt: null,
    snoozedUntil: null,
    tags: [],
    ...overrides,
    // Without slaState and the due dates unless a test gives them: these tests cover the live-event
    // fallback sla.ts keeps for a view that lacks them (the server sends them since infra/views.ts).
  }) as ConversationView;

const message = (conversationId: string, createdAt: string, overrides: Partial<MessageView> = {}): MessageView => ({
  id: 'm-' + createdAt,
  conversationId,
  authorKind: 'customer',
  authorUserId: null,
  authorName: 'Ann',
  body: 'hello',
  private: false,
  metadata: null,
  createdAt,
  ...overrides,
});

let nextId = 1;
const event = (type: string, payload: Record<string, unknown>, conversationId: string | null = null): EventView => ({
  id: String(nextId++),
  type,
  occurredAt: '2025-01-01T10:00:00.000Z',
  actorKind: 'system',
  actorId: null,
  customerId: null,
  conversationId,
  ticketId: null,
  payload,
});

const me: InboxViewer = { userId: 'me', teamId: 'frontline', role: 'agent' };
/** A last page (nothing after it) of these conversations. */
const lastPage = (...conversations: ConversationView[]) => ({ conversations, nextCursor: null });
const stateOf = (...list: ConversationView[]): InboxState => replaceSnapshot(emptyInbox, { open: lastPage(...list) });
const ids = (state: InboxState, view: InboxView) => viewList(state, view, me).map((c) => c.id);
const apply = (state: InboxState, ...events: EventView[]) => events.reduce((s, e) => applyEventToInbox(s, e, me), state);

describe('views', () => {
  const state = replaceSnapshot(emptyInbox, {
    open: lastPage(conversation('c1', { assigneeId: 'me', teamId: 'frontline' }), conversation('c2', { assigneeId: 'other', teamId: 'frontline' })),
    queued: lastPage(conversation('c3', { status: 'queued' })),
    bot: lastPage(conversation('c4', { status: 'bot' })),
    snoozed: lastPage(conversation('c5', { status: 'snoozed', assigneeId: 'me', teamId: 'frontline' })),
    resolved: lastPage(conversation('c6', { status: 'resolved', assigneeId: 'me', teamId: 'frontline' })),
  });

  it('puts each conversation in the views it belongs to', () => {
    expect(ids(state, 'mine')).toEqual(['c1']);
    expect(ids(state, 'unassigned').sort()).toEqual(['c3', 'c4']);
    expect(ids(state, 'team').sort()).toEqual(['c1', 'c2']);
    expect(ids(state, 'all').sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(ids(state, 'snoozed')).toEqual(['c5']);
    expect(ids(state, 'resolved')).toEqual(['c6']);
    expect(ids(state, 'sla')).toEqual([]);
  });

  it('counts every view from the same state', () => {
    const counts = viewCounts(state, me);
    expect(Object.fromEntries(inboxViews.map((view) => [view, counts[view].count]))).toEqual({
      mine: 1,
      unassigned: 2,
      team: 2,
      all: 4,
      snoozed: 1,
      resolved: 1,
      sla: 0,
    });
  });

  it('shows an empty team view to an agent in no team', () => {
    expect(viewList(state, 'team', { ...me, teamId: null })).toEqual([]);
  });

  it('marks the counts of views with pages still to load, and loads them by scrolling', () => {
    const first = { conversations: [conversation('r1', { status: 'resolved' })], nextCursor: 'page-2' };
    const state = replaceSnapshot(emptyInbox, { resolved: first });
    expect(viewCounts(state, me).resolved).toEqual({ count: 1, more: true });
    expect(viewCounts(state, me).all.more).toBe(false);
    expect(morePagesOf(state, 'resolved')).toEqual([['resolved', 'page-2']]);

    const next = appendPage(state, 'resolved', lastPage(conversation('r2', { status: 'resolved', lastMessageAt: '2024-12-31T10:00:00.000Z' })));
    expect(ids(next, 'resolved')).toEqual(['r1', 'r2']);
    expect(viewCounts(next, me).resolved).toEqual({ count: 2, more: false });
    expect(morePagesOf(next, 'resolved')).toEqual([]);
  });

  it('keeps the live copy of a row a later page brings again', () => {
    const changed = event('conversation.priority_changed', { conversation: conversation('c1', { assigneeId: 'me', priority: 'urgent' }) }, 'c1');
    const live = apply(stateOf(conversation('c1', { assigneeId: 'me' })), changed);
    const paged = appendPage(live, 'open', lastPage(conversation('c1', { assigneeId: 'me' })));
    expect(paged.conversations.c1?.priority).toBe('urgent');
  });
});

describe('applyEventToInbox', () => {
  it('adds a newly created conversation to "unassigned" and bumps its count', () => {
    const state = stateOf(conversation('c1', { assigneeId: 'me' }));
    const created = conversation('c2', { status: 'queued', lastMessageAt: '2025-01-01T11:00:00.000Z' });
    const next = apply(state, event('conversation.created', { conversation: created }));
    expect(ids(next, 'unassigned')).toEqual(['c2']);
    expect(viewCounts(next, me).unassigned.count).toBe(1);
  });

  it('moves a conversation from "unassigned" to "mine" when it is assigned to me', () => {
    const state = stateOf(conversation('c1', { status: 'queued' }));
    const next = apply(state, event('conversation.assigned', { conversation: conversation('c1', { assigneeId: 'me', teamId: 'frontline' }) }));
    expect(ids(next, 'unassigned')).toEqual([]);
    expect(ids(next, 'mine')).toEqual(['c1']);
  });

  it('moves a resolved conversation from "mine" to "resolved", and back on reopen', () => {
    const state = stateOf(conversation('c1', { assigneeId: 'me' }));
    const resolved = apply(state, event('conversation.resolved', { conversation: conversation('c1', { assigneeId: 'me', status: 'resolved' }) }));
    expect(ids(resolved, 'mine')).toEqual([]);
    expect(ids(resolved, 'resolved')).toEqual(['c1']);
    const reopened = apply(resolved, event('conversation.reopened', { conversation: conversation('c1', { assigneeId: 'me' }) }));
    expect(ids(reopened, 'mine')).toEqual(['c1']);
    expect(ids(reopened, 'resolved')).toEqual([]);
  });

  it('follows any event that carries the conversation, e.g. a snooze or the bot resolving it', () => {
    const state = stateOf(conversation('c1', { assigneeId: 'me' }), conversation('c2', { status: 'bot' }));
    const next = apply(
      state,
      event('conversation.snoozed', { until: null, conversation: conversation('c1', { assigneeId: 'me', status: 'snoozed' }) }),
      event('bot.helpful', { conversation: conversation('c2', { status: 'resolved' }) }),
    );
    expect(ids(next, 'snoozed')).toEqual(['c1']);
    expect(ids(next, 'resolved')).toEqual(['c2']);
  });

  it('is idempotent: applying the same event twice leaves one row', () => {
    const e = event('conversation.created', { conversation: conversation('c1') });
    const once = apply(emptyInbox, e);
    expect(apply(once, e)).toEqual(once);
  });

  it('drops a conversation transferred to a team the agent does not see, and never adds one it cannot see', () => {
    const state = stateOf(conversation('c1', { assigneeId: 'me', teamId: 'frontline' }));
    const moved = apply(
      state,
      event('conversation.team_changed', { conversation: conversation('c1', { assigneeId: null, teamId: 'specialists', status: 'queued' }) }),
    );
    expect(moved.conversations).toEqual({});
    const foreign = apply(emptyInbox, event('conversation.created', { conversation: conversation('c2', { assigneeId: 'other', teamId: 'specialists' }) }));
    expect(foreign.conversations).toEqual({});
  });

  it('bumps the last message time on a new message and re-sorts', () => {
    const state = stateOf(conversation('c1', { lastMessageAt: '2025-01-01T12:00:00.000Z' }), conversation('c2'));
    const next = apply(state, event('message.created', { message: message('c2', '2025-01-01T13:00:00.000Z') }));
    expect(ids(next, 'all')).toEqual(['c2', 'c1']);
    expect(next.conversations.c2?.lastMessageAt).toBe('2025-01-01T13:00:00.000Z');
  });

  it('never moves the last message time backwards for a late, older message', () => {
    const state = stateOf(conversation('c1', { lastMessageAt: '2025-01-01T12:00:00.000Z' }));
    expect(apply(state, event('message.created', { message: message('c1', '2025-01-01T11:00:00.000Z') }))).toBe(state);
  });

  it('ignores messages of unknown conversations, malformed payloads and unrelated events', () => {
    const state = stateOf(conversation('c1'));
    expect(apply(state, event('message.created', { message: message('c9', '2025-01-02T00:00:00.000Z') }))).toBe(state);
    expect(apply(state, event('conversation.created', { conversation: { id: 1 } }))).toBe(state);
    expect(apply(state, event('agent.presence_changed', { userId: 'me', from: 'online', to: 'away' }))).toBe(state);
  });
});

describe('"SLA at risk" from live events', () => {
  const warning = (id: string, metric = 'first_response') =>
    event('sla.warning', { metric, kind: 'warning', dueAt: '2025-01-01T10:30:00.000Z', conversation: conversation(id, { assigneeId: 'me' }) }, id);
  const breach = (id: string, metric = 'first_response') =>
    event('sla.breached', { metric, kind: 'breached', dueAt: '2025-01-01T11:00:00.000Z', conversation: conversation(id, { assigneeId: 'me' }) }, id);

  it('lists a conversation after a warning or a breach, with the count', () => {
    const state = stateOf(conversation('c1', { assigneeId: 'me' }), conversation('c2', { assigneeId: 'me' }));
    const next = apply(state, warning('c1'), breach('c2', 'resolution'));
    expect(ids(next, 'sla').sort()).toEqual(['c1', 'c2']);
    expect(viewCounts(next, me).sla.count).toBe(2);
  });

  it('drops it once a public agent reply meets the response target', () => {
    const state = apply(stateOf(conversation('c1', { assigneeId: 'me' })), warning('c1'));
    const note = apply(state, event('message.created', { message: message('c1', '2025-01-01T10:40:00.000Z', { authorKind: 'agent', private: true }) }));
    expect(ids(note, 'sla')).toEqual(['c1']);
    const reply = apply(state, event('message.created', { message: message('c1', '2025-01-01T10:41:00.000Z', { authorKind: 'agent' }) }));
    expect(ids(reply, 'sla')).toEqual([]);
  });

  it('keeps a resolution breach after a reply, and clears everything when the conversation is resolved', () => {
    const state = apply(stateOf(conversation('c1', { assigneeId: 'me' })), breach('c1', 'resolution'));
    const replied = apply(state, event('message.created', { message: message('c1', '2025-01-01T11:05:00.000Z', { authorKind: 'agent' }) }));
    expect(ids(replied, 'sla')).toEqual(['c1']);
    const resolved = apply(replied, event('conversation.resolved', { conversation: conversation('c1', { assigneeId: 'me', status: 'resolved' }) }));
    expect(resolved.sla).toEqual({});
  });

  it('uses the slaState of the conversation view when the API sends one', () => {
    const state = stateOf(conversation('c1', { slaState: 'breached' }), conversation('c2', { slaState: 'ok' }));
    expect(ids(state, 'sla')).toEqual(['c1']);
  });

  it('keeps the live SLA tracks across a fresh snapshot', () => {
    const state = apply(stateOf(conversation('c1', { assigneeId: 'me' })), warning('c1'));
    expect(ids(replaceSnapshot(state, { open: lastPage(conversation('c1', { assigneeId: 'me' })) }), 'sla')).toEqual(['c1']);
  });
});

describe('sortInbox', () => {
  it('orders by last activity, using the creation time when there is no message yet', () => {
    // The server always sends lastMessageAt; a payload without one still sorts.
    const quiet = conversation('c1', { lastMessageAt: null as unknown as string, createdAt: '2025-01-01T14:00:00.000Z' });
    const busy = conversation('c2', { lastMessageAt: '2025-01-01T13:00:00.000Z' });
    expect(sortInbox([busy, quiet]).map((c) => c.id)).toEqual(['c1', 'c2']);
  });
});

describe('customerLabel', () => {
  it('prefers the name, then the email, else nothing for an anonymous visitor', () => {
    expect(customerLabel(conversation('c1'))).toBe('Ann');
    expect(customerLabel(conversation('c1', { customer: { id: 'x', name: null, email: 'a@b.c' } }))).toBe('a@b.c');
    expect(customerLabel(conversation('c1', { customer: { id: 'x', name: null, email: null } }))).toBeNull();
  });
});

describe('the last message preview', () => {
  const en = translatorOf(createConsoleI18n('en'));
  const zh = translatorOf(createConsoleI18n('zh-CN'));

  it('follows each new message live, and a conversation event keeps it', () => {
    const state = stateOf(conversation('c1', { lastMessageAt: '2025-01-01T12:00:00.000Z', lastMessage: null }));
    const next = apply(state, event('message.created', { message: message('c1', '2025-01-01T13:00:00.000Z', { body: 'Where   is\nmy card?' }) }));
    expect(previewLine(next.conversations.c1?.lastMessage, en)).toBe('Where is my card?');
    const assigned = apply(next, event('conversation.assigned', { conversation: conversation('c1', { lastMessageAt: '2025-01-01T13:00:00.000Z' }) }));
    expect(previewLine(assigned.conversations.c1?.lastMessage, en)).toBe('Where is my card?');
    const older = apply(assigned, event('message.created', { message: message('c1', '2025-01-01T11:00:00.000Z', { body: 'older' }) }));
    expect(previewLine(older.conversations.c1?.lastMessage, en)).toBe('Where is my card?');
  });

  it('names a file, a mail subject, a note and a reply, in both languages', () => {
    const files = messagePreview({ ...message('c1', 't', { body: '' }), attachments: [{ fileName: 'receipt.pdf' }] });
    expect(previewLine(files, en)).toBe('📎 receipt.pdf');
    expect(previewLine({ ...files, files: 3 }, zh)).toBe('📎 3 个文件');
    const mail = messagePreview(
      message('c1', 't', { body: ' ', metadata: { email: { subject: '退款', inboundEmailId: 'i', from: 'a', to: [], cc: [], automated: false } } }),
    );
    expect(previewLine(mail, en)).toBe('[email] 退款');
    expect(previewLine(mail, zh)).toBe('[邮件] 退款');
    expect(previewLine(messagePreview(message('c1', 't', { authorKind: 'agent', private: true, body: 'check' })), en)).toBe('Note: check');
    expect(previewLine(messagePreview(message('c1', 't', { authorKind: 'agent', body: 'Done' })), zh)).toBe('回复：Done');
    expect(previewLine(null, en)).toBeNull();
    expect(messagePreview(message('c1', 't', { body: 'x'.repeat(300) })).text).toHaveLength(140);
  });

  it('tells anonymous visitors apart by the start of their id', () => {
    expect(shortCustomerId('3f2a9c1e-0000-4000-8000-000000000000')).toBe('3f2a9c');
    expect(en('inbox.visitorShort', { id: '3f2a9c' })).toBe('Visitor 3f2a9c');
  });
});

describe('a contact merge', () => {
  it('renames the merged contact’s rows (and the survivor’s) as the survivor', () => {
    const state = stateOf(conversation('c1'), conversation('c2'), conversation('c3'));
    const merged = apply(
      state,
      event('customer.merged', {
        survivorId: 'cust-c1',
        survivor: { id: 'cust-c1', name: '张伟', email: 'wei@example.cn' },
        merged: { id: 'cust-c2', name: 'Ann', email: null, phone: null, externalId: null },
        moved: { conversations: 1, tickets: 0, messages: 1, events: 3, attachments: 0 },
        filled: ['email'],
      }),
    );
    expect([merged.conversations.c1?.customerId, merged.conversations.c2?.customerId]).toEqual(['cust-c1', 'cust-c1']);
    expect([customerLabel(merged.conversations.c1!), customerLabel(merged.conversations.c2!)]).toEqual(['张伟', '张伟']);
    expect(merged.conversations.c3).toBe(state.conversations.c3);
    // An older event without the survivor changes nothing.
    expect(apply(state, event('customer.merged', { survivorId: 'cust-c1', merged: { id: 'cust-c2' } }))).toBe(state);
  });
});
