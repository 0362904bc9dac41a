// Event types of the append-only log. Each state change writes one; the realtime stream and
// the customer's journey are both read from it. Names are stored: add new ones, never rename.

export const eventTypes = {
  conversationCreated: 'conversation.created',
  conversationQueued: 'conversation.queued',
  conversationAssigned: 'conversation.assigned',
  conversationStatusChanged: 'conversation.status_changed',
  messageCreated: 'message.created',
  agentPresenceChanged: 'agent.presence_changed',
} as const;

/**
 * Every event type the product writes, by what it is about. domain/event-audience.ts decides who
 * receives each; docs/PERMISSIONS.md ("Events") states it per type and role, and
 * test/event-visibility.integration-test.ts holds the running system to that table. The payload
 * each type carries is declared in contract/events.ts (contract/README.md says why there).
 */
export const eventTypeRegistry = {
  /** About one conversation: seen by whoever may see the conversation now. */
  conversation: [
    'conversation.created',
    'conversation.queued',
    'conversation.assigned',
    'conversation.requeued',
    'conversation.status_changed',
    'conversation.classified',
    'conversation.snoozed',
    'conversation.unsnoozed',
    'conversation.resolved',
    'conversation.reopened',
    'conversation.closed',
    'conversation.merged',
    'conversation.merged_into',
    'conversation.priority_changed',
    'conversation.escalated',
    'conversation.tier_changed',
    'conversation.team_changed',
    'conversation.tag_added',
    'conversation.tag_removed',
    'conversation.sla_policy_applied',
    'conversation.mentioned',
    'message.created',
    'message.email_sent',
    'message.email_failed',
    'bot.answered',
    'bot.declined',
    'bot.helpful',
    'bot.not_helpful',
    'bot.handed_off',
    'bot.assumed_resolved',
    // The bot's HTTP actions (issue 20, item 6): an input asked for, a call and its outcome.
    'bot.action_asked',
    'bot.action_called',
    'csat.received',
    'sla.warning',
    'sla.breached',
    'sla.escalated',
    'sla.replanned',
    // Routing found nobody to take the conversation; the payload says why (domain/explanation.ts).
    'routing.queued',
    'rule.matched',
    'rule.webhook',
    'rule.webhook_called',
    'notification.emailed',
    'notification.email_skipped',
    // An agent's reply scheduled for later (workflows/scheduled-message.ts): the agents' side only.
    'scheduled_message.scheduled',
    'scheduled_message.edited',
    'scheduled_message.cancelled',
    'scheduled_message.sent',
    'scheduled_message.failed',
    // A follow-up sequence (workflows/follow-up.ts): the agents' side only; the customer gets its messages.
    'follow_up.started',
    'follow_up.step_sent',
    'follow_up.completed',
    'follow_up.cancelled',
    'follow_up.failed',
    // An agent's reminder (workflows/reminder.ts): received by its owner alone (domain/event-audience.ts).
    'reminder.set',
    'reminder.cancelled',
    'reminder.due',
    // Voice and video calls in the conversation (contract/calls.ts).
    'call.requested',
    'call.answered',
    'call.declined',
    'call.missed',
    'call.ended',
    'call.transferred',
    'call.recording_requested',
    'call.recording_started',
    'call.recording_stopped',
    'call.recording_saved',
    // A call-back of the customer (issue 24): scheduled, then due for its agent (workflows/reminder.ts).
    'call.callback_scheduled',
    'call.callback_due',
  ],
  /** About one ticket: seen by whoever may see the ticket now. */
  ticket: [
    'ticket.created',
    'ticket.assigned',
    'ticket.status_changed',
    'ticket.closed',
    'ticket.priority_changed',
    'ticket.escalated',
    'ticket.tier_changed',
    'ticket.team_changed',
    'ticket.tag_added',
    'ticket.tag_removed',
    'ticket.sla_policy_applied',
    'ticket.note_added',
    'ticket.pending_reminder',
  ],
  /** The organisation's records every agent works with (teams, presence, knowledge, canned responses, contacts). */
  staff: [
    'agent.presence_changed',
    'team.created',
    'team.updated',
    'team.deleted',
    'knowledge.article_created',
    'knowledge.article_updated',
    'knowledge.article_deleted',
    'canned_response.created',
    'canned_response.updated',
    'canned_response.deleted',
    // Contacts (api/services/customer-*.ts): on the contact's journey; customer.merged is in the audit log too.
    'customer.updated',
    'customer.merged',
  ],
  /** The admins' audit trail: changes to settings, rules, keys and people, sign-ins, bulk reads. */
  audit: [
    'agent.updated',
    'business_hours.created',
    'business_hours.updated',
    'business_hours.deleted',
    'sla_policy.created',
    'sla_policy.updated',
    'sla_policy.deleted',
    'settings.changed',
    'channel.updated',
    'rule.created',
    'rule.updated',
    'rule.deleted',
    'rule.reordered',
    'rule.imported',
    'rule.exported',
    'rule.dry_run',
    'api_key.created',
    'api_key.revoked',
    // Outgoing webhook endpoints (api/services/webhook-service.ts); `webhook.disabled`: turned off after sustained failure.
    'webhook.created',
    'webhook.updated',
    'webhook.deleted',
    'webhook.disabled',
    // The bot's HTTP actions (api/services/bot-action-service.ts).
    'bot_action.created',
    'bot_action.updated',
    'bot_action.deleted',
    'auth.signed_in',
    'auth.signed_out',
    'auth.sign_in_failed',
    'auth.locked_out',
    'user.invited',
    'user.invite_revoked',
    'user.activated',
    'user.deactivated',
    'user.reactivated',
    'user.deleted',
    'user.password_reset_requested',
    'user.password_set',
    'user.signed_out_everywhere',
    'customer.exported',
    'customer.erased',
    'user.password_changed',
    'user.two_factor_enabled',
    'user.two_factor_disabled',
    'user.recovery_code_used',
    'user.recovery_codes_regenerated',
    'user.sessions_revoked',
  ],
} as const;

/** What an event is about, which decides who receives it (domain/event-audience.ts). */
export type EventSubject = keyof typeof eventTypeRegistry;
export type EventType = (typeof eventTypeRegistry)[EventSubject][number];
export const allEventTypes: readonly EventType[] = Object.values(eventTypeRegistry).flat();
const registered: ReadonlySet<string> = new Set(allEventTypes);
/** For types that cross a boundary as text (a workflow's activity input): registered or not. */
export const isEventType = (value: string): value is EventType => registered.has(value);

/**
 * An event as clients receive it over WebSocket and REST, before its type is known to this
 * build: contract/events.ts `asAppEvent` narrows it to the typed `AppEvent`.
 */
export interface EventView {
  /** Unique, taken in insert order (an event may commit after one with a higher id: realtime/README.md, "Resuming"). */
  id: string;
  type: string;
  occurredAt: string;
  actorKind: string;
  actorId: string | null;
  customerId: string | null;
  conversationId: string | null;
  ticketId: string | null;
  payload: Record<string, unknown>;
}
