// The rule editor's pure logic: the menus (which operators each field has, which value input
// each operator takes, which parameters each trigger and action has), the editable draft and
// its edits (the condition tree by node path), the JSON the API takes (docs/RULES.md), and where
// each of the server's 400 problems (`details[].path`, e.g. `conditions.all.0.value`) is shown.
// Validation itself is the server's: a draft is sent as typed and the server's paths point back
// at the controls, so the rules of the format live in one place (domain/rules/rule-schema.ts).
import type { FollowUpStep } from '../../../domain/follow-ups';
import { defaultPriority } from '../../../domain/priority';
import { followUpStepsOf, followUpStepsText } from './follow-up-steps';
import { agentTiers, channelKinds, conversationStatuses, priorities, routingTiers, ticketStatuses } from '../../../domain/vocabulary';
import {
  intents,
  sentiments,
  timeAnchors,
  timeUnits,
  type Action,
  type ActionType,
  type Condition,
  type RuleDefinition,
  type RuleScope,
  type RuleView,
  type Trigger,
  type TriggerKind,
} from './rule-types';

// ---------------------------------------------------------------------------------------------
// Condition fields: operators and their value inputs

/**
 * What a leaf's value input is: a menu of fixed options (`enum`), yes/no, a number, free text, a
 * team or a user (where "none" is null), a customer attribute's scalar, or nothing (`is_set`).
 */
export type ValueKind = 'enum' | 'boolean' | 'number' | 'text' | 'team' | 'user' | 'scalar' | 'none';

export interface OperatorSpec {
  op: string;
  value: ValueKind;
  /** The value is a list (`in`, `contains_any`...). */
  list: boolean;
}

export interface FieldSpec {
  ops: readonly OperatorSpec[];
  /** The options of an `enum` value. */
  options?: readonly string[];
}

const ops = (names: readonly string[], value: ValueKind, list = false): OperatorSpec[] => names.map((op) => ({ op, value, list }));
const setOps = (value: ValueKind) => [...ops(['eq', 'neq'], value), ...ops(['in', 'not_in'], value, true)];
const numericOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export const ruleStatuses: readonly string[] = [...new Set<string>([...conversationStatuses, ...ticketStatuses])];

/** `customer.attributes.<key>`: the menu's one entry for every attribute; the key is typed. */
export const attributeField = 'customer.attributes';

/** The fields in the order the menu shows them (docs/RULES.md, "Conditions"). */
export const conditionFields = {
  'customer.vip': { ops: ops(['eq'], 'boolean') },
  'customer.language': { ops: setOps('text') },
  [attributeField]: {
    ops: [
      ...ops(['eq', 'neq'], 'scalar'),
      ...ops(['in', 'not_in'], 'scalar', true),
      ...ops(['gt', 'gte', 'lt', 'lte'], 'number'),
      ...ops(['contains'], 'text'),
      ...ops(['is_set', 'is_not_set'], 'none'),
    ],
  },
  'message.text': { ops: ops(['contains', 'not_contains', 'matches'], 'text') },
  'message.intent': { ops: setOps('enum'), options: intents },
  'message.sentiment': { ops: setOps('enum'), options: sentiments },
  channel: { ops: setOps('enum'), options: channelKinds },
  status: { ops: setOps('enum'), options: ruleStatuses },
  priority: { ops: [...ops(numericOps, 'enum'), ...ops(['in', 'not_in'], 'enum', true)], options: priorities },
  tier: { ops: setOps('enum'), options: routingTiers },
  team: { ops: setOps('team') },
  assignee: { ops: setOps('user') },
  tags: { ops: [...ops(['contains', 'not_contains'], 'text'), ...ops(['contains_any', 'contains_all', 'contains_none'], 'text', true)] },
  messages_count: { ops: ops(numericOps, 'number') },
  reopen_count: { ops: ops(numericOps, 'number') },
  minutes_since: { ops: ops(numericOps, 'number') },
  business_hours_now: { ops: ops(['eq'], 'boolean') },
} satisfies Record<string, FieldSpec>;

