// The typed event registry: every event type of the log (domain/events.ts names them) with the
// payload it carries. `appendEvent` (infra/event-log.ts) takes the payload its type declares,
// and readers switch over `AppEvent` exhaustively (console/src/customer/journey.ts), so a new
// event type without a payload here, or without a case there, fails typecheck.
// Why here and not in domain/: payloads carry the views (contract/views.ts), and domain/ must not
// import contract/ (contract/ builds on domain/'s vocabulary; contract/README.md).
import type { CsatPayload } from '../domain/csat.js';
import type { Classification } from '../domain/classification.js';
import type { BotExplanation, EscalationExplanation, RoutingExplanation, RuleExplanation } from '../domain/explanation.js';
import type { EventType, EventView } from '../domain/events.js';
import { isEventType } from '../domain/events.js';
import type { SlaMetric } from '../domain/sla-clock.js';
import type { EscalationStep } from '../domain/sla-plan.js';
import type { RuleStep } from '../domain/rules/rule-steps.js';
import type { Presence, Priority, RoutingTier, TicketStatus, UserRole } from '../domain/vocabulary.js';
import type { ScheduledMessageView } from './scheduled-messages.js';
import type { FollowUpEndReason, FollowUpView } from './follow-ups.js';
import type { CallView } from './calls.js';
import type { ReminderView } from './reminders.js';
import type { ArticleSummary, ConversationView, MentionPayload, MessageAttachmentView, MessageView, TicketView } from './views.js';

export { allEventTypes, eventTypeRegistry, eventTypes, isEventType, type EventSubject, type EventType, type EventView } from '../domain/events.js';

/** Where a workflow's or a rule's write came from, added to the payload of the events it writes. */
interface Provenance {
  /** The activity's operation id: a retry after the commit finds it and writes nothing twice. */
  operation?: string;
  /** The automation rule whose action wrote the event. */
  rule?: { id: string; version: number };
}

/** A change of a conversation: the event carries the conversation as it is after it. */
type OnConversation<Details = unknown> = Details & Provenance & { conversation: ConversationView };
/** A change of a ticket: the event carries the ticket as it is after it. */
type OnTicket<Details = unknown> = Details & Provenance & { ticket: TicketView };
/** SLA events are about a conversation or a ticket, whichever the clock runs on. */
type OnSubject<Details> = (Details & Provenance & { conversation: ConversationView }) | (Details & Provenance & { ticket: TicketView });

/** An admin's write: the record before and after (null for "did not exist"), plus what else the write names. */
export interface AuditChange {
  before: unknown;
  after: unknown;
  /** The fields a PATCH changed. */
  changed?: string[];
  [detail: string]: unknown;
}

/**
 * The person a team-member event is about (api/services/team-members.ts), as they were named when
 * it happened: a deleted account's row is anonymised later, its events keep the name and email.
 */
export interface TeamMemberRef {
  userId: string;
  email: string;
  name: string;
}
/** How a password was set: accepting an invitation, an admin's reset link, the first-admin setup link. */
export type PasswordSetVia = 'invite' | 'reset' | 'setup';

/** How many records of each kind a contact's export held or their erasure emptied. */
export type DataRightsCounts = Record<string, number>;

type FromTo<Value> = { from: Value; to: Value };
type SlaClockEvent = { metric: SlaMetric; kind: 'warning' | 'breached'; dueAt: string | null; [detail: string]: unknown };
type Notification = Provenance & { to: string[]; subject: string; metric?: SlaMetric; messageId?: string; reason?: string };

/**
 * The payload of every event type. Names are stored: add types, never rename. Workflows name some
 * types as text (an activity's input), with details they choose; those are typed by what the
 * workflows write today (workflows/conversation.ts, workflows/ticket.ts).
 */
