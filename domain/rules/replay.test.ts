import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../business-hours.js';
import type { PlannableRule } from './matcher.js';
import { replayRule, ruleEventsOf, type RecordedEvent, type ReplaySubject } from './replay.js';
import { ruleDefinitionSchema } from './rule-schema.js';

const agent = '11111111-1111-4111-8111-111111111111';
const team = '22222222-2222-4222-8222-222222222222';
const london: BusinessCalendar = { timeZone: 'Europe/London', weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })), holidays: [] };

const view = (changes: Record<string, unknown> = {}) => ({
  status: 'queued',
  priority: 'normal',
  tier: 'junior',
  assigneeId: null,
  teamId: team,
  createdAt: '2026-01-16T16:00:00.000Z',
  ...changes,
});

let nextId = 1;
const event = (type: string, occurredAt: string, payload: Record<string, unknown>): RecordedEvent => ({ id: String(nextId++), type, occurredAt, payload });
const message = (authorKind: string, body: string, extra: Record<string, unknown> = {}) => ({ message: { authorKind, body, private: false, ...extra } });

/** A VIP writes on Friday afternoon, is classified as negative, gets an agent, writes again. */
function history(): RecordedEvent[] {
  return [
    event('conversation.created', '2026-01-16T16:00:00.000Z', { conversation: view() }),
    event('message.created', '2026-01-16T16:00:00.000Z', message('customer', 'This is terrible, where is my refund?')),
    event('conversation.classified', '2026-01-16T16:00:01.000Z', {
      classification: { language: 'en', sentiment: 'negative', intent: 'billing', tier: 'expert' },
      conversation: view({ tier: 'expert' }),
    }),
    event('conversation.assigned', '2026-01-16T16:10:00.000Z', { conversation: view({ tier: 'expert', status: 'open', assigneeId: agent }) }),
    event('message.created', '2026-01-16T16:20:00.000Z', message('agent', 'Looking into it now.')),
    event('message.created', '2026-01-16T16:25:00.000Z', message('agent', 'note to self', { private: true })),
    event('message.created', '2026-01-16T16:30:00.000Z', message('customer', '谢谢')),
  ];
}

const subject = (events: RecordedEvent[], changes: Partial<ReplaySubject> = {}): ReplaySubject => ({
  subject: 'conversation',
  id: 'c1',
  channel: 'web_chat',
  tags: [],
  customer: { vip: true, language: 'en', attributes: {} },
  calendars: { [team]: london },
  events,
  ...changes,
});

const ruleOf = (definition: unknown): Omit<PlannableRule, 'enabled'> => ({ id: 'r1', version: 1, position: 0, ...ruleDefinitionSchema.parse(definition) });
const window = { from: new Date('2026-01-16T00:00:00Z'), to: new Date('2026-01-20T00:00:00Z') };
const base = { name: 'dry', scope: 'conversation', conditions: { all: [] }, actions: [{ type: 'add_tag', tag: 'hit' }] };

describe('ruleEventsOf', () => {
  it('turns one assignment into a status change and an assignment', () => {
    expect(ruleEventsOf({ type: 'conversation.assigned', payload: {} }, 'conversation', view(), view({ status: 'open', assigneeId: agent }))).toEqual([
      { on: 'status_changed', to: 'open' },
      { on: 'assigned' },
    ]);
  });
  it('reads messages, SLA events and ticket updates, and leaves out private notes and bot messages', () => {
    expect(ruleEventsOf({ type: 'message.created', payload: message('agent', 'x') }, 'conversation', null, null)).toEqual([
      { on: 'message_received', from: 'agent' },
    ]);
    expect(ruleEventsOf({ type: 'message.created', payload: message('agent', 'x', { private: true }) }, 'conversation', null, null)).toEqual([]);
    expect(ruleEventsOf({ type: 'message.created', payload: message('bot', 'x') }, 'conversation', null, null)).toEqual([]);
    expect(ruleEventsOf({ type: 'sla.breached', payload: {} }, 'ticket', view(), view())).toEqual([{ on: 'sla_breach' }]);
    expect(ruleEventsOf({ type: 'ticket.priority_changed', payload: {} }, 'ticket', view(), view({ priority: 'high' }))).toEqual([
      { on: 'priority_changed' },
      { on: 'ticket_updated' },
    ]);
    expect(ruleEventsOf({ type: 'conversation.requeued', payload: {} }, 'conversation', view({ assigneeId: agent }), view())).toEqual([{ on: 'unassigned' }]);
  });
});

