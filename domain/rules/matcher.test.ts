import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../business-hours.js';
import {
  evaluateCondition,
  eventsOfChange,
  maxRuleDepth,
  nextTimeTriggerDue,
  planRules,
  timeTriggerDueAt,
  triggerFires,
  withinDepth,
  type PlannableRule,
  type RuleEvent,
  type RuleFacts,
} from './matcher.js';
import { conditionSchema, triggerSchema, type Action, type Condition, type Trigger } from './rule-schema.js';

const agent = '11111111-1111-4111-8111-111111111111';
const team = '22222222-2222-4222-8222-222222222222';
const now = new Date('2026-01-14T10:00:00Z'); // a Wednesday, 10:00 in London

/** Mon-Fri 09:00-17:00 in London (GMT in January). */
const london: BusinessCalendar = {
  timeZone: 'Europe/London',
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })),
  holidays: [],
};
/** Mon-Fri 09:00-18:00 in Shanghai (UTC+8). */
const shanghai: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })),
  holidays: [],
};

function factsWith(overrides: Partial<RuleFacts> = {}): RuleFacts {
  return {
    subject: 'conversation',
    id: 'c1',
    channel: 'web_chat',
    status: 'open',
    priority: 'high',
    tier: 'junior',
    teamId: team,
    assigneeId: agent,
    tags: ['refund', 'VIP'],
    customer: { vip: true, language: 'zh-CN', attributes: { plan: 'gold', seats: 12, regions: ['EU', 'CN'], note: '' } },
    message: { authorKind: 'customer', text: '我要退款，这太糟糕了', intent: 'billing', sentiment: 'negative' },
    counts: { messages: 4, reopens: 1 },
    times: {
      created: '2026-01-14T08:00:00Z',
      status_changed: '2026-01-14T09:30:00Z',
      last_customer_message: '2026-01-14T09:55:00Z',
      last_agent_message: null,
      assigned: '2026-01-14T09:00:00Z',
    },
    calendar: london,
    ...overrides,
  };
}

/** Parses through the schema first, as stored rules are. */
const holds = (condition: unknown, facts = factsWith(), at = now) => evaluateCondition(conditionSchema.parse(condition), facts, at);

