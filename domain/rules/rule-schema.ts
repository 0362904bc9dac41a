// Automation rules as data: what an admin writes (trigger, condition tree, ordered actions) and
// the zod schemas that check it before it is stored. Every failure names its exact path
// (`conditions.all.0.value`), so the API can answer 400 with it and the console can point at
// the field. The format is described with examples in docs/RULES.md.
import { z } from 'zod';
import { agentTiers, channelKinds, conversationStatuses, priorities, routingTiers, ticketStatuses } from '../vocabulary.js';
import { maxPatternLength, patternProblem } from './pattern.js';
import { followUpStepsSchema } from '../follow-ups.js';

/** Which subjects a rule sees; mirrors the Prisma enum RuleScope (a unit test compares them). */
export const ruleScopes = ['conversation', 'ticket', 'both'] as const;
export type RuleScope = (typeof ruleScopes)[number];

/** A conversation's or a ticket's status: conditions and status_changed may name either kind. */
export const ruleStatuses = [...new Set([...conversationStatuses, ...ticketStatuses])] as [string, ...string[]];

/** Levels of a condition tree, the root and the leaves included: `{ all: [leaf] }` has two. */
export const maxConditionDepth = 6;
/** Groups and leaves in one tree. */
export const maxConditionNodes = 50;
/** Children of one `all` / `any` group. */
export const maxGroupSize = 20;
export const maxActions = 20;

/** The events a time trigger and `minutes_since` count from. */
export const timeAnchors = ['created', 'status_changed', 'last_customer_message', 'last_agent_message', 'assigned'] as const;
export type TimeAnchor = (typeof timeAnchors)[number];

export const sentiments = ['negative', 'neutral', 'positive'] as const;

const uuid = z.uuid();
const tag = z.string().trim().min(1).max(50);
const text = z.string().trim().min(1).max(5000);
const languageTag = z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en, zh or zh-CN');
const intentKey = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'must be an intent key such as billing or transfers');

// ---------------------------------------------------------------------------------------------
// Triggers

const triggerOf = <On extends string, Shape extends z.ZodRawShape>(on: On, shape: Shape) => z.strictObject({ on: z.literal(on), ...shape });

const timeElapsedTrigger = triggerOf('time_elapsed', {
  since: z.enum(timeAnchors),
  after: z
    .strictObject({
      amount: z.int().min(1),
      unit: z.enum(['minutes', 'hours', 'business_hours']),
    })
    .refine((after) => after.amount * (after.unit === 'minutes' ? 1 : 60) <= 365 * 24 * 60, { message: 'must be at most one year', path: ['amount'] }),
});

export const triggerSchema = z.discriminatedUnion('on', [
  triggerOf('conversation_created', {}),
  triggerOf('message_received', { from: z.enum(['customer', 'agent']) }),
  triggerOf('status_changed', { to: z.enum(ruleStatuses).optional() }),
  triggerOf('assigned', {}),
  triggerOf('unassigned', {}),
  triggerOf('priority_changed', {}),
  triggerOf('tag_added', { tag: tag.optional() }),
  triggerOf('sla_warning', {}),
  triggerOf('sla_breach', {}),
  triggerOf('csat_received', {}),
  // A call in the conversation rang out unanswered (issue 24).
  triggerOf('call_missed', {}),
  triggerOf('ticket_created', {}),
  triggerOf('ticket_updated', {}),
  timeElapsedTrigger,
]);
export type Trigger = z.infer<typeof triggerSchema>;
export type TimeTrigger = z.infer<typeof timeElapsedTrigger>;
export type TriggerKind = Trigger['on'];

// ---------------------------------------------------------------------------------------------
// Condition leaves: one schema per field, and per operator where the value's type depends on it.

const numericOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export type NumericOp = (typeof numericOps)[number];

/** eq / neq take one value, in / not_in a list of them. */
function setLeaf<Field extends string, Value extends z.ZodType>(field: Field, value: Value) {
  return z.discriminatedUnion('op', [
    z.strictObject({ field: z.literal(field), op: z.enum(['eq', 'neq']), value }),
    z.strictObject({ field: z.literal(field), op: z.enum(['in', 'not_in']), value: z.array(value).min(1).max(50) }),
  ]);
}

