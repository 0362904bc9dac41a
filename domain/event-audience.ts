// Who may receive an event of the log, by what the event is about. The realtime stream (backlog
// and live push) and the customer's journey ask canSeeEvent, so a socket and the REST API give
// one answer. Three audiences:
// - subject: an event about a conversation or a ticket is seen by whoever may see that
//   conversation or ticket now (domain/visibility.ts) — the caller passes its current team,
//   assignee and customer, not the ones the event carried when written, so a conversation moved
//   to another team takes its whole history with it;
// - staff: organisation records every agent works with (teams, presence, knowledge, canned
//   responses) — with a team set, that team's agents only;
// - admins: everything else, the audit trail above all. An event type nobody listed here is
//   admins-only: a new kind of event is never broadcast by accident.
// Customers receive only the event types customerReceives marks, about their own conversations,
// with payloads cut down to what the widget shows (customerEventView): an allow-list, so tags,
// priority, routing and SLA details never reach them.
import { allEventTypes, eventTypeRegistry, type EventType } from './events.js';
import { canSee, type Scope, type Viewer } from './visibility.js';

export type EventAudience = 'subject' | 'staff' | 'admins';

/** Organisation-wide event types every agent may receive (the rest are admins-only). */
const staffEventTypes: ReadonlySet<string> = new Set(eventTypeRegistry.staff);

/** What decides who sees an event: its type, what it is about, and that subject's current scope. */
export interface EventScope extends Scope {
  type: string;
  conversationId: string | null;
  ticketId: string | null;
  /** Who wrote it; for an owner-only type, the one person who receives it. */
  actorId?: string | null;
}

/**
 * Event types addressed to one person, the event's actorId: an agent's reminder (set, cancelled,
 * due) is a personal note — Intercom and Chatwoot show a reminder to the teammate who set it only —
 * so neither colleagues (admins included) nor the customer receive it, even about a conversation
 * they see.
 */
export const ownerOnlyEventTypes: ReadonlySet<string> = new Set(['reminder.set', 'reminder.cancelled', 'reminder.due']);

export function eventAudience(event: Pick<EventScope, 'type' | 'conversationId' | 'ticketId'>): EventAudience {
  if (event.conversationId !== null || event.ticketId !== null) return 'subject';
  return staffEventTypes.has(event.type) ? 'staff' : 'admins';
}

/**
 * Whether a customer receives each event type about their own conversations: what the widget
 * shows (new messages, the conversation's status). Everything else about a conversation — tags,
 * priority, team, tier, SLA, rules, the bot's reasoning — stays on the agents' side. Every type
 * is decided here: a new one without an entry fails typecheck, rather than being hidden or shown
 * by default.
 */
