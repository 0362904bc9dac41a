import { describe, expect, it } from 'vitest';
import type { EventView } from '../../../domain/events';
import type { CustomerConversationView, CustomerMessageView } from '../shared/wire-types';
import {
  asksForRating,
  conversationToContinue,
  feedbackTarget,
  handedToPerson,
  parsePersonRequest,
  threadUpdate,
  typedPersonRequest,
  waitsForPerson,
} from './widget-thread';

// What a customer receives (contract/views.ts): no routing, no author ids, no bot confidence.
const conversation = (id: string, status: CustomerConversationView['status'], createdAt: string): CustomerConversationView => ({
  id,
  number: 1,
  status,
  customerId: 'me',
  subject: null,
  assigneeName: null,
  lastMessageAt: createdAt,
  resolvedAt: null,
  createdAt,
});

const message = (conversationId: string, isPrivate = false, overrides: Partial<CustomerMessageView> = {}): CustomerMessageView => ({
  id: 'm1',
  conversationId,
  authorKind: 'agent',
  authorName: 'Bo',
  body: 'Hello!',
  private: isPrivate,
  metadata: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});
const botAnswer = (id: string) => message('c1', false, { id, authorKind: 'bot', authorName: null, metadata: { kind: 'bot_answer', citations: [] } });
const customerLine = (id: string) => message('c1', false, { id, authorKind: 'customer' });

const event = (type: string, payload: Record<string, unknown>): EventView => ({
  id: '1',
  type,
  occurredAt: '2025-01-01T00:00:00.000Z',
  actorKind: 'agent',
  actorId: 'a1',
  customerId: 'me',
  conversationId: 'c1',
  ticketId: null,
  payload,
});

describe('conversationToContinue', () => {
  it('continues the newest conversation that is not resolved', () => {
    const picked = conversationToContinue([
      conversation('old-open', 'open', '2025-01-01T00:00:00.000Z'),
      conversation('new-open', 'queued', '2025-02-01T00:00:00.000Z'),
      conversation('newest-resolved', 'resolved', '2025-03-01T00:00:00.000Z'),
    ]);
    expect(picked?.id).toBe('new-open');
  });

  it('starts fresh when every conversation is resolved or closed', () => {
    expect(conversationToContinue([conversation('a', 'resolved', '2025-01-01'), conversation('b', 'closed', '2025-01-02')])).toBeNull();
    expect(conversationToContinue([])).toBeNull();
  });
});

describe('threadUpdate', () => {
  it('shows an agent reply in the open conversation', () => {
    expect(threadUpdate(event('message.created', { message: message('c1') }), 'c1')).toEqual({ kind: 'message', message: message('c1') });
  });

  it('ignores messages of other conversations, and before a conversation exists', () => {
    expect(threadUpdate(event('message.created', { message: message('c2') }), 'c1')).toBeNull();
    expect(threadUpdate(event('message.created', { message: message('c1') }), null)).toBeNull();
  });

  it('never shows a private note, even if one is sent by mistake', () => {
    expect(threadUpdate(event('message.created', { message: message('c1', true) }), 'c1')).toBeNull();
  });

  it('reports a status change of its conversation, whichever event carries it', () => {
    const resolved = conversation('c1', 'resolved', '2025-01-01');
    for (const type of ['conversation.resolved', 'bot.helpful', 'bot.assumed_resolved', 'conversation.status_changed']) {
      expect(threadUpdate(event(type, { conversation: resolved }), 'c1'), type).toEqual({ kind: 'conversation', conversation: resolved });
    }
    expect(threadUpdate(event('conversation.resolved', { conversation: conversation('c2', 'resolved', '2025-01-01') }), 'c1')).toBeNull();
  });
});

describe('feedbackTarget', () => {
  const held = conversation('c1', 'bot', '2025-01-01');

  it("asks about the bot's newest answer while the bot holds the conversation", () => {
    expect(feedbackTarget([customerLine('m1'), botAnswer('m2')], held)).toBe('m2');
  });

  it('asks nothing once a person holds it or it is resolved', () => {
    expect(feedbackTarget([customerLine('m1'), botAnswer('m2')], conversation('c1', 'queued', '2025-01-01'))).toBeNull();
    expect(feedbackTarget([customerLine('m1'), botAnswer('m2')], conversation('c1', 'resolved', '2025-01-01'))).toBeNull();
  });

  it('asks nothing once the customer wrote after the answer, or without a bot answer', () => {
    expect(feedbackTarget([botAnswer('m2'), customerLine('m3')], held)).toBeNull();
    expect(feedbackTarget([customerLine('m1'), message('c1', false, { id: 'm2', authorKind: 'bot' })], held)).toBeNull();
    expect(feedbackTarget([], null)).toBeNull();
  });
});