/**
 * A pattern an admin may use: one RE2 can run (linear time whatever the text; domain/rules/
 * pattern.ts says what is translated from JavaScript syntax and what is refused and why).
 */
const regexSource = z
  .string()
  .min(1)
  .max(maxPatternLength)
  .superRefine((source, ctx) => {
    if (source.length > maxPatternLength) return; // max() says so
    const problem = patternProblem(source);
    if (problem) ctx.addIssue({ code: 'custom', message: `must be a pattern RE2 can run: ${problem}` });
  });

const priorityLeaf = z.discriminatedUnion('op', [
  z.strictObject({ field: z.literal('priority'), op: z.enum(numericOps), value: z.enum(priorities) }),
  z.strictObject({ field: z.literal('priority'), op: z.enum(['in', 'not_in']), value: z.array(z.enum(priorities)).min(1).max(4) }),
]);

const tagsLeaf = z.discriminatedUnion('op', [
  z.strictObject({ field: z.literal('tags'), op: z.enum(['contains', 'not_contains']), value: tag }),
  z.strictObject({ field: z.literal('tags'), op: z.enum(['contains_any', 'contains_all', 'contains_none']), value: z.array(tag).min(1).max(50) }),
]);

const messageTextLeaf = z.discriminatedUnion('op', [
  z.strictObject({ field: z.literal('message.text'), op: z.enum(['contains', 'not_contains']), value: z.string().trim().min(1).max(500) }),
  z.strictObject({ field: z.literal('message.text'), op: z.literal('matches'), value: regexSource }),
]);

const countLeaf = <Field extends string>(field: Field) =>
  z.strictObject({ field: z.literal(field), op: z.enum(numericOps), value: z.int().min(0).max(1_000_000) });

const knownLeafFields = [
  'channel',
  'status',
  'priority',
  'tier',
  'team',
  'assignee',
  'tags',
  'customer.vip',
  'customer.language',
  'message.text',
  'message.intent',
  'message.sentiment',
  'business_hours_now',
  'messages_count',
  'reopen_count',
  'minutes_since',
] as const;

const knownLeaf = z.discriminatedUnion('field', [
  setLeaf('channel', z.enum(channelKinds)),
  setLeaf('status', z.enum(ruleStatuses)),
  priorityLeaf,
  setLeaf('tier', z.enum(routingTiers)),
  // null: no team.
  setLeaf('team', uuid.nullable()),
  // null: unassigned.
  setLeaf('assignee', uuid.nullable()),
  tagsLeaf,
  z.strictObject({ field: z.literal('customer.vip'), op: z.literal('eq'), value: z.boolean() }),
  setLeaf('customer.language', languageTag),
  messageTextLeaf,
  setLeaf('message.intent', intentKey),
  setLeaf('message.sentiment', z.enum(sentiments)),
  z.strictObject({ field: z.literal('business_hours_now'), op: z.literal('eq'), value: z.boolean() }),
  countLeaf('messages_count'),
  countLeaf('reopen_count'),
  z.strictObject({ field: z.literal('minutes_since'), since: z.enum(timeAnchors), op: z.enum(numericOps), value: z.number().min(0).max(525_600) }),
]);

/** Never valid: reports an unknown field by name (the union's own message would omit attributes). */
const unknownField = z.looseObject({
  field: z.custom<never>(() => false, { message: `must be one of ${knownLeafFields.join(', ')} or customer.attributes.<key>` }),
}) as unknown as z.ZodType<never>;

/** `customer.attributes.plan`: a custom field on the customer (Customer.attributes). */
export const attributeFieldPattern = /^customer\.attributes\.([A-Za-z0-9_-]{1,64})$/;
const attributeField = z.string().regex(attributeFieldPattern, 'must be customer.attributes.<key>, the key 1-64 letters, digits, "_" or "-"');
const scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()], {
  error: 'must be a string (at most 500 characters), a number, true, false or null',
});
const attributeLeaf = z.discriminatedUnion('op', [
  z.strictObject({ field: attributeField, op: z.enum(['eq', 'neq']), value: scalar }),
  z.strictObject({ field: attributeField, op: z.enum(['in', 'not_in']), value: z.array(scalar).min(1).max(50) }),
  z.strictObject({ field: attributeField, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number() }),
  z.strictObject({ field: attributeField, op: z.literal('contains'), value: z.string().min(1).max(500) }),
  z.strictObject({ field: attributeField, op: z.enum(['is_set', 'is_not_set']) }),
]);

