// Deciding which rules run: pure functions over a snapshot of the conversation or ticket (the
// facts) and the event that happened. Nothing here reads the clock or the database, so the
// workflows call it in their sandbox, the API replays recorded events through it (dry-run), and
// running the actions is someone else's job (one activity per action).
//
// Loop protection: an event caused by a rule's action carries the depth of the event that ran
// the rule plus one (a person's or the system's own event has depth 0). Rules are evaluated only
// while withinDepth(depth) holds, so rule A setting a tag that triggers rule B that removes it
// that triggers rule A ... stops after `maxRuleDepth` hops.
import { addBusinessMinutes, isBusinessTime, type BusinessCalendar } from '../business-hours.js';
import type { Sentiment } from '../classification.js';
import type { AuthorKind, ChannelKind, Priority, RoutingTier } from '../vocabulary.js';
import { priorities } from '../vocabulary.js';
import { patternMatches } from './pattern.js';
import {
  type Action,
  type AttributeConditionLeaf,
  type Condition,
  type ConditionLeaf,
  type KnownConditionLeaf,
  type NumericOp,
  type RuleScope,
  type RunnableAction,
  type TimeAnchor,
  type Trigger,
  attributeFieldPattern,
} from './rule-schema.js';

export type RuleSubject = 'conversation' | 'ticket';

/** The message that caused the event (message_received), as a rule sees it. */
export interface RuleMessageFacts {
  authorKind: AuthorKind;
  text: string;
  /** The topic key from classification (domain/classification.ts or the AI layer); null: unknown. */
  intent: string | null;
  sentiment: Sentiment | null;
}

/** The snapshot of a conversation or ticket a rule sees when an event happens. */
export interface RuleFacts {
  subject: RuleSubject;
  id: string;
  /** The conversation's channel; a ticket's linked conversation's, or null. */
  channel: ChannelKind | null;
  /** A ConversationStatus or a TicketStatus. */
  status: string;
  priority: Priority;
  tier: RoutingTier;
  teamId: string | null;
  assigneeId: string | null;
  tags: readonly string[];
  customer: {
    vip: boolean;
    /** A language tag (the conversation's detected language, else the customer's locale). */
    language: string | null;
    /** Customer.attributes: custom fields. */
    attributes: Readonly<Record<string, unknown>>;
  };
  /** The triggering message; null for every other event. */
  message: RuleMessageFacts | null;
  counts: {
    /** Messages in the conversation, private notes excluded; 0 for tickets. */
    messages: number;
    reopens: number;
  };
  /** ISO instants the time conditions and time triggers count from; null: it has not happened. */
  times: Readonly<Record<TimeAnchor, string | null>>;
  /** The team's business hours (business_hours_now, business_hours time triggers); null = 24/7. */
  calendar: BusinessCalendar | null;
}

/**
 * What happened, as rules see it. `time_elapsed` is a tick of the clock: it covers the
 * interval (from, to] and fires every time trigger whose due instant falls in it, so each due
 * instant fires once however often the caller ticks. `depth`: see withinDepth (absent = 0).
 */
export type RuleEvent = (
  | { on: 'conversation_created' }
  | { on: 'message_received'; from: 'customer' | 'agent' }
  | { on: 'status_changed'; to: string }
  | { on: 'assigned' }
  | { on: 'unassigned' }
  | { on: 'priority_changed' }
  | { on: 'tag_added'; tag: string }
  | { on: 'sla_warning' }
  | { on: 'sla_breach' }
  | { on: 'csat_received' }
  | { on: 'call_missed' }
  | { on: 'ticket_created' }
  | { on: 'ticket_updated' }
  | { on: 'time_elapsed'; from: string; to: string }
) & { depth?: number };

/** A stored rule as the planner reads it. */
export interface PlannableRule {
  id: string;
  version: number;
  position: number;
  enabled: boolean;
  scope: RuleScope;
  trigger: Trigger;
  conditions: Condition;
  actions: readonly Action[];
}