export interface EventPayloads {
  'conversation.created': { conversation: ConversationView };
  /** Retired: no code writes it any more; old logs may hold it. */
  'conversation.queued': OnConversation;
  /** `explanation`: why routing chose the agent (domain/explanation.ts); absent on transfers and older events. Read per reader through GET /api/conversations/:id/explanations. */
  'conversation.assigned': OnConversation<{ previousAssigneeId: string | null; explanation?: RoutingExplanation }>;
  'conversation.requeued': OnConversation<{ reason: string; previousAssigneeId: string | null }>;
  /** Retired: no code writes it any more; old logs may hold it. */
  'conversation.status_changed': OnConversation;
  'conversation.classified': OnConversation<{ classification: Classification; by?: string }>;
  /** `until` null: until the customer replies. */
  'conversation.snoozed': OnConversation<{ until: string | null }>;
  'conversation.unsnoozed': OnConversation<{ reason: string }>;
  'conversation.resolved': OnConversation;
  'conversation.reopened': OnConversation;
  'conversation.closed': OnConversation<{ reason?: string }>;
  'conversation.merged': OnConversation<{ into: string; movedMessages: number }>;
  'conversation.merged_into': OnConversation<{ from: string; movedMessages: number }>;
  'conversation.priority_changed': OnConversation<FromTo<Priority>>;
  'conversation.escalated': OnConversation<FromTo<Priority>>;
  'conversation.tier_changed': OnConversation<FromTo<RoutingTier>>;
  'conversation.team_changed': OnConversation<{ teamId: string; teamName: string }>;
  'conversation.tag_added': OnConversation<{ tag: string }>;
  'conversation.tag_removed': OnConversation<{ tag: string }>;
  'conversation.sla_policy_applied': OnConversation<{ policyId: string | null; policyName: string | null }>;
  /** Addressed to the mentioned colleague (the event's assigneeId). */
  'conversation.mentioned': MentionPayload;
  'message.created': { message: MessageView };
  /** A message left as mail (workflows/email-delivery.ts): the message with its delivery, and who it went to. */
  'message.email_sent': { message: MessageView; to: string[] };
  /** A message's mail was given up ("not delivered"): permanently refused, undeliverable, or still failing after the retries. */
  'message.email_failed': { message: MessageView; to: string[]; error: string };
  'bot.answered': OnConversation<{ confidence: number; citations: string[]; provider: string; explanation?: BotExplanation }>;
  'bot.declined': Provenance & { reason: string; confidence: number; explanation?: BotExplanation };
  'bot.helpful': OnConversation;
  'bot.not_helpful': OnConversation;
  'bot.handed_off': OnConversation<{ reason: string; summary: string; classification: { tier: RoutingTier; language: string | null; priority: Priority } }>;
  'bot.assumed_resolved': OnConversation;
  /**
   * The bot asked the customer for an input of an HTTP action (`again`: the last answer did not fit;
   * `by: 'model'`: the model's question, function calling). `pending`: the action as it now waits.
   */
  'bot.action_asked': OnConversation<{
    actionId: string;
    action: string;
    input: string;
    again: boolean;
    pending?: { actionId: string; values: Record<string, string>; awaiting: string; misses: number };
    by?: 'model';
  }>;
  /**
   * The bot called an HTTP action: the HTTP status (null when not reached), the latency, and only
   * the response fields the action shows — never the response itself nor the auth header.
   */
  'bot.action_called': OnConversation<{
    actionId: string;
    action: string;
    ok: boolean;
    status: number | null;
    latencyMs: number;
    fields: Record<string, string>;
    error: string | null;
    /** The model's tool call (function calling): the action's tool and its checked arguments. */
    toolCall?: { name: string; arguments: Record<string, string> };
    /** On the model path: whether the model's verified answer or the template answered. */
    answeredBy?: 'model' | 'template';
  }>;
  'csat.received': CsatPayload;
  'sla.warning': OnSubject<SlaClockEvent>;
  'sla.breached': OnSubject<SlaClockEvent>;
  'sla.escalated': OnSubject<{ action: EscalationStep['action']; metric: SlaMetric; explanation?: EscalationExplanation; [detail: string]: unknown }>;
  'sla.replanned': OnSubject<{ reason: string }>;
  /** Routing found nobody to take the conversation, and why; written again only when the reasons change. */
  'routing.queued': OnConversation<{ explanation: RoutingExplanation }>;
  /**
   * `rule.name`: the rule's name at that version; `steps`: each action with the setting that says
   * what it did (domain/rules/rule-steps.ts). Events written before either was added lack it.
   */
  'rule.matched': {
    rule: { id: string; version: number; name?: string };
    executionId: string;
    trigger: string;
    actions: string[];
    steps?: RuleStep[];
    /** The conditions the rule saw, with the values seen (domain/rules/condition-trace.ts); absent before it was added. */
    explanation?: RuleExplanation;
  };
  /** The type of the body a rule's webhook POSTs; never written to the log. */
  'rule.webhook': { id: string; rule: { id: string; version: number }; [subject: string]: unknown };
  /** The host only: a webhook URL's path is often a credential. */
  'rule.webhook_called': Provenance & { host: string; status: number; eventId: string };
  'notification.emailed': Notification;
  'notification.email_skipped': Notification;
  /** A call rings (contract/calls.ts): the customer asked (it rings the agents who may take it) or an agent calls the customer. */
  'call.requested': { call: CallView };
  'call.answered': { call: CallView };
  'call.declined': { call: CallView };
  /** Nobody answered within the channel's ring time (the `call-<id>` workflow). */
  'call.missed': Provenance & { call: CallView };
  /** Hung up by either party; `call.durationSeconds` from the answer (null: never answered). */
  'call.ended': { call: CallView };
  /** The agent in the call handed it to a colleague (`call.agentId`), whom it rings now. */
  'call.transferred': { call: CallView; fromAgentId: string };
  /** Recording consent (`call.recording`): one side asked, the other agreed too (it records now), or a side withdrew (it stops). */
  'call.recording_requested': { call: CallView; by: 'customer' | 'agent' };
  'call.recording_started': { call: CallView; by: 'customer' | 'agent' };
  'call.recording_stopped': { call: CallView; by: 'customer' | 'agent' };
  /** The agent's browser uploaded the call's recording: an attachment of the conversation bound to no message. */
  'call.recording_saved': { call: CallView; attachment: MessageAttachmentView };
  /** An agent's reply scheduled for later, as it is after the change (`sent`: with the message it became; `failed`: with the reason). */
  'scheduled_message.scheduled': { scheduledMessage: ScheduledMessageView };
  'scheduled_message.edited': { scheduledMessage: ScheduledMessageView; changed: string[] };
  'scheduled_message.cancelled': { scheduledMessage: ScheduledMessageView };
  'scheduled_message.sent': { scheduledMessage: ScheduledMessageView };
  'scheduled_message.failed': { scheduledMessage: ScheduledMessageView };
  /** A follow-up sequence as it is after the change (workflows/follow-up.ts); `step_sent` names the step (from 0) and its message. */
  'follow_up.started': { followUp: FollowUpView };
  'follow_up.step_sent': { followUp: FollowUpView; step: number; messageId: string };
  'follow_up.completed': { followUp: FollowUpView };
  'follow_up.cancelled': { followUp: FollowUpView; reason: FollowUpEndReason };
  'follow_up.failed': { followUp: FollowUpView; reason: FollowUpEndReason };
  /** An agent's reminder as it is after the change (workflows/reminder.ts): its owner's alone. */
  'reminder.set': { reminder: ReminderView };
  /** `by`: who cancelled it, the owner or an admin. */
  'reminder.cancelled': { reminder: ReminderView; by: string };
  'reminder.due': { reminder: ReminderView };
  /** A call-back of the customer (issue 24: a reminder of kind callback), scheduled and come due; the agents' side. */
  'call.callback_scheduled': { reminder: ReminderView };
  'call.callback_due': { reminder: ReminderView };