export type ConditionField = keyof typeof conditionFields;
export const conditionFieldNames = Object.keys(conditionFields) as ConditionField[];

export function fieldSpec(field: string): FieldSpec {
  return (conditionFields as Record<string, FieldSpec>)[field] ?? conditionFields['message.text'];
}

export function operatorSpec(field: string, op: string): OperatorSpec {
  const spec = fieldSpec(field);
  return spec.ops.find((candidate) => candidate.op === op) ?? spec.ops[0]!;
}

/** A list value with fixed options is picked from checkboxes; other lists are typed, comma-separated. */
export const picksFromOptions = (spec: OperatorSpec) => spec.list && (spec.value === 'enum' || spec.value === 'team' || spec.value === 'user');

// ---------------------------------------------------------------------------------------------
// The draft: what the form edits

export interface LeafDraft {
  kind: 'leaf';
  id: string;
  field: ConditionField;
  /** The attribute's key, for `customer.attributes`. */
  key: string;
  op: string;
  /** For `minutes_since`. */
  since: string;
  /** A single value as typed or picked; also a typed list (comma-separated). */
  value: string;
  /** A list picked from options (team and user lists: '' is "none"). */
  values: string[];
}
export interface GroupDraft {
  kind: 'group';
  id: string;
  mode: 'all' | 'any';
  children: NodeDraft[];
}
export interface NotDraft {
  kind: 'not';
  id: string;
  child: NodeDraft;
}
export type NodeDraft = LeafDraft | GroupDraft | NotDraft;

export interface TriggerDraft {
  on: TriggerKind;
  from: string;
  to: string;
  tag: string;
  since: string;
  amount: string;
  unit: string;
}

export interface ActionDraft {
  id: string;
  type: ActionType;
  params: Record<string, string>;
}

export interface RuleDraft {
  name: string;
  enabled: boolean;
  scope: RuleScope;
  trigger: TriggerDraft;
  /** The root is always a group: an imported rule whose root is a leaf or `not` is wrapped in `all`. */
  conditions: GroupDraft;
  actions: ActionDraft[];
}

let lastId = 0;
/** Keys for Vue's lists; never sent. */
const newId = () => `d${++lastId}`;

function defaultValue(spec: OperatorSpec, options: readonly string[] | undefined): string {
  if (spec.value === 'boolean') return 'true';
  if (spec.value === 'enum' && !spec.list) return options?.[0] ?? '';
  return '';
}

export function newLeaf(field: ConditionField = 'message.text'): LeafDraft {
  const spec = fieldSpec(field);
  const first = spec.ops[0]!;
  return { kind: 'leaf', id: newId(), field, key: '', op: first.op, since: 'last_customer_message', value: defaultValue(first, spec.options), values: [] };
}

export const newGroup = (mode: 'all' | 'any'): GroupDraft => ({ kind: 'group', id: newId(), mode, children: [] });

/** Another field: its first operator and an empty value. */
export function withField(leaf: LeafDraft, field: ConditionField): LeafDraft {
  return { ...newLeaf(field), id: leaf.id, key: leaf.key, since: leaf.since };
}

/** Another operator: the value is kept when the new operator takes the same kind of value. */
export function withOp(leaf: LeafDraft, op: string): LeafDraft {
  const before = operatorSpec(leaf.field, leaf.op);
  const after = operatorSpec(leaf.field, op);
  if (before.value === after.value && before.list === after.list) return { ...leaf, op };
  return { ...leaf, op, value: defaultValue(after, fieldSpec(leaf.field).options), values: [] };
}

// ---------------------------------------------------------------------------------------------
// Editing the tree. A node is named by its path of child indices from the root group (a `not`
// has one child, index 0). Every edit returns a new tree.

