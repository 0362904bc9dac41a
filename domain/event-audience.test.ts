import { describe, expect, it } from 'vitest';
import {
  canSeeEvent,
  customerEventPayload,
  customerEventTypes,
  customerMessageView,
  customerReceives,
  eventAudience,
  type EventScope,
} from './event-audience.js';
import { allEventTypes, eventTypeRegistry } from './events.js';
import type { Viewer } from './visibility.js';

const admin: Viewer = { kind: 'user', userId: 'admin-1', role: 'admin', teamId: null };
const billingAgent: Viewer = { kind: 'user', userId: 'agent-1', role: 'agent', teamId: 'team-billing' };
const otherAgent: Viewer = { kind: 'user', userId: 'agent-2', role: 'agent', teamId: 'team-fraud' };
const owner: Viewer = { kind: 'customer', customerId: 'cust-1' };
const stranger: Viewer = { kind: 'customer', customerId: 'cust-2' };

const event = (overrides: Partial<EventScope>): EventScope => ({
  type: 'message.created',
  conversationId: 'conv-1',
  ticketId: null,
  customerId: 'cust-1',
  teamId: 'team-billing',
  assigneeId: null,
  internal: false,
  ...overrides,
});

describe('event audience', () => {
  it('judges events about a conversation or ticket by that subject, organisation records by type', () => {
    expect(eventAudience(event({}))).toBe('subject');
    expect(eventAudience(event({ conversationId: null, ticketId: 'ticket-1' }))).toBe('subject');
    expect(eventAudience(event({ conversationId: null, type: 'team.updated' }))).toBe('staff');
    expect(eventAudience(event({ conversationId: null, type: 'api_key.created' }))).toBe('admins');
    // A type nobody listed is never broadcast to agents.
    expect(eventAudience(event({ conversationId: null, type: 'something.new' }))).toBe('admins');
  });

  it('keeps the audit trail (settings, API keys, rules, sign-ins) from agents', () => {
    for (const type of ['api_key.created', 'settings.changed', 'rule.created', 'agent.updated', 'channel.updated', 'auth.signed_in']) {
      const audit = event({ type, conversationId: null, customerId: null, teamId: null, internal: true });
      expect(canSeeEvent(admin, audit), type).toBe(true);
      expect(canSeeEvent(billingAgent, audit), type).toBe(false);
      expect(canSeeEvent(owner, audit), type).toBe(false);
    }
  });

  it("shows a team's own staff records (canned responses) to that team's agents only", () => {
    const canned = event({ type: 'canned_response.created', conversationId: null, customerId: null, teamId: 'team-billing', internal: true });
    expect(canSeeEvent(billingAgent, canned)).toBe(true);
    expect(canSeeEvent(otherAgent, canned)).toBe(false);
    expect(canSeeEvent(otherAgent, { ...canned, teamId: null })).toBe(true);
  });

  it("shows conversation events to the conversation's team, assignee and admins", () => {
    expect(canSeeEvent(billingAgent, event({}))).toBe(true);
    expect(canSeeEvent(otherAgent, event({}))).toBe(false);
    expect(canSeeEvent(otherAgent, event({ assigneeId: 'agent-2' }))).toBe(true);
    expect(canSeeEvent(admin, event({ internal: true }))).toBe(true);
  });

  it('gives customers the listed types of their own conversations only, never internal ones', () => {
    expect(canSeeEvent(owner, event({}))).toBe(true);
    expect(canSeeEvent(stranger, event({}))).toBe(false);
    expect(canSeeEvent(owner, event({ internal: true }))).toBe(false);
    for (const type of [
      'conversation.tag_added',
      'conversation.priority_changed',
      'conversation.team_changed',
      'sla.warning',
      'rule.matched',
      'conversation.classified',
    ]) {
      expect(canSeeEvent(owner, event({ type })), type).toBe(false);
    }
    expect(canSeeEvent(owner, event({ type: 'conversation.resolved' }))).toBe(true);
  });

  it("cuts a customer's payload down to the conversation's identity and status and the message", () => {
    const payload = customerEventPayload({
      conversation: {
        id: 'conv-1',
        number: 7,
        status: 'open',
        tags: ['fraud-suspect'],
        priority: 'urgent',
        tier: 'expert',
        teamId: 'team-fraud',
        slaState: { breached: false },
        firstResponseDueAt: '2026-01-01T00:00:00Z',
        assigneeName: 'Li Na',
      },
      message: {
        id: 'm-1',
        conversationId: 'conv-1',
        authorKind: 'bot',
        body: 'Hello',
        private: false,
        createdAt: '2026-01-01T00:00:00Z',
        metadata: { kind: 'bot_answer', confidence: 0.97, citations: [{ id: 'a-1', title: 'Cards', slug: 'cards', locale: 'en', score: 3 }] },
      },
      reason: 'vip',
    });
    expect(payload).toEqual({
      conversation: { id: 'conv-1', number: 7, status: 'open', assigneeName: 'Li Na' },
      message: {
        id: 'm-1',
        conversationId: 'conv-1',
        authorKind: 'bot',
        body: 'Hello',
        private: false,
        createdAt: '2026-01-01T00:00:00Z',
        metadata: { kind: 'bot_answer', citations: [{ id: 'a-1', title: 'Cards', slug: 'cards', locale: 'en' }] },
      },
    });
  });
});