describe('asksForRating', () => {
  it('asks once the conversation is resolved or closed, until the customer rated it', () => {
    expect(asksForRating(conversation('c1', 'resolved', '2025-01-01'), new Set())).toBe(true);
    expect(asksForRating(conversation('c1', 'closed', '2025-01-01'), new Set())).toBe(true);
    expect(asksForRating(conversation('c1', 'resolved', '2025-01-01'), new Set(['c1']))).toBe(false);
  });

  it('asks nothing while the conversation is open or held by the bot, or without one', () => {
    for (const status of ['bot', 'queued', 'open', 'snoozed'] as const) expect(asksForRating(conversation('c1', status, '2025-01-01'), new Set())).toBe(false);
    expect(asksForRating(null, new Set())).toBe(false);
  });
});

describe('typedPersonRequest', () => {
  it('hears a typed request for a person while the bot or the queue has the conversation, or before there is one', () => {
    expect(typedPersonRequest('转人工', conversation('c1', 'bot', '2025-01-01'))).toBe(true);
    expect(typedPersonRequest('talk to a human please', conversation('c1', 'queued', '2025-01-01'))).toBe(true);
    expect(typedPersonRequest('轉人工', null)).toBe(true);
  });

  it('hears none in another question, nor once a person has the conversation', () => {
    expect(typedPersonRequest('Where is my order?', conversation('c1', 'bot', '2025-01-01'))).toBe(false);
    expect(typedPersonRequest('转人工', conversation('c1', 'open', '2025-01-01'))).toBe(false);
  });
});

describe('waitsForPerson', () => {
  it('waits while the conversation asked in is with the bot or queued, and no longer once a person has it or it ended', () => {
    expect(waitsForPerson(conversation('c1', 'bot', '2025-01-01'), 'c1')).toBe(true);
    expect(waitsForPerson(conversation('c1', 'queued', '2025-01-01'), 'c1')).toBe(true);
    expect(waitsForPerson(conversation('c1', 'open', '2025-01-01'), 'c1')).toBe(false);
    expect(waitsForPerson(conversation('c1', 'resolved', '2025-01-01'), 'c1')).toBe(false);
    expect(waitsForPerson(conversation('c2', 'queued', '2025-01-01'), 'c1')).toBe(false);
    expect(waitsForPerson(conversation('c1', 'queued', '2025-01-01'), null)).toBe(false);
  });
});

describe('handedToPerson', () => {
  it("is the bot's hand-off of the conversation the widget shows, and nothing else", () => {
    // As the customer receives it: the conversation, queued, and nothing of the reason or summary.
    const handOff = event('bot.handed_off', { conversation: conversation('c1', 'queued', '2025-01-01') });
    expect(handedToPerson(handOff, 'c1')).toBe(true);
    expect(threadUpdate(handOff, 'c1')).toEqual({ kind: 'conversation', conversation: conversation('c1', 'queued', '2025-01-01') });
    expect(handedToPerson(handOff, 'c2')).toBe(false);
    expect(handedToPerson(handOff, null)).toBe(false);
    expect(handedToPerson(event('conversation.assigned', { conversation: conversation('c1', 'open', '2025-01-01') }), 'c1')).toBe(false);
    expect(handedToPerson(event('bot.answered', {}), 'c1')).toBe(false);
  });
});

describe('parsePersonRequest', () => {
  it('reads back what the widget stored, and nothing else', () => {
    expect(parsePersonRequest(JSON.stringify({ conversationId: 'c1', messageId: 'm1' }))).toEqual({ conversationId: 'c1', messageId: 'm1' });
    expect(parsePersonRequest(JSON.stringify({ conversationId: 'c1', messageId: null }))).toEqual({ conversationId: 'c1', messageId: null });
    for (const stored of [null, '', 'not json', 'null', '{"conversationId":1,"messageId":null}', '{"conversationId":"c1","messageId":7}']) {
      expect(parsePersonRequest(stored)).toBeNull();
    }
  });
});