export type KnownConditionLeaf = z.infer<typeof knownLeaf>;
export type AttributeConditionLeaf = z.infer<typeof attributeLeaf>;
export type ConditionLeaf = KnownConditionLeaf | AttributeConditionLeaf;
export type ConditionGroup = { all: Condition[] } | { any: Condition[] } | { not: Condition };
export type Condition = ConditionGroup | ConditionLeaf;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A schema that picks the schema for a value by its shape and reports that schema's issues at
 * their own paths. z.union would report one "invalid input" at the union's path instead, and
 * the condition kinds share no discriminator key.
 */
function byShape<T>(pick: (value: unknown) => z.ZodType<T>): z.ZodType<T, unknown> {
  return z.unknown().transform((value, ctx): T => {
    const result = pick(value).safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
}

const leafSchema = byShape<ConditionLeaf>((value) => {
  const field = isRecord(value) ? value.field : undefined;
  if (typeof field === 'string' && field.startsWith('customer.attributes')) return attributeLeaf;
  return typeof field === 'string' && (knownLeafFields as readonly string[]).includes(field) ? knownLeaf : unknownField;
});

const notACondition = z.custom<never>(() => false, { message: 'must be a condition: { all: [...] }, { any: [...] }, { not: {...} } or { field, op, value }' });
const tooDeep = z.custom<never>(() => false, { message: `conditions may nest at most ${maxConditionDepth} levels deep` });

/** The condition schema for a node at `level` (1 = the root); groups below the last level are refused. */
function conditionAt(level: number): z.ZodType<Condition, unknown> {
  const child = level < maxConditionDepth ? conditionAt(level + 1) : null;
  const all = child && z.strictObject({ all: z.array(child).max(maxGroupSize) });
  const any = child && z.strictObject({ any: z.array(child).min(1).max(maxGroupSize) });
  const not = child && z.strictObject({ not: child });
  return byShape<Condition>((value) => {
    if (!isRecord(value)) return notACondition;
    if ('all' in value) return all ?? tooDeep;
    if ('any' in value) return any ?? tooDeep;
    if ('not' in value) return not ?? tooDeep;
    return 'field' in value ? leafSchema : notACondition;
  });
}

/** Groups and leaves in a tree. */
export function conditionNodes(condition: Condition): number {
  if ('all' in condition) return 1 + condition.all.reduce((sum, child) => sum + conditionNodes(child), 0);
  if ('any' in condition) return 1 + condition.any.reduce((sum, child) => sum + conditionNodes(child), 0);
  if ('not' in condition) return 1 + conditionNodes(condition.not);
  return 1;
}

/** A condition tree: `{ all: [] }` holds always. */
export const conditionSchema: z.ZodType<Condition, unknown> = conditionAt(1).superRefine((condition, ctx) => {
  const nodes = conditionNodes(condition);
  if (nodes > maxConditionNodes)
    ctx.addIssue({ code: 'custom', message: `a rule may have at most ${maxConditionNodes} conditions and groups, this one has ${nodes}` });
});

// ---------------------------------------------------------------------------------------------
// Actions

const actionOf = <Type extends string, Shape extends z.ZodRawShape>(type: Type, shape: Shape) => z.strictObject({ type: z.literal(type), ...shape });

const emailContent = { subject: z.string().trim().min(1).max(300), body: z.string().trim().min(1).max(20_000) };

const webhookUrl = z
  .string()
  .max(2000)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
      return;
    }
    // Plain http:// only to an operator's allowed internal hosts: the API checks that, with the
    // address rules, against OUTBOUND_ALLOWED_HOSTS (infra/outbound/outbound-guard.ts).
    if (url.protocol !== 'https:' && url.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: 'must be an https:// URL' });
    if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not carry credentials: use the secret (HMAC signature) instead' });
  });

/**
 * A webhook's secret is write-only: `secret` sets or replaces it (the API seals it away and keeps
 * only its id), `secretId` keeps the one stored (the id the rule's views show). Exactly one.
 */