describe('replayRule', () => {
  it('matches the first customer message of a VIP with the sentiment the conversation recorded', () => {
    const rule = ruleOf({
      ...base,
      trigger: { on: 'message_received', from: 'customer' },
      conditions: {
        all: [
          { field: 'customer.vip', op: 'eq', value: true },
          { field: 'message.sentiment', op: 'eq', value: 'negative' },
        ],
      },
    });
    const events = history();
    const matches = replayRule(rule, subject(events), window);
    expect(matches).toEqual([
      {
        eventId: events[1]!.id,
        eventType: 'message.created',
        trigger: 'message_received',
        at: '2026-01-16T16:00:00.000Z',
        actions: [{ type: 'add_tag', tag: 'hit' }],
      },
    ]);
    expect(replayRule(rule, subject(history(), { customer: { vip: false, language: 'en', attributes: {} } }), window)).toEqual([]);
  });

  it('classifies later messages itself, in Chinese too', () => {
    const rule = ruleOf({
      ...base,
      trigger: { on: 'message_received', from: 'customer' },
      conditions: { field: 'message.sentiment', op: 'eq', value: 'positive' },
    });
    expect(replayRule(rule, subject(history()), window).map((match) => match.at)).toEqual(['2026-01-16T16:30:00.000Z']);
  });

  it('counts messages without private notes and tracks status and assignment', () => {
    const rule = ruleOf({
      ...base,
      trigger: { on: 'message_received', from: 'customer' },
      conditions: {
        all: [
          { field: 'messages_count', op: 'eq', value: 3 },
          { field: 'status', op: 'eq', value: 'open' },
          { field: 'assignee', op: 'eq', value: agent },
        ],
      },
    });
    expect(replayRule(rule, subject(history()), window).map((match) => match.at)).toEqual(['2026-01-16T16:30:00.000Z']);
  });

  it('fires a business-hours time trigger where it came due, after the weekend', () => {
    const rule = ruleOf({
      ...base,
      trigger: { on: 'time_elapsed', since: 'last_customer_message', after: { amount: 2, unit: 'business_hours' } },
      conditions: { field: 'status', op: 'eq', value: 'open' },
    });
    const events = history();
    const matches = replayRule(rule, subject(events), window);
    // Friday 16:30 + 30 min on Friday + 90 min on Monday; reported at the last event before it.
    expect(matches).toEqual([
      {
        eventId: events[6]!.id,
        eventType: 'time_elapsed',
        trigger: 'time_elapsed',
        at: '2026-01-19T10:30:00.000Z',
        actions: [{ type: 'add_tag', tag: 'hit' }],
      },
    ]);
    // Not yet due when the window ends on Monday morning.
    expect(replayRule(rule, subject(history()), { from: window.from, to: new Date('2026-01-19T10:00:00Z') })).toEqual([]);
  });

  it('re-arms a time trigger when its anchor moves: only the last customer message counts', () => {
    const rule = ruleOf({ ...base, trigger: { on: 'time_elapsed', since: 'last_customer_message', after: { amount: 20, unit: 'minutes' } } });
    const matches = replayRule(rule, subject(history()), window);
    expect(matches.map((match) => match.at)).toEqual(['2026-01-16T16:20:00.000Z', '2026-01-16T16:50:00.000Z']);
  });

  it('reports only events inside the window, with the facts built from before it', () => {
    const rule = ruleOf({ ...base, trigger: { on: 'message_received', from: 'customer' }, conditions: { field: 'messages_count', op: 'eq', value: 3 } });
    const late = { from: new Date('2026-01-16T16:29:00Z'), to: window.to };
    expect(replayRule(rule, subject(history()), late).map((match) => match.at)).toEqual(['2026-01-16T16:30:00.000Z']);
    expect(replayRule(rule, subject(history()), { from: window.from, to: new Date('2026-01-16T16:29:00Z') })).toEqual([]);
  });

  it('skips events a rule caused beyond the depth bound', () => {
    const events = history();
    const tagged = event('conversation.priority_changed', '2026-01-16T16:40:00.000Z', {
      conversation: view({ status: 'open', assigneeId: agent, priority: 'high' }),
      rule: { id: 'r0', depth: 3 },
    });
    const rule = ruleOf({ ...base, trigger: { on: 'priority_changed' } });
    expect(replayRule(rule, subject([...events, tagged]), window)).toEqual([]);
    const shallow = { ...tagged, payload: { ...tagged.payload, rule: { id: 'r0', depth: 1 } } };
    expect(replayRule(rule, subject([...events, shallow]), window)).toHaveLength(1);
  });

  it('replays tickets: creation, updates and reopening', () => {
    const ticketView = (changes: Record<string, unknown> = {}) => view({ status: 'new', ...changes });
    const events = [
      event('ticket.created', '2026-01-16T10:00:00.000Z', { ticket: ticketView() }),
      event('ticket.status_changed', '2026-01-16T11:00:00.000Z', { ticket: ticketView({ status: 'solved' }) }),
      event('ticket.status_changed', '2026-01-16T12:00:00.000Z', { ticket: ticketView({ status: 'open' }) }),
    ];
    const ticket = subject(events, { subject: 'ticket', channel: null });
    const created = ruleOf({ ...base, scope: 'ticket', trigger: { on: 'ticket_created' } });
    expect(replayRule(created, ticket, window)).toHaveLength(1);
    const reopened = ruleOf({ ...base, scope: 'ticket', trigger: { on: 'ticket_updated' }, conditions: { field: 'reopen_count', op: 'eq', value: 1 } });
    expect(replayRule(reopened, ticket, window).map((match) => match.at)).toEqual(['2026-01-16T12:00:00.000Z']);
  });
});