export const customerReceives: { readonly [Type in EventType]: boolean } = {
  'message.created': true,
  'conversation.created': true,
  'conversation.queued': true,
  'conversation.assigned': true,
  'conversation.requeued': true,
  'conversation.status_changed': true,
  'conversation.snoozed': true,
  'conversation.unsnoozed': true,
  'conversation.resolved': true,
  'conversation.reopened': true,
  'conversation.closed': true,
  'conversation.merged': true,
  'conversation.merged_into': true,
  'bot.answered': true,
  'bot.helpful': true,
  'bot.not_helpful': true,
  'bot.handed_off': true,
  'bot.assumed_resolved': true,
  'csat.received': true,
  // The widget rings, shows the call and says "we missed you" (customerEventPayload keeps the call, without the agent's id).
  'call.requested': true,
  'call.answered': true,
  'call.declined': true,
  'call.missed': true,
  'call.ended': true,
  'call.transferred': true,
  // The widget shows each side's consent and the recording indicator.
  'call.recording_requested': true,
  'call.recording_started': true,
  'call.recording_stopped': true,

  // The file is the agents' (a visitor downloads it only when the organisation shares recordings).
  'call.recording_saved': false,
  // A call-back is the agents' plan; the customer is told in words when it is set.
  'call.callback_scheduled': false,
  'call.callback_due': false,
  'conversation.classified': false,
  'conversation.priority_changed': false,
  'conversation.escalated': false,
  'conversation.tier_changed': false,
  'conversation.team_changed': false,
  'conversation.tag_added': false,
  'conversation.tag_removed': false,
  'conversation.sla_policy_applied': false,
  'conversation.mentioned': false,
  'bot.declined': false,
  // The customer sees the bot's question and answer as messages; the action's workings are the agents'.
  'bot.action_asked': false,
  'bot.action_called': false,
  'sla.warning': false,
  'sla.breached': false,
  'sla.escalated': false,
  'sla.replanned': false,
  'routing.queued': false,
  'rule.matched': false,
  'rule.webhook': false,
  'rule.webhook_called': false,
  'notification.emailed': false,
  // The console's "not delivered" mark: SMTP replies and addresses are the agents' business.
  'message.email_sent': false,
  'message.email_failed': false,
  'notification.email_skipped': false,
  // A reply not sent yet is the agents' draft; once sent, the customer gets its message.created.
  'scheduled_message.scheduled': false,
  'scheduled_message.edited': false,
  'scheduled_message.cancelled': false,
  'scheduled_message.sent': false,
  'scheduled_message.failed': false,
  // A follow-up's steps reach the customer as messages; the sequence itself is the agents'.
  'follow_up.started': false,
  'follow_up.step_sent': false,
  'follow_up.completed': false,
  'follow_up.cancelled': false,
  'follow_up.failed': false,
  // An agent's reminder is theirs alone (ownerOnlyEventTypes).
  'reminder.set': false,
  'reminder.cancelled': false,
  'reminder.due': false,
  // Tickets, organisation records and the audit trail are never a customer's.
  'ticket.created': false,
  'ticket.assigned': false,
  'ticket.status_changed': false,
  'ticket.closed': false,
  'ticket.priority_changed': false,
  'ticket.escalated': false,
  'ticket.tier_changed': false,
  'ticket.team_changed': false,
  'ticket.tag_added': false,
  'ticket.tag_removed': false,
  'ticket.sla_policy_applied': false,
  'ticket.note_added': false,
  'ticket.pending_reminder': false,
  'agent.presence_changed': false,
  'team.created': false,
  'team.updated': false,
  'team.deleted': false,
  'knowledge.article_created': false,
  'knowledge.article_updated': false,
  'knowledge.article_deleted': false,
  'canned_response.created': false,
  'canned_response.updated': false,
  'canned_response.deleted': false,
  'customer.updated': false,
  'customer.merged': false,
  'agent.updated': false,
  'business_hours.created': false,
  'business_hours.updated': false,
  'business_hours.deleted': false,
  'sla_policy.created': false,
  'sla_policy.updated': false,
  'sla_policy.deleted': false,
  'settings.changed': false,
  'channel.updated': false,
  'rule.created': false,
  'rule.updated': false,
  'rule.deleted': false,
  'rule.reordered': false,
  'rule.imported': false,
  'rule.exported': false,
  'rule.dry_run': false,
  'api_key.created': false,
  'api_key.revoked': false,
  'webhook.created': false,
  'webhook.updated': false,
  'webhook.deleted': false,
  'webhook.disabled': false,
  'bot_action.created': false,
  'bot_action.updated': false,
  'bot_action.deleted': false,
  'auth.signed_in': false,
  'auth.signed_out': false,
  'auth.sign_in_failed': false,
  'auth.locked_out': false,
  'user.invited': false,
  'user.invite_revoked': false,
  'user.activated': false,
  'user.deactivated': false,
  'user.reactivated': false,
  'user.deleted': false,
  'user.password_reset_requested': false,
  'user.password_set': false,
  'user.signed_out_everywhere': false,
  'customer.exported': false,
  'customer.erased': false,
  'user.password_changed': false,
  'user.two_factor_enabled': false,
  'user.two_factor_disabled': false,
  'user.recovery_code_used': false,
  'user.recovery_codes_regenerated': false,
  'user.sessions_revoked': false,
};