  'ticket.created': Provenance & { ticket: TicketView; conversationId: string | null };
  'ticket.assigned': OnTicket<{ previousAssigneeId: string | null }>;
  'ticket.status_changed': OnTicket<FromTo<TicketStatus> & { reason?: string }>;
  'ticket.closed': OnTicket<FromTo<TicketStatus> & { reason?: string }>;
  'ticket.priority_changed': OnTicket<FromTo<Priority>>;
  'ticket.escalated': OnTicket<FromTo<Priority>>;
  'ticket.tier_changed': OnTicket<FromTo<RoutingTier>>;
  'ticket.team_changed': OnTicket<{ teamId: string; teamName: string }>;
  'ticket.tag_added': OnTicket<{ tag: string }>;
  'ticket.tag_removed': OnTicket<{ tag: string }>;
  'ticket.sla_policy_applied': OnTicket<{ policyId: string | null; policyName: string | null }>;
  'ticket.note_added': OnTicket<{ text: string }>;
  'ticket.pending_reminder': OnTicket<{ pendingSince: string | null; hours: number }>;

  'agent.presence_changed': { userId: string; from: Presence; to: Presence };
  'team.created': AuditChange;
  'team.updated': AuditChange;
  'team.deleted': AuditChange;
  'knowledge.article_created': { article: ArticleSummary };
  'knowledge.article_updated': { article: ArticleSummary; changed: string[] };
  'knowledge.article_deleted': { article: ArticleSummary };
  'canned_response.created': AuditChange;
  'canned_response.updated': AuditChange;
  'canned_response.deleted': AuditChange;

