// What notifies when (notify.ts): each kind for its person only, never for their own doing, the
// customer's message only while the tab is hidden, nothing a preference switched off; how a
// notice is delivered; the tab title's count.
import { describe, expect, it } from 'vitest';
import { defaultNotificationPreferences, type NotificationPreferences } from '../../../contract/requests/account';
import type { EventView } from '../../../domain/events';
import type { ConversationView } from '../shared/wire-types';
import { deliveryOf, noticeFor, titleWithCount, type NotifyContext } from './notify';

const conversation = (overrides: Partial<ConversationView> = {}): ConversationView =>
  ({ id: 'c1', number: 42, status: 'open', assigneeId: 'me', teamId: null, customerId: 'u1', lastMessage: null, ...overrides }) as ConversationView;

let nextId = 1;
const event = (type: string, payload: Record<string, unknown>, overrides: Partial<EventView> = {}): EventView => ({
  id: String(nextId++),
  type,
  occurredAt: '2026-01-01T10:00:00.000Z',
  actorKind: 'system',
  actorId: null,
  customerId: null,
  conversationId: 'c1',
  ticketId: null,
  payload,
  ...overrides,
});
const customerMessage = (conversationId = 'c1') =>
  event('message.created', {
    message: {
      id: 'm1',
      conversationId,
      authorKind: 'customer',
      authorUserId: null,
      authorName: 'Ann',
      body: '  my parcel\n is late ',
      private: false,
      metadata: null,
      createdAt: '2026-01-01T10:00:00.000Z',
    },
  });

const context = (overrides: Partial<NotifyContext> = {}, preferences: Partial<NotificationPreferences> = {}): NotifyContext => ({
  userId: 'me',
  preferences: { ...defaultNotificationPreferences, desktop: true, ...preferences },
  hidden: false,
  conversations: { c1: conversation(), c2: conversation({ id: 'c2', number: 43, assigneeId: 'other' }) },
  ...overrides,
});

describe('noticeFor', () => {
  it('notifies a conversation assigned to me by routing or a colleague, not one I took myself nor one assigned to someone else', () => {
    const assigned = (assigneeId: string, actor: Partial<EventView> = {}) =>
      event('conversation.assigned', { conversation: conversation({ assigneeId }) }, actor);
    expect(noticeFor(assigned('me'), context())).toEqual({ kind: 'assigned', conversationId: 'c1', number: 42, text: '' });
    expect(noticeFor(assigned('me', { actorKind: 'agent', actorId: 'lina' }), context())?.kind).toBe('assigned');
    expect(noticeFor(assigned('me', { actorKind: 'agent', actorId: 'me' }), context())).toBeNull();
    expect(noticeFor(assigned('other'), context())).toBeNull();
    expect(noticeFor(assigned('me'), context({}, { assigned: false }))).toBeNull();
  });

  it('notifies a mention of me with its excerpt', () => {
    const mention = (mentionedUserId: string) =>
      event(
        'conversation.mentioned',
        { mentionedUserId, messageId: 'm2', by: { userId: 'lina', name: 'Lina' }, excerpt: '@me 看一下', conversationNumber: 43 },
        { conversationId: 'c2' },
      );
    expect(noticeFor(mention('me'), context())).toEqual({ kind: 'mention', conversationId: 'c2', number: 43, text: '@me 看一下' });
    expect(noticeFor(mention('other'), context())).toBeNull();
    expect(noticeFor(mention('me'), context({}, { mention: false }))).toBeNull();
  });

  it("notifies a customer's message in my conversation only while the tab is hidden", () => {
    expect(noticeFor(customerMessage(), context({ hidden: true }))).toEqual({
      kind: 'customerMessage',
      conversationId: 'c1',
      number: 42,
      text: 'my parcel is late',
    });
    expect(noticeFor(customerMessage(), context({ hidden: false }))).toBeNull();
    expect(noticeFor(customerMessage('c2'), context({ hidden: true }))).toBeNull();
    expect(noticeFor(customerMessage('unknown'), context({ hidden: true }))).toBeNull();
    expect(noticeFor(customerMessage(), context({ hidden: true }, { customerMessage: false }))).toBeNull();
    const reply = event('message.created', {
      message: { id: 'm3', conversationId: 'c1', authorKind: 'agent', body: 'hi', private: false, createdAt: '2026-01-01T10:00:00.000Z' },
    });
    expect(noticeFor(reply, context({ hidden: true }))).toBeNull();
  });

  it('notifies an SLA warning on my conversation, not on a colleague’s', () => {
    const warning = (assigneeId: string) => event('sla.warning', { conversation: conversation({ assigneeId }), metric: 'first_response' });
    expect(noticeFor(warning('me'), context())).toEqual({ kind: 'slaWarning', conversationId: 'c1', number: 42, text: '' });
    expect(noticeFor(warning('other'), context())).toBeNull();
    expect(noticeFor(warning('me'), context({}, { slaWarning: false }))).toBeNull();
    expect(noticeFor(event('sla.breached', { conversation: conversation() }), context())).toBeNull();
  });

  it('notifies a reminder of mine come due with its note, whatever the other switches say; not one of someone else', () => {
    const due = (ownerId: string, note: string | null) =>
      event('reminder.due', { reminder: { id: 'r1', conversationId: 'c2', ownerId, note } }, { conversationId: 'c2' });
    const quiet = { assigned: false, mention: false, customerMessage: false, slaWarning: false };
    expect(noticeFor(due('me', 'Call  the courier'), context({}, quiet))).toEqual({
      kind: 'reminder',
      conversationId: 'c2',
      number: 43,
      text: 'Call the courier',
    });
    expect(noticeFor(due('me', null), context())?.text).toBe('');
    expect(noticeFor(due('other', 'Not mine'), context())).toBeNull();
  });
});

describe('deliveryOf', () => {
  it('shows a desktop notification only when switched on and allowed by the browser; the sound on its own switch', () => {
    const on = { ...defaultNotificationPreferences, desktop: true, sound: true };
    expect(deliveryOf(on, 'granted')).toEqual({ desktop: true, sound: true });
    expect(deliveryOf(on, 'default')).toEqual({ desktop: false, sound: true });
    expect(deliveryOf(on, 'denied')).toEqual({ desktop: false, sound: true });
    expect(deliveryOf(on, 'unsupported')).toEqual({ desktop: false, sound: true });
    expect(deliveryOf(defaultNotificationPreferences, 'granted')).toEqual({ desktop: false, sound: false });
  });
});

describe('titleWithCount', () => {
  it('puts my unread count in front of the title', () => {
    expect(titleWithCount('Seamless', 3)).toBe('(3) Seamless');
    expect(titleWithCount('Seamless', 0)).toBe('Seamless');
    expect(titleWithCount('Seamless', 250)).toBe('(99+) Seamless');
  });
});