describe('evaluateCondition: each leaf', () => {
  const cases: [string, unknown, unknown][] = [
    ['channel', { field: 'channel', op: 'eq', value: 'web_chat' }, { field: 'channel', op: 'in', value: ['email', 'api'] }],
    ['channel (negated)', { field: 'channel', op: 'not_in', value: ['email'] }, { field: 'channel', op: 'neq', value: 'web_chat' }],
    ['status', { field: 'status', op: 'in', value: ['open', 'queued'] }, { field: 'status', op: 'eq', value: 'resolved' }],
    ['priority (set)', { field: 'priority', op: 'eq', value: 'high' }, { field: 'priority', op: 'not_in', value: ['high'] }],
    ['priority (order)', { field: 'priority', op: 'gte', value: 'normal' }, { field: 'priority', op: 'gt', value: 'high' }],
    ['priority (below)', { field: 'priority', op: 'lt', value: 'urgent' }, { field: 'priority', op: 'lte', value: 'normal' }],
    ['tier', { field: 'tier', op: 'eq', value: 'junior' }, { field: 'tier', op: 'eq', value: 'expert' }],
    ['team', { field: 'team', op: 'eq', value: team }, { field: 'team', op: 'eq', value: null }],
    ['assignee', { field: 'assignee', op: 'in', value: [agent] }, { field: 'assignee', op: 'eq', value: null }],
    ['tags contains (case-insensitive)', { field: 'tags', op: 'contains', value: 'vip' }, { field: 'tags', op: 'contains', value: 'billing' }],
    ['tags not_contains', { field: 'tags', op: 'not_contains', value: 'spam' }, { field: 'tags', op: 'not_contains', value: 'refund' }],
    ['tags contains_any', { field: 'tags', op: 'contains_any', value: ['x', 'refund'] }, { field: 'tags', op: 'contains_any', value: ['x', 'y'] }],
    ['tags contains_all', { field: 'tags', op: 'contains_all', value: ['refund', 'vip'] }, { field: 'tags', op: 'contains_all', value: ['refund', 'x'] }],
    ['tags contains_none', { field: 'tags', op: 'contains_none', value: ['x', 'y'] }, { field: 'tags', op: 'contains_none', value: ['x', 'refund'] }],
    ['customer.vip', { field: 'customer.vip', op: 'eq', value: true }, { field: 'customer.vip', op: 'eq', value: false }],
    ['customer.language (prefix)', { field: 'customer.language', op: 'eq', value: 'zh' }, { field: 'customer.language', op: 'eq', value: 'zh-TW' }],
    ['customer.language (list)', { field: 'customer.language', op: 'in', value: ['en', 'zh-cn'] }, { field: 'customer.language', op: 'not_in', value: ['zh'] }],
    ['attribute eq', { field: 'customer.attributes.plan', op: 'eq', value: 'gold' }, { field: 'customer.attributes.plan', op: 'eq', value: 'silver' }],
    ['attribute neq', { field: 'customer.attributes.plan', op: 'neq', value: 'silver' }, { field: 'customer.attributes.plan', op: 'neq', value: 'gold' }],
    ['attribute in', { field: 'customer.attributes.seats', op: 'in', value: [10, 12] }, { field: 'customer.attributes.seats', op: 'in', value: ['12'] }],
    ['attribute numeric', { field: 'customer.attributes.seats', op: 'gt', value: 10 }, { field: 'customer.attributes.plan', op: 'gt', value: 10 }],
    [
      'attribute contains (list)',
      { field: 'customer.attributes.regions', op: 'contains', value: 'cn' },
      { field: 'customer.attributes.regions', op: 'contains', value: 'US' },
    ],
    ['attribute is_set', { field: 'customer.attributes.plan', op: 'is_set' }, { field: 'customer.attributes.note', op: 'is_set' }],
    ['attribute is_not_set', { field: 'customer.attributes.missing', op: 'is_not_set' }, { field: 'customer.attributes.seats', op: 'is_not_set' }],
    ['message.text contains (Chinese)', { field: 'message.text', op: 'contains', value: '退款' }, { field: 'message.text', op: 'contains', value: '转账' }],
    ['message.text not_contains', { field: 'message.text', op: 'not_contains', value: '谢谢' }, { field: 'message.text', op: 'not_contains', value: '糟糕' }],
    [
      'message.text matches (Han regex)',
      { field: 'message.text', op: 'matches', value: '退(款|钱)' },
      { field: 'message.text', op: 'matches', value: '^退款' },
    ],
    [
      'message.text matches (script class)',
      { field: 'message.text', op: 'matches', value: '^\\p{Script=Han}+，' },
      { field: 'message.text', op: 'matches', value: '^[a-z]+$' },
    ],
    ['message.intent', { field: 'message.intent', op: 'eq', value: 'billing' }, { field: 'message.intent', op: 'in', value: ['cards', 'transfers'] }],
    ['message.sentiment', { field: 'message.sentiment', op: 'eq', value: 'negative' }, { field: 'message.sentiment', op: 'neq', value: 'negative' }],
    ['business_hours_now', { field: 'business_hours_now', op: 'eq', value: true }, { field: 'business_hours_now', op: 'eq', value: false }],
    ['messages_count', { field: 'messages_count', op: 'gte', value: 4 }, { field: 'messages_count', op: 'gt', value: 4 }],
    ['reopen_count', { field: 'reopen_count', op: 'eq', value: 1 }, { field: 'reopen_count', op: 'eq', value: 0 }],
    [
      'minutes_since',
      { field: 'minutes_since', since: 'created', op: 'eq', value: 120 },
      { field: 'minutes_since', since: 'last_customer_message', op: 'gt', value: 5 },
    ],
    [
      'minutes_since (never happened)',
      { field: 'minutes_since', since: 'assigned', op: 'gte', value: 0 },
      { field: 'minutes_since', since: 'last_agent_message', op: 'gte', value: 0 },
    ],
  ];
  it.each(cases)('%s: true, then false', (_name, truthy, falsy) => {
    expect(holds(truthy)).toBe(true);
    expect(holds(falsy)).toBe(false);
  });

  it('folds full-width letters and digits for contains, not for patterns', () => {
    const facts = factsWith({ message: { authorKind: 'customer', text: '订单ＡＢ１２３要退款', intent: null, sentiment: null } });
    expect(holds({ field: 'message.text', op: 'contains', value: 'ab123' }, facts)).toBe(true);
    // A pattern sees the text as written: full-width characters are not digits to \\d.
    expect(holds({ field: 'message.text', op: 'matches', value: 'AB\\d{3}' }, facts)).toBe(false);
    expect(holds({ field: 'message.text', op: 'matches', value: 'ＡＢ[１-９]+' }, facts)).toBe(true);
  });

  it('holds no message condition on an event without a message, not even a negative one', () => {
    const facts = factsWith({ message: null });
    expect(holds({ field: 'message.text', op: 'not_contains', value: '退款' }, facts)).toBe(false);
    expect(holds({ field: 'message.intent', op: 'neq', value: 'billing' }, facts)).toBe(false);
    expect(holds({ field: 'message.sentiment', op: 'neq', value: 'positive' }, facts)).toBe(false);
  });

  it('holds no intent or sentiment condition while the message is unclassified', () => {
    const facts = factsWith({ message: { authorKind: 'customer', text: 'hi', intent: null, sentiment: null } });
    expect(holds({ field: 'message.intent', op: 'neq', value: 'billing' }, facts)).toBe(false);
    expect(holds({ field: 'message.sentiment', op: 'in', value: ['neutral'] }, facts)).toBe(false);
  });

  it('matches no channel for a ticket without one, and treats unknown language as no match', () => {
    expect(holds({ field: 'channel', op: 'neq', value: 'email' }, factsWith({ channel: null }))).toBe(false);
    expect(holds({ field: 'customer.language', op: 'neq', value: 'en' }, factsWith({ customer: { vip: false, language: null, attributes: {} } }))).toBe(false);
  });

  it('reads business hours from the team calendar: closed at night and at the weekend, always open without one', () => {
    const open = { field: 'business_hours_now', op: 'eq', value: true };
    expect(holds(open, factsWith(), new Date('2026-01-14T20:00:00Z'))).toBe(false); // Wednesday night
    expect(holds(open, factsWith(), new Date('2026-01-17T10:00:00Z'))).toBe(false); // Saturday
    expect(holds(open, factsWith({ calendar: shanghai }), new Date('2026-01-14T02:00:00Z'))).toBe(true); // 10:00 in Shanghai
    expect(holds(open, factsWith({ calendar: null }), new Date('2026-01-17T03:00:00Z'))).toBe(true);
  });
});