export type NodePath = readonly number[];

function childrenOf(node: NodeDraft): NodeDraft[] {
  if (node.kind === 'group') return node.children;
  if (node.kind === 'not') return [node.child];
  return [];
}

export function nodeAt(root: GroupDraft, path: NodePath): NodeDraft | undefined {
  let node: NodeDraft | undefined = root;
  for (const index of path) node = node ? childrenOf(node)[index] : undefined;
  return node;
}

/** Replaces the node at `path` by `change(node)`; `null` removes it (from a group; a `not` is removed with it). */
function updateAt(node: NodeDraft, path: NodePath, change: (node: NodeDraft) => NodeDraft | null): NodeDraft | null {
  if (path.length === 0) return change(node);
  const [index, ...rest] = path as [number, ...number[]];
  if (node.kind === 'group') {
    const child = node.children[index];
    if (!child) return node;
    const next = updateAt(child, rest, change);
    const children = [...node.children];
    if (next === null) children.splice(index, 1);
    else children[index] = next;
    return { ...node, children };
  }
  if (node.kind === 'not' && index === 0) {
    const next = updateAt(node.child, rest, change);
    return next === null ? null : { ...node, child: next };
  }
  return node;
}

function updateTree(root: GroupDraft, path: NodePath, change: (node: NodeDraft) => NodeDraft | null): GroupDraft {
  const next = updateAt(root, path, change);
  // The root stays a group: it cannot be removed or replaced by something else.
  return next && next.kind === 'group' ? next : root;
}

export function addToGroup(root: GroupDraft, groupPath: NodePath, node: NodeDraft): GroupDraft {
  return updateTree(root, groupPath, (group) => (group.kind === 'group' ? { ...group, children: [...group.children, node] } : group));
}

export function replaceNode(root: GroupDraft, path: NodePath, node: NodeDraft): GroupDraft {
  return updateTree(root, path, () => node);
}

export function removeNode(root: GroupDraft, path: NodePath): GroupDraft {
  return path.length === 0 ? root : updateTree(root, path, () => null);
}

export function setGroupMode(root: GroupDraft, path: NodePath, mode: 'all' | 'any'): GroupDraft {
  return updateTree(root, path, (group) => (group.kind === 'group' ? { ...group, mode } : group));
}

/** Wraps the node in `not`, or unwraps a `not`. */
export function toggleNot(root: GroupDraft, path: NodePath): GroupDraft {
  if (path.length === 0) return root;
  return updateTree(root, path, (node) => (node.kind === 'not' ? node.child : { kind: 'not', id: newId(), child: node }));
}