/** One rule's outcome on one event: matched or not, and what to run. */
export interface RulePlan {
  ruleId: string;
  version: number;
  matched: boolean;
  /** The actions to run in order (empty when not matched); `stop` is left out. */
  actions: RunnableAction[];
  /** Set on the matched rule whose `stop` ended the evaluation: that rule's position. */
  stoppedAt?: number;
}

/** Hops of rule-caused events before rules stop reacting. */
export const maxRuleDepth = 3;

/** Rules run on an event of this depth (0 = not caused by a rule; a rule's action's event: +1). */
export function withinDepth(depth: number, max = maxRuleDepth): boolean {
  return depth < max;
}

const minute = 60_000;

// ---------------------------------------------------------------------------------------------
// Conditions

const compare = (actual: number, op: NumericOp | 'gt' | 'gte' | 'lt' | 'lte', expected: number): boolean => {
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'gt':
      return actual > expected;
    case 'gte':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'lte':
      return actual <= expected;
  }
};

/** eq / neq / in / not_in over one value, with an equality of the field's own. */
function inSet<T>(actual: T, op: 'eq' | 'neq' | 'in' | 'not_in', expected: T | readonly T[], same: (a: T, b: T) => boolean = Object.is): boolean {
  const values = Array.isArray(expected) ? (expected as readonly T[]) : [expected as T];
  const found = values.some((value) => same(actual, value));
  return op === 'eq' || op === 'in' ? found : !found;
}

/** Case and width folded (full-width Ａ or １ typed on a Chinese keyboard reads as A or 1). */
const fold = (text: string) => text.normalize('NFKC').toLowerCase();

/** 'zh' matches zh-CN and zh-TW; 'zh-CN' matches zh-CN only; case does not matter. */
const sameLanguage = (actual: string, expected: string) => {
  const [a, e] = [actual.toLowerCase(), expected.toLowerCase()];
  return a === e || a.startsWith(`${e}-`);
};

/** Text beyond this is not searched: a pasted log must not make every rule slow. */
const maxSearchedText = 10_000;
function evaluateAttribute(leaf: AttributeConditionLeaf, attributes: Readonly<Record<string, unknown>>): boolean {
  const key = attributeFieldPattern.exec(leaf.field)?.[1];
  const value = key !== undefined && Object.hasOwn(attributes, key) ? attributes[key] : undefined;
  switch (leaf.op) {
    case 'is_set':
      return value !== undefined && value !== null && value !== '';
    case 'is_not_set':
      return value === undefined || value === null || value === '';
    case 'eq':
    case 'neq':
    case 'in':
    case 'not_in':
      return inSet<unknown>(value, leaf.op, leaf.value);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof value === 'number' && compare(value, leaf.op, leaf.value);
    case 'contains':
      if (typeof value === 'string') return fold(value).includes(fold(leaf.value));
      return Array.isArray(value) && value.some((item) => typeof item === 'string' && fold(item) === fold(leaf.value));
  }
}

type TagsLeaf = Extract<KnownConditionLeaf, { field: 'tags' }>;

/** Tags compare case- and width-insensitively. */
function evaluateTags(leaf: TagsLeaf, actual: readonly string[]): boolean {
  const tags = new Set(actual.map(fold));
  switch (leaf.op) {
    case 'contains':
      return tags.has(fold(leaf.value));
    case 'not_contains':
      return !tags.has(fold(leaf.value));
    case 'contains_any':
      return leaf.value.some((tag) => tags.has(fold(tag)));
    case 'contains_all':
      return leaf.value.every((tag) => tags.has(fold(tag)));
    case 'contains_none':
      return !leaf.value.some((tag) => tags.has(fold(tag)));
  }
}