describe('evaluateCondition: groups', () => {
  const yes = { field: 'customer.vip', op: 'eq', value: true };
  const no = { field: 'customer.vip', op: 'eq', value: false };
  it('all needs every child (and holds when empty)', () => {
    expect(holds({ all: [yes, yes] })).toBe(true);
    expect(holds({ all: [yes, no] })).toBe(false);
    expect(holds({ all: [] })).toBe(true);
  });
  it('any needs one child', () => {
    expect(holds({ any: [no, yes] })).toBe(true);
    expect(holds({ any: [no, no] })).toBe(false);
  });
  it('not inverts', () => {
    expect(holds({ not: no })).toBe(true);
    expect(holds({ not: yes })).toBe(false);
  });
  it('nests: a VIP writing in Chinese about a refund, not already escalated', () => {
    const tree = {
      all: [
        yes,
        {
          any: [
            { field: 'message.text', op: 'contains', value: '退款' },
            { field: 'message.intent', op: 'eq', value: 'billing' },
          ],
        },
        { not: { field: 'tags', op: 'contains', value: 'escalated' } },
      ],
    };
    expect(holds(tree)).toBe(true);
    expect(holds(tree, factsWith({ tags: ['escalated'] }))).toBe(false);
  });
});

const trigger = (value: unknown): Trigger => triggerSchema.parse(value);