const webhookAction = actionOf('call_webhook', { url: webhookUrl, secret: z.string().min(16).max(256).optional(), secretId: uuid.optional() }).superRefine(
  (action, ctx) => {
    if (action.secret === undefined && action.secretId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'is required (16-256 characters): it signs every request and is never shown again' });
    }
    if (action.secret !== undefined && action.secretId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['secretId'], message: 'send either secret (to set or replace it) or secretId (to keep the stored one), not both' });
    }
  },
);

export const actionSchema = z.discriminatedUnion('type', [
  actionOf('assign_agent', { agentId: uuid }),
  actionOf('assign_team', { teamId: uuid }),
  actionOf('assign_tier', { tier: z.enum(agentTiers) }),
  actionOf('set_priority', { priority: z.enum(priorities) }),
  actionOf('add_tag', { tag }),
  actionOf('remove_tag', { tag }),
  actionOf('set_status', { status: z.enum(['snooze', 'resolve', 'close']) }),
  /** A canned reply to the customer, sent as the system (not as the assignee). */
  actionOf('send_reply', { text }),
  actionOf('send_bot_message', { text }),
  /** A private note, for agents only. */
  actionOf('add_note', { text }),
  actionOf('apply_sla_policy', { policyId: uuid }),
  /** A follow-up sequence sent by the system while the customer stays silent (workflows/follow-up.ts); skipped when one is active. */
  actionOf('start_follow_up', { steps: followUpStepsSchema }),
  actionOf('escalate', {}),
  actionOf('create_ticket', { subject: z.string().trim().min(1).max(300).optional() }),
  z.discriminatedUnion('to', [
    actionOf('send_email', { to: z.literal('customer'), ...emailContent }),
    actionOf('send_email', { to: z.literal('assignee'), ...emailContent }),
    actionOf('send_email', { to: z.literal('address'), address: z.email().max(320), ...emailContent }),
  ]),
  /** POSTs the event to `url`, signed with HMAC-SHA256 of the body under the rule's stored secret. */
  webhookAction,
  /** No rule after this one runs on the same event. */
  actionOf('stop', {}),
]);
export type Action = z.infer<typeof actionSchema>;
export type ActionType = Action['type'];
/** What a rule's plan hands to the runner: `stop` is control flow, not an activity. */
export type RunnableAction = Exclude<Action, { type: 'stop' }>;

// ---------------------------------------------------------------------------------------------
// The rule

/** Triggers that only conversations or only tickets have. */
const triggerSubjects: Partial<Record<TriggerKind, RuleScope>> = {
  conversation_created: 'conversation',
  message_received: 'conversation',
  call_missed: 'conversation',
  ticket_created: 'ticket',
  ticket_updated: 'ticket',
};

export const ruleFields = {
  name: z.string().trim().min(1).max(200),
  /** Rules start switched off unless told otherwise (an import must not start automating). */
  enabled: z.boolean().default(false),
  scope: z.enum(ruleScopes),
  trigger: triggerSchema,
  conditions: conditionSchema,
  actions: z.array(actionSchema).min(1).max(maxActions),
};

type RuleShape = { scope: RuleScope; trigger: Trigger; actions: Action[] };

/** Checks across fields: a trigger the scope never sees, a `stop` before other actions. */
export function checkRuleConsistency(rule: RuleShape, ctx: z.RefinementCtx): void {
  const only = triggerSubjects[rule.trigger.on];
  if (only && rule.scope !== 'both' && rule.scope !== only) {
    ctx.addIssue({ code: 'custom', path: ['trigger', 'on'], message: `${rule.trigger.on} happens to ${only}s only: use scope ${only} or both` });
  }
  rule.actions.forEach((action, index) => {
    if (action.type === 'stop' && index !== rule.actions.length - 1) {
      ctx.addIssue({ code: 'custom', path: ['actions', index], message: 'stop must be the last action (it ends the rules after this one, not this rule)' });
    }
  });
}

export const ruleDefinitionSchema = z.strictObject(ruleFields).superRefine(checkRuleConsistency);
export type RuleDefinition = z.infer<typeof ruleDefinitionSchema>;
/** What a client sends: `enabled` may be left out. */
export type RuleDefinitionInput = z.input<typeof ruleDefinitionSchema>;