/** Where a node's problems are reported: `conditions.all.0`, `conditions.all.1.any.0`, `conditions.all.2.not`. */
export function conditionPath(root: GroupDraft, path: NodePath): string {
  let result = 'conditions';
  let node: NodeDraft | undefined = root;
  for (const index of path) {
    if (!node) break;
    if (node.kind === 'group') {
      result += `.${node.mode}.${index}`;
      node = node.children[index];
    } else if (node.kind === 'not') {
      result += '.not';
      node = node.child;
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Triggers and actions: their parameters

/** Parameters each trigger has (docs/RULES.md, "Triggers"). */
export const triggerParams: Record<TriggerKind, readonly ('from' | 'to' | 'tag' | 'since' | 'amount' | 'unit')[]> = {
  conversation_created: [],
  message_received: ['from'],
  status_changed: ['to'],
  assigned: [],
  unassigned: [],
  priority_changed: [],
  tag_added: ['tag'],
  sla_warning: [],
  sla_breach: [],
  csat_received: [],
  call_missed: [],
  ticket_created: [],
  ticket_updated: [],
  time_elapsed: ['since', 'amount', 'unit'],
};

/** `secret`: write-only, typed as a password; the stored one is never shown (docs/WEBHOOKS.md). */
export type ParamKind = 'agent' | 'team' | 'slaPolicy' | 'enum' | 'text' | 'longText' | 'secret';

export interface ParamSpec {
  name: string;
  kind: ParamKind;
  options?: readonly string[];
  /** Left out of the JSON when blank. */
  optional?: boolean;
  /** What a new action starts with (an enum's first option otherwise). */
  initial?: string;
}

export const emailRecipients = ['customer', 'assignee', 'address'] as const;
export const setStatusValues = ['snooze', 'resolve', 'close'] as const;

/** Parameters of each action, in the order the form shows them (docs/RULES.md, "Actions"). */
export const actionParams: Record<ActionType, readonly ParamSpec[]> = {
  assign_agent: [{ name: 'agentId', kind: 'agent' }],
  assign_team: [{ name: 'teamId', kind: 'team' }],
  assign_tier: [{ name: 'tier', kind: 'enum', options: agentTiers }],
  // Starts at the scale's default (Normal), not its first option (Low), which a rule rarely means.
  set_priority: [{ name: 'priority', kind: 'enum', options: priorities, initial: defaultPriority }],
  add_tag: [{ name: 'tag', kind: 'text' }],
  remove_tag: [{ name: 'tag', kind: 'text' }],
  set_status: [{ name: 'status', kind: 'enum', options: setStatusValues }],
  send_reply: [{ name: 'text', kind: 'longText' }],
  send_bot_message: [{ name: 'text', kind: 'longText' }],
  add_note: [{ name: 'text', kind: 'longText' }],
  apply_sla_policy: [{ name: 'policyId', kind: 'slaPolicy' }],
  // Edited as text, a step a line (follow-up-steps.ts).
  start_follow_up: [{ name: 'steps', kind: 'longText' }],
  escalate: [],
  create_ticket: [{ name: 'subject', kind: 'text', optional: true }],
  send_email: [
    { name: 'to', kind: 'enum', options: emailRecipients },
    { name: 'address', kind: 'text' },
    { name: 'subject', kind: 'text' },
    { name: 'body', kind: 'longText' },
  ],
  call_webhook: [
    { name: 'url', kind: 'text' },
    { name: 'secret', kind: 'secret' },
  ],
  stop: [],
};

/** The parameters the action has as drafted: an email's address only when sent to an address. */
export function paramsOf(action: Pick<ActionDraft, 'type' | 'params'>): readonly ParamSpec[] {
  const specs = actionParams[action.type];
  return action.type === 'send_email' && action.params.to !== 'address' ? specs.filter((spec) => spec.name !== 'address') : specs;
}

export function newAction(type: ActionType): ActionDraft {
  const params: Record<string, string> = {};
  for (const spec of actionParams[type]) params[spec.name] = spec.initial ?? (spec.kind === 'enum' ? (spec.options?.[0] ?? '') : '');
  return { id: newId(), type, params };
}

/** Another type: parameters of the same name keep their value. */
export function withActionType(action: ActionDraft, type: ActionType): ActionDraft {
  const fresh = newAction(type);
  for (const spec of actionParams[type]) {
    const kept = action.params[spec.name];
    if (kept !== undefined && (spec.kind !== 'enum' || spec.options?.includes(kept))) fresh.params[spec.name] = kept;
  }
  return { ...fresh, id: action.id };
}

/** The list with the item at `index` moved one place up (-1) or down (+1); the same list at an end. */
export function move<T>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return [...items];
  const next = [...items];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

// ---------------------------------------------------------------------------------------------
// Draft → JSON

/** A number as typed; anything else is sent as typed for the server to name the problem. */
function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
}

/** Typed lists: commas (also Chinese ones), "、" or new lines separate the items. */
export function splitList(text: string): string[] {
  return text
    .split(/[,，、\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * A customer attribute's value as typed: `true`, `false`, `null` and numbers are those; anything
 * else is text ("quotes" keep a text that looks like a number: "42").
 */
export function parseScalar(text: string): string | number | boolean | null {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const quoted = /^"(.*)"$/.exec(trimmed);
  return quoted ? quoted[1]! : trimmed;
}

export function scalarText(value: unknown): string {
  if (typeof value === 'string') return parseScalar(value) === value ? value : `"${value}"`;
  return value === null ? 'null' : String(value);
}

function leafValue(leaf: LeafDraft): unknown {
  const spec = operatorSpec(leaf.field, leaf.op);
  const one = (text: string): unknown => {
    switch (spec.value) {
      case 'boolean':
        return text === 'true' ? true : text === 'false' ? false : text;
      case 'number':
        return numberOrText(text);
      case 'team':
      case 'user':
        return text === '' ? null : text;
      case 'scalar':
        return parseScalar(text);
      default:
        return text;
    }
  };
  if (!spec.list) return one(leaf.value);
  return picksFromOptions(spec) ? leaf.values.map(one) : splitList(leaf.value).map(one);
}

function conditionOf(node: NodeDraft): Condition {
  if (node.kind === 'group') return (node.mode === 'all' ? { all: node.children.map(conditionOf) } : { any: node.children.map(conditionOf) }) as Condition;
  if (node.kind === 'not') return { not: conditionOf(node.child) } as Condition;
  const field = node.field === attributeField ? `${attributeField}.${node.key.trim()}` : node.field;
  const leaf: Record<string, unknown> = { field };
  if (node.field === 'minutes_since') leaf.since = node.since;
  leaf.op = node.op;
  if (operatorSpec(node.field, node.op).value !== 'none') leaf.value = leafValue(node);
  // Typed loosely on purpose: a draft may be invalid, and the server says where.
  return leaf as unknown as Condition;
}

export function triggerOf(draft: TriggerDraft): Trigger {
  const trigger: Record<string, unknown> = { on: draft.on };
  for (const param of triggerParams[draft.on]) {
    if (param === 'from') trigger.from = draft.from;
    if (param === 'to' && draft.to) trigger.to = draft.to;
    if (param === 'tag' && draft.tag.trim()) trigger.tag = draft.tag;
    if (param === 'since') trigger.since = draft.since;
  }
  if (draft.on === 'time_elapsed') trigger.after = { amount: numberOrText(draft.amount), unit: draft.unit };
  return trigger as unknown as Trigger;
}

/**
 * A webhook's secret is write-only: the rule comes back with `secretId` (kept in the draft's
 * params, never shown). Typing a secret sends it (it replaces the stored one); leaving the field
 * empty sends the `secretId`, which keeps the stored one; with neither, `secret: ''` lets the
 * server say it is required.
 */
export const secretIdParam = 'secretId';

export function actionOf(draft: ActionDraft): Action {
  if (draft.type === 'call_webhook') {
    const secret = draft.params.secret ?? '';
    const secretId = draft.params[secretIdParam] ?? '';
    const kept = secret === '' && secretId !== '';
    return { type: 'call_webhook', url: draft.params.url ?? '', ...(kept ? { secretId } : { secret }) } as unknown as Action;
  }
  if (draft.type === 'start_follow_up') return { type: 'start_follow_up', steps: followUpStepsOf(draft.params.steps ?? '') };
  const action: Record<string, unknown> = { type: draft.type };
  for (const spec of paramsOf(draft)) {
    const value = draft.params[spec.name] ?? '';
    if (spec.optional && value.trim() === '') continue;
    action[spec.name] = value;
  }
  return action as unknown as Action;
}

/** The JSON of POST /api/rules and PATCH /api/rules/:id (the whole definition). */
export function definitionOf(draft: RuleDraft): RuleDefinition {
  return {
    name: draft.name,
    enabled: draft.enabled,
    scope: draft.scope,
    trigger: triggerOf(draft.trigger),
    conditions: conditionOf(draft.conditions),
    actions: draft.actions.map(actionOf),
  };
}

// ---------------------------------------------------------------------------------------------
// JSON → draft

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, fallback = '') => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback);

function leafDraftOf(json: Record<string, unknown>): LeafDraft {
  const name = text(json.field);
  const isAttribute = name.startsWith(`${attributeField}.`);
  const field = (isAttribute ? attributeField : name in conditionFields ? name : 'message.text') as ConditionField;
  const leaf = { ...newLeaf(field), key: isAttribute ? name.slice(attributeField.length + 1) : '', since: text(json.since, 'last_customer_message') };
  const spec = operatorSpec(field, text(json.op));
  leaf.op = spec.op;
  const one = (value: unknown): string =>
    spec.value === 'scalar' ? scalarText(value) : value === null ? '' : typeof value === 'boolean' ? String(value) : text(value);
  if (spec.value === 'none') leaf.value = '';
  else if (!spec.list) leaf.value = one(json.value);
  else if (Array.isArray(json.value)) {
    if (picksFromOptions(spec)) leaf.values = json.value.map(one);
    else leaf.value = json.value.map(one).join(', ');
  }
  return leaf;
}

function nodeDraftOf(json: unknown): NodeDraft {
  if (isRecord(json)) {
    if (Array.isArray(json.all)) return { kind: 'group', id: newId(), mode: 'all', children: json.all.map(nodeDraftOf) };
    if (Array.isArray(json.any)) return { kind: 'group', id: newId(), mode: 'any', children: json.any.map(nodeDraftOf) };
    if ('not' in json) return { kind: 'not', id: newId(), child: nodeDraftOf(json.not) };
    return leafDraftOf(json);
  }
  return newLeaf();
}

export function triggerDraftOf(json: unknown): TriggerDraft {
  const trigger = isRecord(json) ? json : {};
  const after = isRecord(trigger.after) ? trigger.after : {};
  const on = (typeof trigger.on === 'string' && trigger.on in triggerParams ? trigger.on : 'message_received') as TriggerKind;
  return {
    on,
    from: text(trigger.from, 'customer'),
    to: text(trigger.to),
    tag: text(trigger.tag),
    since: text(trigger.since, timeAnchors[0]),
    amount: text(after.amount, '1'),
    unit: text(after.unit, timeUnits[1]),
  };
}

function actionDraftOf(json: unknown): ActionDraft {
  const action = isRecord(json) ? json : {};
  const type = (typeof action.type === 'string' && action.type in actionParams ? action.type : 'add_tag') as ActionType;
  const draft = newAction(type);
  for (const spec of actionParams[type]) if (spec.name in action) draft.params[spec.name] = text(action[spec.name]);
  if (type === 'call_webhook' && typeof action.secretId === 'string') draft.params[secretIdParam] = action.secretId;
  if (type === 'start_follow_up' && Array.isArray(action.steps)) draft.params.steps = followUpStepsText(action.steps as FollowUpStep[]);
  return draft;
}

/**
 * The draft after a save: each webhook forgets the secret typed into it and keeps the id the
 * server stored it under, so the next save keeps it instead of sending it again.
 */
export function withStoredSecrets(draft: RuleDraft, saved: readonly unknown[]): RuleDraft {
  const actions = draft.actions.map((action, index) => {
    const stored = saved[index];
    if (action.type !== 'call_webhook' || !isRecord(stored) || typeof stored.secretId !== 'string') return action;
    return { ...action, params: { ...action.params, secret: '', [secretIdParam]: stored.secretId } };
  });
  return { ...draft, actions };
}

export function draftOf(rule: Pick<RuleView, 'name' | 'enabled' | 'scope' | 'trigger' | 'conditions' | 'actions'>): RuleDraft {
  const root = nodeDraftOf(rule.conditions);
  return {
    name: rule.name,
    enabled: rule.enabled,
    scope: rule.scope,
    trigger: triggerDraftOf(rule.trigger),
    conditions: root.kind === 'group' ? root : { kind: 'group', id: newId(), mode: 'all', children: [root] },
    actions: Array.isArray(rule.actions) ? rule.actions.map(actionDraftOf) : [],
  };
}

export function newRuleDraft(): RuleDraft {
  return {
    name: '',
    enabled: false,
    scope: 'conversation',
    trigger: triggerDraftOf({ on: 'message_received', from: 'customer' }),
    conditions: newGroup('all'),
    actions: [],
  };
}

// ---------------------------------------------------------------------------------------------
// The server's 400 problems, placed next to controls

/** Every place the form shows problems at, as a path of the rule's JSON. */
export function ruleAnchors(draft: RuleDraft): string[] {
  const anchors = ['name', 'enabled', 'scope', 'trigger', 'trigger.on', 'actions'];
  for (const param of triggerParams[draft.trigger.on]) anchors.push(param === 'amount' || param === 'unit' ? `trigger.after.${param}` : `trigger.${param}`);
  const visit = (node: NodeDraft, path: number[]) => {
    const at = conditionPath(draft.conditions, path);
    anchors.push(at);
    if (node.kind === 'group') {
      anchors.push(`${at}.${node.mode}`);
      node.children.forEach((child, index) => visit(child, [...path, index]));
    } else if (node.kind === 'not') visit(node.child, [...path, 0]);
    else anchors.push(`${at}.field`, `${at}.op`, `${at}.value`, `${at}.since`);
  };
  visit(draft.conditions, []);
  draft.actions.forEach((action, index) => {
    anchors.push(`actions.${index}`, `actions.${index}.type`);
    for (const spec of paramsOf(action)) anchors.push(`actions.${index}.${spec.name}`);
  });
  return anchors;
}

/** Problems by the anchor they are shown at; `form` for those no control owns. */
export type PlacedErrors = Record<string, string[]>;

/**
 * A 400's `details` ([{ path, message }], api/validate.ts) by anchor: each problem goes to the
 * longest anchor its path starts with (`conditions.all.0.value.1` → `conditions.all.0.value`),
 * else to `form`. `prefix` is stripped first (`rule.` for a dry-run's body).
 */
export function placeErrors(details: unknown, anchors: readonly string[], prefix = ''): PlacedErrors {
  const placed: PlacedErrors = {};
  if (!Array.isArray(details)) return placed;
  const known = new Set(anchors);
  for (const detail of details as unknown[]) {
    if (!isRecord(detail) || typeof detail.message !== 'string' || !detail.message) continue;
    let path = typeof detail.path === 'string' ? detail.path : '';
    if (prefix && path.startsWith(prefix)) path = path.slice(prefix.length);
    let anchor = 'form';
    const segments = path ? path.split('.') : [];
    for (let length = segments.length; length > 0; length--) {
      const candidate = segments.slice(0, length).join('.');
      if (known.has(candidate)) {
        anchor = candidate;
        break;
      }
    }
    const message = anchor === 'form' && path ? `${path}: ${detail.message}` : detail.message;
    (placed[anchor] ??= []).push(message);
  }
  return placed;
}

/** Problems shown at a leaf: those of its field, operator, value and `since`. */
export function leafErrors(errors: PlacedErrors, at: string): string[] {
  return ['', '.field', '.op', '.since', '.value'].flatMap((suffix) => errors[at + suffix] ?? []);
}

/** The problems without those at `prefix` or under it: the control they named was changed. */
export function withoutErrorsAt(errors: PlacedErrors, prefix: string): PlacedErrors {
  const kept: PlacedErrors = {};
  for (const [anchor, messages] of Object.entries(errors)) if (anchor !== prefix && !anchor.startsWith(`${prefix}.`)) kept[anchor] = messages;
  return kept;
}