function evaluateLeaf(leaf: ConditionLeaf, facts: RuleFacts, now: Date): boolean {
  if (leaf.field.startsWith('customer.attributes.')) return evaluateAttribute(leaf as AttributeConditionLeaf, facts.customer.attributes);
  const known = leaf as KnownConditionLeaf;
  const message = facts.message;
  switch (known.field) {
    case 'channel':
      // A ticket without a conversation has no channel: no channel condition holds for it.
      return facts.channel !== null && inSet<string>(facts.channel, known.op, known.value);
    case 'status':
      return inSet<string>(facts.status, known.op, known.value);
    case 'priority':
      // Priorities are ordered: low < normal < high < urgent.
      if (Array.isArray(known.value)) return inSet<string>(facts.priority, known.op as 'in' | 'not_in', known.value);
      return compare(priorities.indexOf(facts.priority), known.op as NumericOp, priorities.indexOf(known.value as Priority));
    case 'tier':
      return inSet<string>(facts.tier, known.op, known.value);
    case 'team':
      return inSet<string | null>(facts.teamId, known.op, known.value);
    case 'assignee':
      return inSet<string | null>(facts.assigneeId, known.op, known.value);
    case 'tags':
      return evaluateTags(known, facts.tags);
    case 'customer.vip':
      return facts.customer.vip === known.value;
    case 'customer.language':
      return facts.customer.language !== null && inSet(facts.customer.language, known.op, known.value, sameLanguage);
    // Message conditions hold only on an event that carries a message (message_received).
    case 'message.text': {
      if (!message) return false;
      const searched = message.text.slice(0, maxSearchedText);
      // Patterns see the text as written (case-insensitive, Unicode; RE2); contains folds case and width.
      if (known.op === 'matches') return patternMatches(known.value, searched);
      const found = fold(searched).includes(fold(known.value));
      return known.op === 'contains' ? found : !found;
    }
    case 'message.intent':
      return message?.intent != null && inSet(message.intent, known.op, known.value);
    case 'message.sentiment':
      return message?.sentiment != null && inSet<string>(message.sentiment, known.op, known.value);
    case 'business_hours_now':
      return isBusinessTime(now, facts.calendar) === known.value;
    case 'messages_count':
      return compare(facts.counts.messages, known.op, known.value);
    case 'reopen_count':
      return compare(facts.counts.reopens, known.op, known.value);
    case 'minutes_since': {
      // Wall-clock minutes; an event that has not happened satisfies no comparison.
      const at = facts.times[known.since];
      return at !== null && compare((now.getTime() - Date.parse(at)) / minute, known.op, known.value);
    }
  }
}

/** Whether the condition tree holds for these facts at `now` (`{ all: [] }` always holds). */
export function evaluateCondition(condition: Condition, facts: RuleFacts, now: Date): boolean {
  if ('all' in condition) return condition.all.every((child) => evaluateCondition(child, facts, now));
  if ('any' in condition) return condition.any.some((child) => evaluateCondition(child, facts, now));
  if ('not' in condition) return !evaluateCondition(condition.not, facts, now);
  return evaluateLeaf(condition, facts, now);
}

// ---------------------------------------------------------------------------------------------
// Triggers

/**
 * When a time trigger is due: `after` counted from its anchor (`business_hours` counts only the
 * calendar's open minutes; null calendar = 24/7). Null when the anchor has not happened, the
 * calendar never opens, or the trigger is not time-based.
 */
export function timeTriggerDueAt(trigger: Trigger, facts: RuleFacts, calendar: BusinessCalendar | null): Date | null {
  if (trigger.on !== 'time_elapsed') return null;
  const anchor = facts.times[trigger.since];
  if (anchor === null) return null;
  const start = new Date(anchor);
  if (Number.isNaN(start.getTime())) return null;
  const { amount, unit } = trigger.after;
  if (unit === 'minutes') return new Date(start.getTime() + amount * minute);
  if (unit === 'hours') return new Date(start.getTime() + amount * 60 * minute);
  try {
    return addBusinessMinutes(start, amount * 60, calendar);
  } catch {
    return null; // The calendar never opens: the trigger is never due.
  }
}

/** Whether a rule of this scope sees this subject. */
export const scopeCovers = (scope: RuleScope, subject: RuleSubject) => scope === 'both' || scope === subject;