describe('triggerFires', () => {
  const facts = factsWith();
  const ticket = factsWith({ subject: 'ticket', status: 'pending', message: null });
  const cases: [unknown, RuleEvent, RuleEvent, RuleFacts?][] = [
    [{ on: 'conversation_created' }, { on: 'conversation_created' }, { on: 'ticket_created' }],
    [
      { on: 'message_received', from: 'customer' },
      { on: 'message_received', from: 'customer' },
      { on: 'message_received', from: 'agent' },
    ],
    [
      { on: 'message_received', from: 'agent' },
      { on: 'message_received', from: 'agent' },
      { on: 'message_received', from: 'customer' },
    ],
    [{ on: 'status_changed' }, { on: 'status_changed', to: 'snoozed' }, { on: 'assigned' }],
    [
      { on: 'status_changed', to: 'resolved' },
      { on: 'status_changed', to: 'resolved' },
      { on: 'status_changed', to: 'open' },
    ],
    [{ on: 'assigned' }, { on: 'assigned' }, { on: 'unassigned' }],
    [{ on: 'unassigned' }, { on: 'unassigned' }, { on: 'assigned' }],
    [{ on: 'priority_changed' }, { on: 'priority_changed' }, { on: 'status_changed', to: 'open' }],
    [{ on: 'tag_added' }, { on: 'tag_added', tag: 'x' }, { on: 'priority_changed' }],
    [
      { on: 'tag_added', tag: '退款' },
      { on: 'tag_added', tag: '退款' },
      { on: 'tag_added', tag: 'refund' },
    ],
    [{ on: 'sla_warning' }, { on: 'sla_warning' }, { on: 'sla_breach' }],
    [{ on: 'sla_breach' }, { on: 'sla_breach' }, { on: 'sla_warning' }],
    [{ on: 'csat_received' }, { on: 'csat_received' }, { on: 'message_received', from: 'customer' }],
    [{ on: 'ticket_created' }, { on: 'ticket_created' }, { on: 'ticket_updated' }, ticket],
    [{ on: 'ticket_updated' }, { on: 'ticket_updated' }, { on: 'ticket_created' }, ticket],
  ];
  it.each(cases)('%j fires on its event and not on another', (value, fires, doesNot, subject = facts) => {
    expect(triggerFires(trigger(value), fires, subject)).toBe(true);
    expect(triggerFires(trigger(value), doesNot, subject)).toBe(false);
  });

  it('fires creation and update triggers only for their kind of subject', () => {
    expect(triggerFires(trigger({ on: 'conversation_created' }), { on: 'conversation_created' }, ticket)).toBe(false);
    expect(triggerFires(trigger({ on: 'ticket_created' }), { on: 'ticket_created' }, facts)).toBe(false);
    expect(triggerFires(trigger({ on: 'ticket_updated' }), { on: 'ticket_updated' }, facts)).toBe(false);
  });

  it('fires a time trigger once: on the tick whose interval holds its due instant', () => {
    const waiting = trigger({ on: 'time_elapsed', since: 'last_customer_message', after: { amount: 30, unit: 'minutes' } }); // due 10:25
    expect(triggerFires(waiting, { on: 'time_elapsed', from: '2026-01-14T10:00:00Z', to: '2026-01-14T10:30:00Z' }, facts)).toBe(true);
    expect(triggerFires(waiting, { on: 'time_elapsed', from: '2026-01-14T10:25:00Z', to: '2026-01-14T11:00:00Z' }, facts)).toBe(false);
    expect(triggerFires(waiting, { on: 'time_elapsed', from: '2026-01-14T09:00:00Z', to: '2026-01-14T10:24:59Z' }, facts)).toBe(false);
    expect(triggerFires(waiting, { on: 'message_received', from: 'customer' }, facts)).toBe(false);
  });
});

describe('timeTriggerDueAt', () => {
  const due = (value: unknown, times: Partial<RuleFacts['times']>, calendar: BusinessCalendar | null) => {
    const facts = factsWith({ times: { ...factsWith().times, ...times } });
    return timeTriggerDueAt(trigger(value), facts, calendar)?.toISOString() ?? null;
  };
  const afterCustomer = (amount: number, unit: string) => ({ on: 'time_elapsed', since: 'last_customer_message', after: { amount, unit } });

  it('counts minutes and hours on the wall clock', () => {
    expect(due(afterCustomer(90, 'minutes'), { last_customer_message: '2026-01-16T16:30:00Z' }, london)).toBe('2026-01-16T18:00:00.000Z');
    expect(due(afterCustomer(2, 'hours'), { last_customer_message: '2026-01-16T16:30:00Z' }, london)).toBe('2026-01-16T18:30:00.000Z');
  });

  it('counts business hours across a weekend: Friday 16:30 + 2h is Monday 10:30', () => {
    expect(due(afterCustomer(2, 'business_hours'), { last_customer_message: '2026-01-16T16:30:00Z' }, london)).toBe('2026-01-19T10:30:00.000Z');
  });

  it('counts business hours across a night: Tuesday 20:00 + 1h is Wednesday 10:00', () => {
    expect(due(afterCustomer(1, 'business_hours'), { last_customer_message: '2026-01-13T20:00:00Z' }, london)).toBe('2026-01-14T10:00:00.000Z');
  });

  it('uses the calendar time zone: Friday 17:30 in Shanghai + 2h is Monday 10:30 there', () => {
    expect(due(afterCustomer(2, 'business_hours'), { last_customer_message: '2026-01-16T09:30:00Z' }, shanghai)).toBe('2026-01-19T02:30:00.000Z');
  });

  it('counts business hours round the clock without a calendar', () => {
    expect(due(afterCustomer(2, 'business_hours'), { last_customer_message: '2026-01-16T16:30:00Z' }, null)).toBe('2026-01-16T18:30:00.000Z');
  });

  it('is null before the anchor happened, for a calendar that never opens, and for other triggers', () => {
    expect(due({ on: 'time_elapsed', since: 'last_agent_message', after: { amount: 1, unit: 'hours' } }, {}, london)).toBeNull();
    expect(due(afterCustomer(1, 'business_hours'), {}, { timeZone: 'UTC', weekly: [], holidays: [] })).toBeNull();
    expect(timeTriggerDueAt(trigger({ on: 'assigned' }), factsWith(), london)).toBeNull();
  });
});