  'agent.updated': AuditChange & { userId: string };
  'business_hours.created': AuditChange;
  'business_hours.updated': AuditChange;
  'business_hours.deleted': AuditChange;
  'sla_policy.created': AuditChange;
  'sla_policy.updated': AuditChange;
  'sla_policy.deleted': AuditChange;
  'settings.changed': AuditChange & { section: string };
  'channel.updated': AuditChange;
  'rule.created': AuditChange;
  'rule.updated': AuditChange;
  'rule.deleted': AuditChange;
  'rule.reordered': AuditChange;
  'rule.imported': AuditChange;
  'rule.exported': AuditChange & { count: number; ruleIds: string[] };
  'rule.dry_run': AuditChange;
  'api_key.created': AuditChange;
  'api_key.revoked': AuditChange;
  /** An endpoint as the API shows it (never its secret); `secretRotated` when the change was a new secret. */
  'webhook.created': AuditChange;
  'webhook.updated': AuditChange;
  'webhook.deleted': AuditChange;
  /** The worker turned it off: `reason` says after what (docs/WEBHOOKS.md, "Auto-disable"). */
  'webhook.disabled': AuditChange & { reason: string };
  /** A bot action as admins see it (never the auth header's value). */
  'bot_action.created': AuditChange;
  'bot_action.updated': AuditChange;
  'bot_action.deleted': AuditChange;
  /** An agent's edit of a contact's profile (api/services/customer-profile.ts): the fields it changed, before and after. */
  'customer.updated': { changed: string[]; before: Record<string, unknown>; after: Record<string, unknown> };
  /** Another contact merged into this one (api/services/customer-merge.ts): who it was, what moved, which empty fields it filled. */
  'customer.merged': {
    survivorId: string;
    /** The survivor as conversations name it after the merge (the inbox renames the merged contact's rows). */
    survivor?: { id: string; name: string | null; email: string | null };
    merged: { id: string; name: string | null; email: string | null; phone: string | null; externalId: string | null };
    moved: { conversations: number; tickets: number; messages: number; events: number; attachments: number };
    filled: string[];
  };
  'auth.signed_in': { email: string; ip: string };
  'auth.signed_out': { email: string; ip: string };
  'auth.sign_in_failed': { email: string; ip: string; userId: string | null };
  'auth.locked_out': { email: string; ip: string; scope: 'address' | 'account'; lockedUntil: string; failures: number };
  /** `emailed`: the link went out by mail (else the admin was shown it to pass on). */
  'user.invited': { invitationId: string; email: string; name: string; role: UserRole; emailed: boolean; resent?: boolean };
  'user.invite_revoked': { invitationId: string; email: string; name: string };
  /** The account exists now: an invitation accepted, or the first admin through the setup link (invitationId null). */
  'user.activated': TeamMemberRef & { invitationId: string | null; role: UserRole };
  'user.deactivated': TeamMemberRef & { sessionsRevoked: number; conversationsRerouted: number };
  'user.reactivated': TeamMemberRef;
  'user.deleted': TeamMemberRef & { sessionsRevoked: number; conversationsRerouted: number };
  'user.password_reset_requested': TeamMemberRef & { emailed: boolean };
  'user.password_set': TeamMemberRef & { via: PasswordSetVia; sessionsRevoked: number };
  'user.signed_out_everywhere': TeamMemberRef & { sessionsRevoked: number };
  /**
   * A contact's data rights (api/services/data-rights/): their export downloaded, their personal
   * data erased. The contact by id and what was exported or erased by count — never a name, an
   * address or a text of theirs, so the audit log keeps nothing the erasure removed.
   */
  'customer.exported': { customerId: string; counts: DataRightsCounts };
  'customer.erased': { customerId: string; counts: DataRightsCounts; alreadyErased: boolean };
  /** The person's own account (api/services/account-service.ts, two-factor-service.ts): they are the actor; `ip` as the API saw it. */
  'user.password_changed': TeamMemberRef & { ip: string; sessionsRevoked: number };
  'user.two_factor_enabled': TeamMemberRef & { ip: string };
  'user.two_factor_disabled': TeamMemberRef & { ip: string };
  /** A recovery code signed in instead of the authenticator; `remaining` unused codes left. */
  'user.recovery_code_used': TeamMemberRef & { ip: string; remaining: number };
  'user.recovery_codes_regenerated': TeamMemberRef & { ip: string };
  /** Sessions the person ended from their sessions page: one, or all but the one they used. */
  'user.sessions_revoked': TeamMemberRef & { ip: string; which: 'one' | 'others'; sessionsRevoked: number };
}