describe("a call event's customer payload", () => {
  it('keeps the call without the agent', () => {
    const call = {
      id: 'c-1',
      conversationId: 'conv-1',
      media: 'video',
      status: 'active',
      requestedBy: 'customer',
      agentId: 'agent-7',
      createdAt: 'x',
      answeredAt: 'y',
      endedAt: null,
      durationSeconds: null,
      waitSeconds: 4,
    };
    const payload = customerEventPayload({ call }) as { call: Record<string, unknown> };
    expect(payload.call).toEqual({ ...call, agentId: undefined });
    expect(payload.call).not.toHaveProperty('agentId');
  });
});

describe('customerMessageView of a bot answer', () => {
  it('keeps "partial" (the widget offers to read more) and drops the confidence', () => {
    const message = { id: 'm-2', authorKind: 'bot', body: 'Part', metadata: { kind: 'bot_answer', confidence: 0.99, partial: true, citations: [] } };
    expect(customerMessageView(message)).toMatchObject({ metadata: { kind: 'bot_answer', citations: [], partial: true } });
    expect((customerMessageView({ ...message, metadata: { kind: 'bot_answer', citations: [] } }) as { metadata: object }).metadata).not.toHaveProperty(
      'partial',
    );
  });
});

describe("the customers' event types", () => {
  it('are decided for every registered type and are only what the widget shows about a conversation', () => {
    expect(Object.keys(customerReceives).sort()).toEqual([...allEventTypes].sort());
    expect([...customerEventTypes].sort()).toEqual(
      [
        'bot.answered',
        'bot.assumed_resolved',
        'bot.handed_off',
        'bot.helpful',
        'bot.not_helpful',
        'call.answered',
        'call.declined',
        'call.ended',
        'call.missed',
        'call.recording_requested',
        'call.recording_started',
        'call.recording_stopped',
        'call.requested',
        'call.transferred',
        'conversation.assigned',
        'conversation.closed',
        'conversation.created',
        'conversation.merged',
        'conversation.merged_into',
        'conversation.queued',
        'conversation.reopened',
        'conversation.requeued',
        'conversation.resolved',
        'conversation.snoozed',
        'conversation.status_changed',
        'conversation.unsnoozed',
        'csat.received',
        'message.created',
      ].sort(),
    );
    const conversationTypes: readonly string[] = eventTypeRegistry.conversation;
    for (const type of customerEventTypes) expect(conversationTypes, type).toContain(type);
  });
});