describe('withinDepth', () => {
  it(`lets rules react to ${maxRuleDepth} hops of rule-caused events, then stops`, () => {
    expect([0, 1, 2, 3].map((depth) => withinDepth(depth))).toEqual([true, true, true, false]);
    expect(withinDepth(1, 1)).toBe(false);
  });
});

describe('planRules', () => {
  let counter = 0;
  const rule = (overrides: Partial<PlannableRule> & { actions?: Action[]; conditions?: Condition } = {}): PlannableRule => ({
    id: `rule-${++counter}`,
    version: 1,
    position: counter,
    enabled: true,
    scope: 'conversation',
    trigger: { on: 'message_received', from: 'customer' },
    conditions: { all: [] },
    actions: [{ type: 'add_tag', tag: `tag-${counter}` }],
    ...overrides,
  });
  const received: RuleEvent = { on: 'message_received', from: 'customer' };
  const vip: Condition = { field: 'customer.vip', op: 'eq', value: true };
  const notVip: Condition = { field: 'customer.vip', op: 'eq', value: false };

  it('runs matching rules in position order, whatever order they come in', () => {
    const [a, b, c] = [rule({ position: 3 }), rule({ position: 1 }), rule({ position: 2 })];
    const plans = planRules([a, b, c], received, factsWith(), now);
    expect(plans.map((plan) => plan.ruleId)).toEqual([b.id, c.id, a.id]);
    expect(plans.every((plan) => plan.matched)).toBe(true);
  });

  it('lists a rule whose trigger fires but conditions fail as not matched, without actions, and leaves out the rest', () => {
    const failing = rule({ conditions: notVip, version: 4 });
    const otherTrigger = rule({ trigger: { on: 'assigned' } });
    const disabled = rule({ enabled: false });
    const ticketOnly = rule({ scope: 'ticket' });
    const plans = planRules([failing, otherTrigger, disabled, ticketOnly], received, factsWith(), now);
    expect(plans).toEqual([{ ruleId: failing.id, version: 4, matched: false, actions: [] }]);
  });

  it('stops after a matched rule with stop, and leaves stop out of the actions', () => {
    const first = rule({ position: 1, conditions: vip, actions: [{ type: 'assign_tier', tier: 'expert' }, { type: 'stop' }] });
    const second = rule({ position: 2 });
    const plans = planRules([second, first], received, factsWith(), now);
    expect(plans).toEqual([{ ruleId: first.id, version: 1, matched: true, actions: [{ type: 'assign_tier', tier: 'expert' }], stoppedAt: 1 }]);
  });

  it('does not stop on a rule with stop that did not match', () => {
    const first = rule({ position: 1, conditions: notVip, actions: [{ type: 'escalate' }, { type: 'stop' }] });
    const second = rule({ position: 2 });
    expect(planRules([first, second], received, factsWith(), now).map((plan) => [plan.ruleId, plan.matched])).toEqual([
      [first.id, false],
      [second.id, true],
    ]);
  });

  it('runs rules of scope both on tickets and conversations', () => {
    const both = rule({ scope: 'both', trigger: { on: 'priority_changed' } });
    expect(planRules([both], { on: 'priority_changed' }, factsWith({ subject: 'ticket' }), now)).toHaveLength(1);
    expect(planRules([both], { on: 'priority_changed' }, factsWith(), now)).toHaveLength(1);
  });

  it('runs nothing on an event past the depth bound', () => {
    const any = rule();
    expect(planRules([any], { ...received, depth: maxRuleDepth - 1 }, factsWith(), now)).toHaveLength(1);
    expect(planRules([any], { ...received, depth: maxRuleDepth }, factsWith(), now)).toEqual([]);
  });

  it('checks a time rule\'s conditions when it comes due: "2 business hours after the customer wrote, still unanswered"', () => {
    const chase = rule({
      trigger: { on: 'time_elapsed', since: 'last_customer_message', after: { amount: 2, unit: 'business_hours' } },
      conditions: {
        all: [
          { field: 'status', op: 'eq', value: 'open' },
          { field: 'minutes_since', since: 'last_customer_message', op: 'gte', value: 60 },
        ],
      },
      actions: [{ type: 'set_priority', priority: 'urgent' }],
    });
    const facts = factsWith({ message: null, times: { ...factsWith().times, last_customer_message: '2026-01-16T16:30:00Z' } });
    const tick: RuleEvent = { on: 'time_elapsed', from: '2026-01-19T10:00:00Z', to: '2026-01-19T11:00:00Z' };
    expect(planRules([chase], tick, facts, new Date('2026-01-19T10:30:00Z'))[0]?.matched).toBe(true);
    expect(planRules([chase], tick, { ...facts, status: 'resolved' }, new Date('2026-01-19T10:30:00Z'))[0]?.matched).toBe(false);
    // Saturday's tick is too early: not due yet, so the rule is not even evaluated.
    expect(planRules([chase], { on: 'time_elapsed', from: '2026-01-17T00:00:00Z', to: '2026-01-18T23:59:00Z' }, facts, now)).toEqual([]);
  });
});

