import { describe, expect, it } from 'vitest';
import { RuleScope } from '../../prisma/generated/enums.js';
import {
  actionSchema,
  conditionSchema,
  maxActions,
  maxConditionDepth,
  ruleDefinitionSchema,
  ruleScopes,
  triggerSchema,
  type Condition,
} from './rule-schema.js';

/** Each issue as `path: message`, for precise assertions. */
function issuesOf(schema: { safeParse(value: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown) {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
const pathsOf = (schema: Parameters<typeof issuesOf>[0], value: unknown) => issuesOf(schema, value).map((issue) => issue.slice(0, issue.indexOf(':')));

const leaf = { field: 'customer.vip', op: 'eq', value: true };
const validRule = {
  name: 'VIP refunds to experts',
  enabled: true,
  scope: 'conversation',
  trigger: { on: 'message_received', from: 'customer' },
  conditions: { all: [leaf, { field: 'message.text', op: 'contains', value: '退款' }] },
  actions: [{ type: 'assign_tier', tier: 'expert' }, { type: 'stop' }],
};

describe('rule scopes', () => {
  it('mirror the Prisma enum RuleScope', () => {
    expect([...ruleScopes].sort()).toEqual(Object.values(RuleScope).sort());
  });
});

describe('triggers', () => {
  const valid = [
    { on: 'conversation_created' },
    { on: 'message_received', from: 'customer' },
    { on: 'message_received', from: 'agent' },
    { on: 'status_changed' },
    { on: 'status_changed', to: 'resolved' },
    { on: 'status_changed', to: 'on_hold' },
    { on: 'assigned' },
    { on: 'unassigned' },
    { on: 'priority_changed' },
    { on: 'tag_added' },
    { on: 'tag_added', tag: 'refund' },
    { on: 'sla_warning' },
    { on: 'sla_breach' },
    { on: 'csat_received' },
    { on: 'ticket_created' },
    { on: 'ticket_updated' },
    { on: 'time_elapsed', since: 'created', after: { amount: 30, unit: 'minutes' } },
    { on: 'time_elapsed', since: 'last_customer_message', after: { amount: 2, unit: 'business_hours' } },
    { on: 'time_elapsed', since: 'assigned', after: { amount: 24, unit: 'hours' } },
  ];
  it.each(valid)('accepts %j', (trigger) => {
    expect(issuesOf(triggerSchema, trigger)).toEqual([]);
  });

  it.each([
    [{ on: 'message_received' }, 'from'],
    [{ on: 'message_received', from: 'bot' }, 'from'],
    [{ on: 'status_changed', to: 'done' }, 'to'],
    [{ on: 'assigned', to: 'x' }, ''],
    [{ on: 'tag_added', tag: '' }, 'tag'],
    [{ on: 'someday' }, 'on'],
    [{ on: 'time_elapsed', since: 'created', after: { amount: 0, unit: 'minutes' } }, 'after.amount'],
    [{ on: 'time_elapsed', since: 'created', after: { amount: 1.5, unit: 'hours' } }, 'after.amount'],
    [{ on: 'time_elapsed', since: 'created', after: { amount: 9000, unit: 'hours' } }, 'after.amount'],
    [{ on: 'time_elapsed', since: 'created', after: { amount: 1, unit: 'days' } }, 'after.unit'],
    [{ on: 'time_elapsed', since: 'resolved', after: { amount: 1, unit: 'hours' } }, 'since'],
  ])('refuses %j at "%s"', (trigger, path) => {
    expect(pathsOf(triggerSchema, trigger)).toEqual([path]);
  });
});

describe('condition leaves', () => {
  const team = '6f1c1e52-7d4a-4c8e-9a55-0e2d3b6a1f00';
  const valid: Condition[] = [
    { field: 'channel', op: 'eq', value: 'email' },
    { field: 'channel', op: 'not_in', value: ['api'] },
    { field: 'status', op: 'in', value: ['open', 'pending'] },
    { field: 'priority', op: 'gte', value: 'high' },
    { field: 'priority', op: 'in', value: ['low', 'urgent'] },
    { field: 'tier', op: 'eq', value: 'expert' },
    { field: 'team', op: 'eq', value: team },
    { field: 'team', op: 'eq', value: null },
    { field: 'assignee', op: 'eq', value: null },
    { field: 'assignee', op: 'in', value: [team, null] },
    { field: 'tags', op: 'contains', value: 'refund' },
    { field: 'tags', op: 'contains_all', value: ['refund', '退款'] },
    { field: 'customer.vip', op: 'eq', value: false },
    { field: 'customer.language', op: 'eq', value: 'zh-CN' },
    { field: 'customer.language', op: 'in', value: ['zh', 'en'] },
    { field: 'customer.attributes.plan', op: 'eq', value: 'gold' },
    { field: 'customer.attributes.seats', op: 'gt', value: 10 },
    { field: 'customer.attributes.region', op: 'in', value: ['EU', null] },
    { field: 'customer.attributes.tags', op: 'contains', value: 'beta' },
    { field: 'customer.attributes.plan', op: 'is_set' },
    { field: 'message.text', op: 'contains', value: '退款' },
    { field: 'message.text', op: 'not_contains', value: 'thanks' },
    { field: 'message.text', op: 'matches', value: '退(款|钱)|refund' },
    { field: 'message.text', op: 'matches', value: '\\p{Script=Han}{2,}' },
    { field: 'message.intent', op: 'eq', value: 'billing' },
    { field: 'message.sentiment', op: 'eq', value: 'negative' },
    { field: 'business_hours_now', op: 'eq', value: false },
    { field: 'messages_count', op: 'gte', value: 3 },
    { field: 'reopen_count', op: 'gt', value: 0 },
    { field: 'minutes_since', since: 'last_customer_message', op: 'gt', value: 90 },
  ];
  it.each(valid)('accepts %j', (condition) => {
    expect(issuesOf(conditionSchema, condition)).toEqual([]);
  });

  it.each([
    [{ field: 'channel', op: 'eq', value: 'fax' }, 'value'],
    [{ field: 'channel', op: 'in', value: [] }, 'value'],
    [{ field: 'channel', op: 'contains', value: 'email' }, 'op'],
    [{ field: 'status', op: 'eq', value: 'done' }, 'value'],
    [{ field: 'priority', op: 'gt', value: 'critical' }, 'value'],
    [{ field: 'tier', op: 'eq', value: 'senior' }, 'value'],
    [{ field: 'team', op: 'eq', value: 'sales' }, 'value'],
    [{ field: 'assignee', op: 'eq', value: 'unassigned' }, 'value'],
    [{ field: 'tags', op: 'contains', value: ['a'] }, 'value'],
    [{ field: 'tags', op: 'contains_any', value: 'a' }, 'value'],
    [{ field: 'customer.vip', op: 'neq', value: true }, 'op'],
    [{ field: 'customer.vip', op: 'eq', value: 'yes' }, 'value'],
    [{ field: 'customer.language', op: 'eq', value: 'Chinese!' }, 'value'],
    [{ field: 'customer.attributes.', op: 'eq', value: 'x' }, 'field'],
    [{ field: 'customer.attributes.plan', op: 'gt', value: 'gold' }, 'value'],
    [{ field: 'customer.attributes.plan', op: 'eq', value: { nested: true } }, 'value'],
    [{ field: 'customer.attributes.plan', op: 'is_set', value: true }, ''],
    [{ field: 'message.text', op: 'contains', value: '' }, 'value'],
    [{ field: 'message.text', op: 'matches', value: '退款(' }, 'value'],
    [{ field: 'message.text', op: 'matches', value: 'refund(?!ed)' }, 'value'],
    [{ field: 'message.text', op: 'matches', value: '(?<=my )card' }, 'value'],
    [{ field: 'message.text', op: 'matches', value: '(退款)\\1' }, 'value'],
    [{ field: 'message.text', op: 'matches', value: 'x'.repeat(201) }, 'value'],
    [{ field: 'message.intent', op: 'eq', value: 'Billing Stuff' }, 'value'],
    [{ field: 'message.sentiment', op: 'eq', value: 'angry' }, 'value'],
    [{ field: 'business_hours_now', op: 'eq', value: 'yes' }, 'value'],
    [{ field: 'messages_count', op: 'gt', value: -1 }, 'value'],
    [{ field: 'reopen_count', op: 'gt', value: 1.5 }, 'value'],
    [{ field: 'minutes_since', op: 'gt', value: 5 }, 'since'],
    [{ field: 'minutes_since', since: 'created', op: 'contains', value: 5 }, 'op'],
    [{ field: 'mood', op: 'eq', value: 'x' }, 'field'],
    [{ field: 'customer.vip', op: 'eq', value: true, extra: 1 }, ''],
  ])('refuses %j at "%s"', (condition, path) => {
    expect(pathsOf(conditionSchema, condition)).toEqual([path]);
  });

  it('names every field an unknown one could have meant', () => {
    expect(issuesOf(conditionSchema, { field: 'mood', op: 'eq', value: 1 })[0]).toContain('customer.attributes.<key>');
  });
});

describe('condition trees', () => {
  it('reports an error deep in the tree at its exact path', () => {
    const tree = { all: [leaf, { any: [leaf, { not: { field: 'priority', op: 'eq', value: 'critical' } }] }] };
    expect(pathsOf(conditionSchema, tree)).toEqual(['all.1.any.1.not.value']);
  });

  it('accepts an empty all (always) but not an empty any', () => {
    expect(issuesOf(conditionSchema, { all: [] })).toEqual([]);
    expect(pathsOf(conditionSchema, { any: [] })).toEqual(['any']);
  });

  it('refuses a node that is neither a group nor a leaf, and groups with two kinds', () => {
    expect(pathsOf(conditionSchema, { all: ['vip'] })).toEqual(['all.0']);
    expect(pathsOf(conditionSchema, { alll: [] })).toEqual(['']);
    expect(pathsOf(conditionSchema, { all: [], any: [leaf] })).toEqual(['']);
  });

  const nested = (levels: number): unknown => (levels === 1 ? leaf : { not: nested(levels - 1) });
  it(`allows ${maxConditionDepth} levels and refuses a group deeper`, () => {
    expect(issuesOf(conditionSchema, nested(maxConditionDepth))).toEqual([]);
    expect(issuesOf(conditionSchema, nested(maxConditionDepth + 1))).toEqual([
      `not.not.not.not.not: conditions may nest at most ${maxConditionDepth} levels deep`,
    ]);
  });

  it('refuses a tree with more than 50 nodes and a group with more than 20 children', () => {
    const big = { all: Array.from({ length: 17 }, () => ({ any: [leaf, leaf] })) }; // 1 + 17 * 3 = 52
    expect(issuesOf(conditionSchema, big)[0]).toMatch(/^: a rule may have at most 50 conditions and groups, this one has 52/);
    expect(pathsOf(conditionSchema, { any: Array.from({ length: 21 }, () => leaf) })).toEqual(['any']);
  });
});

describe('actions', () => {
  const uuid = '0b8a3c3e-2f57-4f0e-9e0a-3a1c5d7e9b11';
  const valid = [
    { type: 'assign_agent', agentId: uuid },
    { type: 'assign_team', teamId: uuid },
    { type: 'assign_tier', tier: 'junior' },
    { type: 'set_priority', priority: 'urgent' },
    { type: 'add_tag', tag: '退款' },
    { type: 'remove_tag', tag: 'waiting' },
    { type: 'set_status', status: 'snooze' },
    { type: 'set_status', status: 'resolve' },
    { type: 'set_status', status: 'close' },
    { type: 'send_reply', text: '您好，我们已收到您的退款申请。' },
    { type: 'send_bot_message', text: 'An agent will be with you shortly.' },
    { type: 'add_note', text: 'VIP: handle with care' },
    { type: 'apply_sla_policy', policyId: uuid },
    { type: 'escalate' },
    { type: 'create_ticket' },
    { type: 'create_ticket', subject: 'Refund follow-up' },
    { type: 'send_email', to: 'customer', subject: 'We are on it', body: 'Hello' },
    { type: 'send_email', to: 'assignee', subject: 'VIP waiting', body: 'Please look' },
    { type: 'send_email', to: 'address', address: 'lead@example.com', subject: 'Breach', body: 'See the console' },
    { type: 'call_webhook', url: 'https://hooks.example.com/seamless', secret: 's'.repeat(32) },
    { type: 'call_webhook', url: 'https://hooks.example.com/seamless', secretId: uuid },
    { type: 'stop' },
  ];
  it.each(valid)('accepts %j', (action) => {
    expect(issuesOf(actionSchema, action)).toEqual([]);
  });

  it.each([
    [{ type: 'assign_agent', agentId: 'lina' }, 'agentId'],
    [{ type: 'assign_team' }, 'teamId'],
    [{ type: 'assign_tier', tier: 'self_service' }, 'tier'],
    [{ type: 'set_priority', priority: 'asap' }, 'priority'],
    [{ type: 'add_tag', tag: ' ' }, 'tag'],
    [{ type: 'remove_tag', tag: 'x'.repeat(51) }, 'tag'],
    [{ type: 'set_status', status: 'open' }, 'status'],
    [{ type: 'send_reply', text: '' }, 'text'],
    [{ type: 'send_bot_message', text: 'x'.repeat(5001) }, 'text'],
    [{ type: 'add_note' }, 'text'],
    [{ type: 'apply_sla_policy', policyId: 'gold' }, 'policyId'],
    [{ type: 'escalate', to: 'expert' }, ''],
    [{ type: 'create_ticket', subject: '' }, 'subject'],
    [{ type: 'send_email', to: 'address', subject: 's', body: 'b' }, 'address'],
    [{ type: 'send_email', to: 'address', address: 'not-an-email', subject: 's', body: 'b' }, 'address'],
    [{ type: 'send_email', to: 'team', subject: 's', body: 'b' }, 'to'],
    [{ type: 'send_email', to: 'customer', subject: 's' }, 'body'],
    [{ type: 'call_webhook', url: 'ftp://hooks.example.com', secret: 's'.repeat(32) }, 'url'],
    [{ type: 'call_webhook', url: 'https://hooks.example.com' }, 'secret'],
    [{ type: 'call_webhook', url: 'https://hooks.example.com', secret: 's'.repeat(32), secretId: uuid }, 'secretId'],
    [{ type: 'call_webhook', url: 'https://hooks.example.com', secretId: 'not-a-uuid' }, 'secretId'],
    [{ type: 'call_webhook', url: 'https://user:pw@hooks.example.com', secret: 's'.repeat(32) }, 'url'],
    [{ type: 'call_webhook', url: 'hooks.example.com', secret: 's'.repeat(32) }, 'url'],
    [{ type: 'call_webhook', url: 'https://hooks.example.com', secret: 'short' }, 'secret'],
    [{ type: 'stop', now: true }, ''],
    [{ type: 'delete_everything' }, 'type'],
  ])('refuses %j at "%s"', (action, path) => {
    expect(pathsOf(actionSchema, action)).toEqual([path]);
  });
});

describe('rule definitions', () => {
  it('accepts a complete rule and defaults enabled to false', () => {
    expect(ruleDefinitionSchema.parse(validRule).enabled).toBe(true);
    expect(ruleDefinitionSchema.parse({ ...validRule, enabled: undefined }).enabled).toBe(false);
  });

  it('reports bad parts at their paths', () => {
    const bad = {
      ...validRule,
      name: '',
      conditions: { all: [{ field: 'customer.vip', op: 'eq', value: 'yes' }] },
      actions: [{ type: 'set_priority', priority: 'asap' }],
      owner: 'me',
    };
    expect(pathsOf(ruleDefinitionSchema, bad).sort()).toEqual(['', 'actions.0.priority', 'conditions.all.0.value', 'name']);
  });

  it(`needs 1 to ${maxActions} actions`, () => {
    expect(pathsOf(ruleDefinitionSchema, { ...validRule, actions: [] })).toEqual(['actions']);
    expect(pathsOf(ruleDefinitionSchema, { ...validRule, actions: Array.from({ length: maxActions + 1 }, () => ({ type: 'escalate' })) })).toEqual(['actions']);
  });

  it('refuses a trigger the scope never sees', () => {
    expect(issuesOf(ruleDefinitionSchema, { ...validRule, scope: 'ticket' })).toEqual([
      'trigger.on: message_received happens to conversations only: use scope conversation or both',
    ]);
    expect(pathsOf(ruleDefinitionSchema, { ...validRule, scope: 'conversation', trigger: { on: 'ticket_created' } })).toEqual(['trigger.on']);
    expect(issuesOf(ruleDefinitionSchema, { ...validRule, scope: 'both', trigger: { on: 'ticket_updated' } })).toEqual([]);
  });

  it('refuses stop anywhere but last', () => {
    expect(pathsOf(ruleDefinitionSchema, { ...validRule, actions: [{ type: 'stop' }, { type: 'escalate' }] })).toEqual(['actions.0']);
  });
});

describe('message.text patterns (RE2)', () => {
  it.each(['((a+))+$', '(a|aa)+$', '(\\w|\\d)+$', '(a|a?)+$', 'a*a*a*a*a*a*$'])('accepts %s: RE2 matches it in linear time', (value) => {
    expect(issuesOf(conditionSchema, { field: 'message.text', op: 'matches', value })).toEqual([]);
  });

  it('says why a pattern is refused', () => {
    const issue = (value: string) => issuesOf(conditionSchema, { field: 'message.text', op: 'matches', value })[0];
    expect(issue('(退款)\\1')).toMatch(/^value: must be a pattern RE2 can run: backreferences .* not supported/);
    expect(issue('refund(?!ed)')).toContain('lookahead and lookbehind');
    expect(issue('\\p{L}{800}')).toContain('too large to match quickly');
  });
});