// Compile-time: the registry and the payloads name the same types, neither more nor fewer.
type Missing = Exclude<EventType, keyof EventPayloads>;
type Unregistered = Exclude<keyof EventPayloads, EventType>;
export const everyEventTypeHasAPayload: [Missing] extends [never] ? true : Missing = true;
export const everyPayloadIsRegistered: [Unregistered] extends [never] ? true : Unregistered = true;

export type EventPayloadOf<T extends EventType> = EventPayloads[T];

/**
 * What a writer adds to a payload the event's subject completes (changeConversation adds the
 * conversation, changeTicket the ticket): checked when the type is known at the call; a type that
 * arrives as data (any EventType: a workflow's activity input) gives no more than a record.
 */
export type EventDetailsOf<T extends EventType, Completed extends string> = EventType extends T
  ? Record<string, unknown>
  : T extends EventType
    ? DistributiveOmit<EventPayloads[T], Completed>
    : never;
type DistributiveOmit<Value, Key extends string> = Value extends unknown ? Omit<Value, Key> : never;

/** What every event says besides its type and payload (domain/events.ts EventView). */
export type EventEnvelope = Omit<EventView, 'type' | 'payload'>;

/** An event with its payload typed by its type: switch over `type` and the payload follows. */
export type AppEvent = { [T in EventType]: EventEnvelope & { type: T; payload: EventPayloads[T] } }[EventType];
export type AppEventOf<T extends EventType> = Extract<AppEvent, { type: T }>;

/**
 * An event read off the wire as its registered kind, or null for a type this build does not
 * know (a newer server). The payload is trusted as the server typed it when writing; readers of
 * old events still check the fields they show.
 */
export function asAppEvent(event: EventView): AppEvent | null {
  return isEventType(event.type) ? (event as AppEvent) : null;
}

/** For the `default` of an exhaustive switch over `AppEvent`: an event type without a case fails typecheck here. */
export function unhandledEventType(event: never): never {
  throw new Error(`No case for the event type ${String((event as { type?: unknown }).type)}.`);
}
