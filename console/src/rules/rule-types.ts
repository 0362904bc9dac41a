// The JSON shapes of the rule endpoints (api/README.md, "Automation rules"; api/routes/rule-routes.ts)
// and the rule format's menus. The format's types come from domain/rules/rule-schema.ts as types
// only: importing its values would pull zod into the console. The lists below are checked
// against the schema's own by rule-types.test.ts.
import type { ChannelKind, Priority } from '../../../domain/vocabulary';
import type { Action, ActionType, Condition, RuleScope, TimeAnchor, Trigger, TriggerKind } from '../../../domain/rules/rule-schema';

export type { Action, ActionType, Condition, RuleScope, TimeAnchor, Trigger, TriggerKind };

/** What POST /api/rules, PATCH (any part of it), import and dry-run take. */
export interface RuleDefinition {
  name: string;
  enabled?: boolean;
  scope: RuleScope;
  trigger: Trigger;
  conditions: Condition;
  actions: Action[];
}

/** `rule` of GET /api/rules. */
export interface RuleView extends Required<RuleDefinition> {
  id: string;
  position: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** One entry of GET /api/rules/:id `versions`, newest first. */
export interface RuleVersionView extends Required<RuleDefinition> {
  version: number;
  editorId: string | null;
  createdAt: string;
}

export type OutcomeStatus = 'done' | 'failed' | 'skipped' | 'pending';

/** One evaluation of a rule (GET /api/rules/:id/executions), newest first. */
export interface RuleExecutionView {
  id: string;
  ruleId: string;
  version: number;
  trigger: string;
  conversationId: string | null;
  /** The conversation's "#42" (null when there is none, or it was deleted since). */
  conversationNumber: number | null;
  ticketId: string | null;
  ticketNumber: number | null;
  matched: boolean;
  /** Each action's outcome, in the rule's order; `note` says why it was skipped or failed. */
  actions: { type: string; status: OutcomeStatus; note?: string }[];
  depth: number;
  createdAt: string;
}

export interface DryRunMatch {
  eventId: string;
  eventType: string;
  trigger: string;
  at: string;
  actions: Action[];
}

/** POST /api/rules/dry-run. */
export interface DryRunResult {
  from: string;
  to: string;
  scanned: { conversations: number; tickets: number; events: number };
  matched: { conversations: number; tickets: number; matches: number };
  truncated: boolean;
  results: { subject: 'conversation' | 'ticket'; id: string; number: number; matches: DryRunMatch[] }[];
}

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
