// Which conditions a rule saw hold, with the values it saw (the rule's explanation,
// domain/explanation.ts): each leaf of the condition tree, evaluated alone. A message's text and
// a customer's custom fields are never copied into it (only whether the condition on them held):
// the event carries no more customer data than it did.
import type { RuleConditionTrace, RuleExplanation } from '../explanation.js';
import { isBusinessTime } from '../business-hours.js';
import { evaluateCondition, type RuleFacts } from './matcher.js';
import type { Condition, ConditionLeaf } from './rule-schema.js';

/** Leaves traced at most (a rule's tree is small; the bound keeps the event compact). */
export const maxTracedConditions = 20;

const minute = 60_000;

function leavesOf(condition: Condition): ConditionLeaf[] {
  if ('all' in condition) return condition.all.flatMap(leavesOf);
  if ('any' in condition) return condition.any.flatMap(leavesOf);
  if ('not' in condition) return leavesOf(condition.not);
  return [condition];
}

/** The value a leaf compares, as the rule saw it; null for a message's text and a custom field. */
function seenBy(leaf: ConditionLeaf, facts: RuleFacts, now: Date): unknown {
  if (leaf.field.startsWith('customer.attributes.')) return null;
  switch (leaf.field) {
    case 'channel':
      return facts.channel;
    case 'status':
      return facts.status;
    case 'priority':
      return facts.priority;
    case 'tier':
      return facts.tier;
    case 'team':
      return facts.teamId;
    case 'assignee':
      return facts.assigneeId;
    case 'tags':
      return [...facts.tags];
    case 'customer.vip':
      return facts.customer.vip;
    case 'customer.language':
      return facts.customer.language;
    case 'message.text':
      return null;
    case 'message.intent':
      return facts.message?.intent ?? null;
    case 'message.sentiment':
      return facts.message?.sentiment ?? null;
    case 'business_hours_now':
      return isBusinessTime(now, facts.calendar);
    case 'messages_count':
      return facts.counts.messages;
    case 'reopen_count':
      return facts.counts.reopens;
    case 'minutes_since': {
      const at = facts.times[(leaf as Extract<ConditionLeaf, { field: 'minutes_since' }>).since];
      return at === null ? null : Math.floor((now.getTime() - Date.parse(at)) / minute);
    }
    default:
      return null;
  }
}

/** The rule's conditions as it saw them at `now`: how they combine and each leaf with its value. */
export function traceConditions(condition: Condition, facts: RuleFacts, now: Date): Pick<RuleExplanation, 'mode' | 'conditions'> {
  const leaves = leavesOf(condition);
  if (leaves.length === 0) return { mode: 'always', conditions: [] };
  const conditions: RuleConditionTrace[] = leaves.slice(0, maxTracedConditions).map((leaf) => ({
    field: leaf.field === 'minutes_since' ? `minutes_since.${(leaf as Extract<ConditionLeaf, { field: 'minutes_since' }>).since}` : leaf.field,
    op: leaf.op,
    expected: 'value' in leaf ? leaf.value : null,
    seen: seenBy(leaf, facts, now),
    held: evaluateCondition(leaf, facts, now),
  }));
  return { mode: 'any' in condition ? 'any' : 'all', conditions };
}