/** The event types a customer receives about their own conversations (customerReceives). */
export const customerEventTypes: ReadonlySet<string> = new Set(allEventTypes.filter((type) => customerReceives[type]));

/** Whether the viewer may receive the event, given its subject's current scope. */
export function canSeeEvent(viewer: Viewer, event: EventScope): boolean {
  if (ownerOnlyEventTypes.has(event.type)) return viewer.kind === 'user' && event.actorId != null && viewer.userId === event.actorId && canSee(viewer, event);
  const audience = eventAudience(event);
  if (viewer.kind === 'customer') return audience === 'subject' && customerEventTypes.has(event.type) && canSee(viewer, event);
  const admin = viewer.kind === 'user' && viewer.role === 'admin';
  if (audience === 'admins') return admin;
  if (audience === 'subject') return canSee(viewer, event);
  // Staff records: a team's own (its canned responses) reach that team's agents only.
  return admin || viewer.kind === 'integration' || event.teamId === null || (viewer.kind === 'user' && viewer.teamId === event.teamId);
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const pick = (source: Json, keys: readonly string[]): Json => Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]]));

/** The fields of a conversation a customer sees: its identity and status, none of its routing. */
export const customerConversationFields = [
  'id',
  'number',
  'status',
  'subject',
  'customerId',
  'assigneeName',
  'lastMessageAt',
  'resolvedAt',
  'createdAt',
] as const;
/** The fields of a call a customer sees: not which agent (contract/calls.ts CallView). */
export const customerCallFields = [
  'id',
  'conversationId',
  'media',
  'status',
  'requestedBy',
  'createdAt',
  'answeredAt',
  'endedAt',
  'durationSeconds',
  'waitSeconds',
  'recording',
] as const;
/** The fields of a message a customer sees. */
export const customerMessageFields = ['id', 'conversationId', 'authorKind', 'authorName', 'body', 'private', 'createdAt'] as const;

/** A conversation view cut down to what its customer may see. */
export function customerConversationView(conversation: object): Json {
  return pick(conversation as Json, customerConversationFields);
}

/** A message view cut down to what its customer may see: a bot answer keeps its citations (the widget links them) and whether it is partial ("read more"), not its confidence. */
export function customerMessageView(message: object): Json {
  const view = pick(message as Json, customerMessageFields);
  const metadata = (message as Json).metadata;
  view.metadata =
    isObject(metadata) && metadata.kind === 'bot_answer'
      ? {
          kind: 'bot_answer',
          citations: Array.isArray(metadata.citations) ? metadata.citations.filter(isObject).map((c) => pick(c, ['id', 'title', 'slug', 'locale'])) : [],
          ...(metadata.partial === true ? { partial: true } : {}),
          ...(Array.isArray(metadata.choices)
            ? { choices: metadata.choices.filter(isObject).map((c) => pick(c, ['id', 'title', 'slug', 'locale', 'answer'])) }
            : {}),
        }
      : null;
  // Files of a public message (a private one never reaches a customer at all).
  const attachments = (message as Json).attachments;
  if (Array.isArray(attachments) && attachments.length > 0)
    view.attachments = attachments.filter(isObject).map((a) => pick(a, ['id', 'fileName', 'contentType', 'size', 'inline']));
  return view;
}

/** An event's payload as its customer receives it: only the conversation and the message, each cut down. */
export function customerEventPayload(payload: Json): Json {
  const view: Json = {};
  if (isObject(payload.conversation)) view.conversation = customerConversationView(payload.conversation);
  if (isObject(payload.message)) view.message = customerMessageView(payload.message);
  if (isObject(payload.call)) view.call = pick(payload.call, customerCallFields);
  return view;
}