/** Whether the trigger fires on this event (scope aside: see planRules). */
export function triggerFires(trigger: Trigger, event: RuleEvent, facts: RuleFacts): boolean {
  switch (trigger.on) {
    case 'conversation_created':
      return event.on === 'conversation_created' && facts.subject === 'conversation';
    case 'ticket_created':
      return event.on === 'ticket_created' && facts.subject === 'ticket';
    case 'ticket_updated':
      return event.on === 'ticket_updated' && facts.subject === 'ticket';
    case 'message_received':
      return event.on === 'message_received' && event.from === trigger.from;
    case 'status_changed':
      return event.on === 'status_changed' && (trigger.to === undefined || trigger.to === event.to);
    case 'tag_added':
      return event.on === 'tag_added' && (trigger.tag === undefined || fold(trigger.tag) === fold(event.tag));
    case 'time_elapsed': {
      if (event.on !== 'time_elapsed') return false;
      const due = timeTriggerDueAt(trigger, facts, facts.calendar);
      return due !== null && due.getTime() > Date.parse(event.from) && due.getTime() <= Date.parse(event.to);
    }
    case 'assigned':
    case 'unassigned':
    case 'priority_changed':
    case 'sla_warning':
    case 'sla_breach':
    case 'csat_received':
    case 'call_missed':
      return event.on === trigger.on;
  }
}

const runnable = (actions: readonly Action[]): RunnableAction[] => actions.filter((action): action is RunnableAction => action.type !== 'stop');

/**
 * The rules an event runs, in position order (ties: by id). Lists each enabled rule whose scope
 * covers the subject and whose trigger fires, with whether its conditions hold at `now` (rules
 * whose trigger does not fire are left out). A matched rule with `stop` ends the list. Nothing
 * runs on an event past the depth bound (withinDepth).
 */
export function planRules(rules: readonly PlannableRule[], event: RuleEvent, facts: RuleFacts, now: Date): RulePlan[] {
  if (!withinDepth(event.depth ?? 0)) return [];
  const ordered = [...rules].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const plans: RulePlan[] = [];
  for (const rule of ordered) {
    if (!rule.enabled || !scopeCovers(rule.scope, facts.subject) || !triggerFires(rule.trigger, event, facts)) continue;
    const matched = evaluateCondition(rule.conditions, facts, now);
    const plan: RulePlan = { ruleId: rule.id, version: rule.version, matched, actions: matched ? runnable(rule.actions) : [] };
    plans.push(plan);
    if (matched && rule.actions.some((action) => action.type === 'stop')) {
      plan.stoppedAt = rule.position;
      break;
    }
  }
  return plans;
}

/**
 * The earliest instant after `after` at which one of the enabled time rules of this subject is
 * due; null when none will be. The workflow sleeps until then (a Temporal timer) and ticks the
 * clock with a `time_elapsed` event covering (its last tick, now].
 */
export function nextTimeTriggerDue(rules: readonly PlannableRule[], facts: RuleFacts, after: Date): Date | null {
  let earliest: Date | null = null;
  for (const rule of rules) {
    if (!rule.enabled || !scopeCovers(rule.scope, facts.subject)) continue;
    const due = timeTriggerDueAt(rule.trigger, facts, facts.calendar);
    if (due && due.getTime() > after.getTime() && (!earliest || due.getTime() < earliest.getTime())) earliest = due;
  }
  return earliest;
}

/** What rules watch of a conversation or ticket to derive status, assignment and priority events. */
export interface WatchedFields {
  status: string;
  assigneeId: string | null;
  priority: Priority;
}

/** The rule events a change of the watched fields makes, at the given depth. */
export function eventsOfChange(before: WatchedFields, after: WatchedFields, depth: number): RuleEvent[] {
  const events: RuleEvent[] = [];
  if (before.status !== after.status) events.push({ on: 'status_changed', to: after.status, depth });
  if (before.assigneeId !== after.assigneeId) events.push(after.assigneeId ? { on: 'assigned', depth } : { on: 'unassigned', depth });
  if (before.priority !== after.priority) events.push({ on: 'priority_changed', depth });
  return events;
}
