// The JSON shapes of the rule endpoints (contract/views.ts; api/routes/rule-routes.ts) and the
// rule format's menus. The format's types come from domain/rules/rule-schema.ts as types
// only: importing its values would pull zod into the console. The lists below are checked
// against the schema's own by rule-types.test.ts.
import type { ChannelKind, Priority } from '../../../domain/vocabulary';
import type { Action, ActionType, Condition, RuleScope, TimeAnchor, Trigger, TriggerKind } from '../../../domain/rules/rule-schema';

export type { Action, ActionType, Condition, RuleScope, TimeAnchor, Trigger, TriggerKind };

export type {
  DryRunMatch,
  DryRunResultView as DryRunResult,
  RuleDefinitionView as RuleDefinition,
  RuleExecutionView,
  RuleOutcomeStatus as OutcomeStatus,
  RuleVersionView,
  RuleView,
} from '../../../contract/views';

export interface TeamOption {
  id: string;
  name: string;
}
export interface SlaPolicyOption {
  id: string;
  name: string;
  priority: Priority;
  channelKind: ChannelKind | null;
  enabled: boolean;
}

// ---------------------------------------------------------------------------------------------
// The format's vocabularies (docs/RULES.md), in the order the menus show them.

export const ruleScopes = ['conversation', 'ticket', 'both'] as const satisfies readonly RuleScope[];
export const timeAnchors = ['created', 'status_changed', 'last_customer_message', 'last_agent_message', 'assigned'] as const satisfies readonly TimeAnchor[];
export const timeUnits = ['minutes', 'hours', 'business_hours'] as const;
export type TimeUnit = (typeof timeUnits)[number];
export const sentiments = ['negative', 'neutral', 'positive'] as const;
/** The intents the classifier gives (domain/classification.ts); the schema accepts any key. */
export const intents = ['billing', 'cards', 'transfers', 'technical', 'general'] as const;
export const triggerKinds = [
  'message_received',
  'conversation_created',
  'status_changed',
  'assigned',
  'unassigned',
  'priority_changed',
  'tag_added',
  'sla_warning',
  'sla_breach',
  'csat_received',
  'call_missed',
  'ticket_created',
  'ticket_updated',
  'time_elapsed',
] as const satisfies readonly TriggerKind[];
export const actionTypes = [
  'set_priority',
  'add_tag',
  'remove_tag',
  'assign_agent',
  'assign_team',
  'assign_tier',
  'set_status',
  'send_reply',
  'send_bot_message',
  'add_note',
  'apply_sla_policy',
  'start_follow_up',
  'escalate',
  'create_ticket',
  'send_email',
  'call_webhook',
  'stop',
] as const satisfies readonly ActionType[];

// Compile-time: every kind of the schema has a menu entry.
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
export const everyTriggerListed: Missing<TriggerKind, (typeof triggerKinds)[number]> = true;
export const everyActionListed: Missing<ActionType, (typeof actionTypes)[number]> = true;
export const everyAnchorListed: Missing<TimeAnchor, (typeof timeAnchors)[number]> = true;