describe('nextTimeTriggerDue', () => {
  const timeRule = (id: string, trigger: Trigger, overrides: Partial<PlannableRule> = {}): PlannableRule => ({
    id,
    version: 1,
    position: 1,
    enabled: true,
    scope: 'conversation',
    trigger,
    conditions: { all: [] },
    actions: [],
    ...overrides,
  });
  const afterCreated = (amount: number, unit: 'minutes' | 'hours' | 'business_hours'): Trigger => ({
    on: 'time_elapsed',
    since: 'created',
    after: { amount, unit },
  });

  it('is the earliest due instant after the given one, across rules', () => {
    const rules = [timeRule('a', afterCreated(3, 'hours')), timeRule('b', afterCreated(90, 'minutes')), timeRule('c', { on: 'sla_breach' })];
    expect(nextTimeTriggerDue(rules, factsWith(), now)?.toISOString()).toBe('2026-01-14T11:00:00.000Z');
  });

  it('skips instants already passed, disabled rules and rules of another scope', () => {
    const rules = [
      timeRule('past', afterCreated(60, 'minutes')),
      timeRule('off', afterCreated(150, 'minutes'), { enabled: false }),
      timeRule('tickets', afterCreated(160, 'minutes'), { scope: 'ticket' }),
      timeRule('later', afterCreated(4, 'hours')),
    ];
    expect(nextTimeTriggerDue(rules, factsWith(), now)?.toISOString()).toBe('2026-01-14T12:00:00.000Z');
  });

  it('counts business hours in the calendar: 9 business hours from Wednesday 08:00 London end Thursday 10:00', () => {
    expect(nextTimeTriggerDue([timeRule('a', afterCreated(9, 'business_hours'))], factsWith(), now)?.toISOString()).toBe('2026-01-15T10:00:00.000Z');
  });

  it('is null without time rules, or when the anchor has not happened', () => {
    expect(nextTimeTriggerDue([timeRule('a', { on: 'sla_breach' })], factsWith(), now)).toBeNull();
    const sinceAgentReply = timeRule('b', { on: 'time_elapsed', since: 'last_agent_message', after: { amount: 1, unit: 'hours' } });
    expect(nextTimeTriggerDue([sinceAgentReply], factsWith(), now)).toBeNull();
  });
});

describe('eventsOfChange', () => {
  const before = { status: 'queued', assigneeId: null, priority: 'normal' as const };

  it('derives status, assignment and priority events at the given depth', () => {
    expect(eventsOfChange(before, { status: 'open', assigneeId: agent, priority: 'urgent' }, 1)).toEqual([
      { on: 'status_changed', to: 'open', depth: 1 },
      { on: 'assigned', depth: 1 },
      { on: 'priority_changed', depth: 1 },
    ]);
  });

  it('derives unassigned when the assignee is cleared, and nothing when nothing changed', () => {
    expect(eventsOfChange({ ...before, assigneeId: agent }, before, 0)).toEqual([{ on: 'unassigned', depth: 0 }]);
    expect(eventsOfChange(before, { ...before }, 0)).toEqual([]);
  });
});
