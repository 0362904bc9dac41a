// The customer's journey as sentences: every event of GET /api/customers/:id/events (and the
// live ones) becomes one line in the agent's language, newest first. Pure: the lines are built
// from the raw events at render time, so a language switch re-renders them. Every registered
// event type has its case (contract/events.ts): a new type without one fails typecheck.
import { asAppEvent, unhandledEventType, type EventView } from '../../../contract/events';
import { followUpEndReasons } from '../../../contract/follow-ups';
import { priorities, ticketStatuses } from '../../../domain/vocabulary';
import type { Translate } from '../i18n/create-i18n';
import { countOf } from '../i18n/counts';
import type { MessageKey } from '../i18n/messages-en';
import { actionLabel, topicLabel, triggerLabel } from '../rules/rule-labels';
import { actionTypes, triggerKinds } from '../rules/rule-types';
import { emailSenderOf } from '../inbox/email-sender';
import { isMessageView } from '../shared/wire-types';

export interface JourneyContext {
  t: Translate;
  /** An agent's or admin's name by id (GET /api/users); null when unknown. */
  userName(id: string | null | undefined): string | null;
  /** A team's name by id (GET /api/teams); null when unknown. */
  teamName?(id: string | null | undefined): string | null;
  /** The customer as the panel names them. */
  customerName: string;
  /** A timestamp in the agent's language and time zone (a snooze end). */
  formatTime(iso: string): string;
}

/** What a line is about, for its marker in the list. */
export type JourneyKind = 'conversation' | 'assignment' | 'message' | 'note' | 'ticket' | 'sla' | 'bot' | 'other';

export interface JourneyLine {
  id: string;
  at: string;
  kind: JourneyKind;
  text: string;
  conversationId: string | null;
  ticketId: string | null;
}

/** The events with new ones added, each once (by id), oldest first; the same array when nothing is new. */
export function mergeJourney(events: readonly EventView[], incoming: readonly EventView[]): EventView[] {
  const known = new Set(events.map((event) => event.id));
  const added = incoming.filter((event) => !known.has(event.id) && (known.add(event.id), true));
  if (added.length === 0) return events as EventView[];
  return [...events, ...added].sort((a, b) => compareIds(a.id, b.id));
}

// Event ids are a database sequence sent as strings: compare them as numbers.
function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** The lines to show, newest first. */
export function journeyLines(events: readonly EventView[], context: JourneyContext): JourneyLine[] {
  const numbers = conversationNumbers(events);
  return [...events].sort((a, b) => compareIds(b.id, a.id)).map((event) => describeEvent(event, context, numbers));
}

/** Conversation numbers by id, from the events that carry the conversation (messages do not). */
export function conversationNumbers(events: readonly EventView[]): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const event of events) {
    const conversation = record(event.payload.conversation);
    if (typeof conversation.id === 'string' && typeof conversation.number === 'number') numbers.set(conversation.id, conversation.number);
  }
  return numbers;
}

type Loose = Record<string, unknown>;
const record = (value: unknown): Loose => (typeof value === 'object' && value !== null ? (value as Loose) : {});
const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** The first words of a message, on one line. */
export function excerpt(body: string, max = 80): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

export function describeEvent(event: EventView, context: JourneyContext, numbers: ReadonlyMap<string, number> = new Map()): JourneyLine {
  const { t } = context;
  const payload = event.payload;
  const conversation = record(payload.conversation);
  const ticket = record(payload.ticket);

  const conversationNumber = typeof conversation.number === 'number' ? conversation.number : numbers.get(event.conversationId ?? '');
  const conversationRef = conversationNumber !== undefined ? t('journey.conversationRef', { number: conversationNumber }) : t('journey.aConversation');
  const ticketRef = typeof ticket.number === 'number' ? t('journey.ticketRef', { number: ticket.number }) : t('journey.aTicket');
  const customer = context.customerName;
  const actor = actorName(event, context);
  // plural: the count that picks the form of a message with plural forms (journey.ticket.pendingReminder).
  const line = (kind: JourneyKind, key: MessageKey, params: Record<string, string | number> = {}, plural?: number): JourneyLine => ({
    id: event.id,
    at: event.occurredAt,
    kind,
    text: sentence(t(key, params, plural)),
    conversationId: event.conversationId,
    ticketId: event.ticketId,
  });
  const priority = (value: unknown) =>
    (priorities as readonly unknown[]).includes(value) ? t(`priority.${value as (typeof priorities)[number]}`) : String(value ?? '?');
  const ticketStatus = (value: unknown) =>
    (ticketStatuses as readonly unknown[]).includes(value) ? t(`ticketStatus.${value as (typeof ticketStatuses)[number]}`) : String(value ?? '?');
  const tier = (value: unknown) => (value === 'junior' || value === 'expert' || value === 'self_service' ? t(`tier.${value}`) : String(value ?? '?'));
  const metric = (value: unknown) =>
    value === 'first_response' || value === 'next_response' || value === 'resolution' ? t(`sla.metric.${value}`) : String(value ?? '?');
  const handOffReason = (value: unknown) =>
    value === 'not_helpful' || value === 'wants_human' || value === 'customer_wrote_again' || value === 'action_failed'
      ? t(`handoffReason.${value}`)
      : String(value ?? '?');
  const slaSubject = event.ticketId ? ticketRef : conversationRef;
  /** One step of a matched rule in words; null for one this console does not know (a newer action). */
  const ruleStep = (step: Loose): string | null => {
    switch (step.type) {
      case 'set_priority':
        return t('journey.ruleStep.set_priority', { priority: priority(step.priority) });
      case 'add_tag':
      case 'remove_tag':
        return t(`journey.ruleStep.${step.type}`, { tag: text(step.tag) ?? '?' });
      case 'assign_agent':
        return t('journey.ruleStep.assign_agent', { agent: context.userName(text(step.agentId)) ?? t('journey.someTeammate') });
      case 'assign_team':
        return t('journey.ruleStep.assign_team', { team: context.teamName?.(text(step.teamId)) ?? t('journey.aTeam') });
      case 'assign_tier':
        return t('journey.ruleStep.assign_tier', { tier: tier(step.tier) });
      case 'set_status':
        return step.status === 'snooze' || step.status === 'resolve' || step.status === 'close' ? t(`journey.ruleStep.set_status.${step.status}`) : null;
      case 'send_reply':
      case 'send_bot_message':
      case 'add_note':
      case 'apply_sla_policy':
      case 'start_follow_up':
      case 'escalate':
      case 'create_ticket':
      case 'send_email':
      case 'call_webhook':
      case 'stop':
        return t(`journey.ruleStep.${step.type}`);
      default:
        return null;
    }
  };

  // Payloads are read defensively below: old events may predate a field.
  const known = asAppEvent(event);
  if (known === null) return line('other', 'journey.unknown', { type: event.type });
  switch (known.type) {
    case 'conversation.created':
      return line('conversation', 'journey.conversation.created', { customer, conversation: conversationRef });
    case 'conversation.classified': {
      const classification = record(payload.classification);
      return line('conversation', 'journey.conversation.classified', {
        conversation: conversationRef,
        intent: topicLabel(t, text(classification.intent) ?? '?'),
        tier: tier(classification.tier),
      });
    }
    case 'conversation.assigned': {
      const agent = text(conversation.assigneeName) ?? context.userName(text(conversation.assigneeId)) ?? t('journey.aTeammate');
      // Routing assigns with no actor; a person doing it (a transfer) is named.
      if (event.actorId && event.actorId !== conversation.assigneeId) {
        return line('assignment', 'journey.conversation.assignedBy', { actor, conversation: conversationRef, agent });
      }
      return line('assignment', 'journey.conversation.assigned', { conversation: conversationRef, agent });
    }
    case 'conversation.requeued':
      return line('assignment', 'journey.conversation.requeued', { conversation: conversationRef });
    case 'conversation.resolved':
      return event.actorId
        ? line('conversation', 'journey.conversation.resolvedBy', { actor, conversation: conversationRef })
        : line('conversation', 'journey.conversation.resolved', { conversation: conversationRef });
    case 'conversation.reopened':
      return event.actorId && event.actorKind === 'agent'
        ? line('conversation', 'journey.conversation.reopenedBy', { actor, conversation: conversationRef })
        : line('conversation', 'journey.conversation.reopened', { conversation: conversationRef });
    case 'conversation.snoozed': {
      const until = text(payload.until);
      return until
        ? line('conversation', 'journey.conversation.snoozedUntil', { actor, conversation: conversationRef, time: context.formatTime(until) })
        : line('conversation', 'journey.conversation.snoozedUntilReply', { actor, conversation: conversationRef });
    }
    case 'conversation.unsnoozed':
      return line('conversation', 'journey.conversation.unsnoozed', { conversation: conversationRef });
    case 'conversation.closed':
      return line('conversation', 'journey.conversation.closed', { conversation: conversationRef });
    case 'conversation.team_changed':
      return line('assignment', 'journey.conversation.teamChanged', { conversation: conversationRef, team: text(payload.teamName) ?? '?' });
    case 'conversation.priority_changed':
      return line('conversation', 'journey.conversation.priorityChanged', {
        conversation: conversationRef,
        from: priority(payload.from),
        to: priority(payload.to),
      });
    case 'conversation.merged':
      return line('conversation', 'journey.conversation.merged', { conversation: conversationRef });
    case 'conversation.merged_into':
      return line('conversation', 'journey.conversation.mergedInto', { conversation: conversationRef });

    case 'message.created': {
      const message = payload.message;
      if (!isMessageView(message)) return line('message', 'journey.unknown', { type: event.type });
      const words = excerpt(message.body);
      if (message.metadata?.kind === 'handoff_summary') return line('bot', 'journey.message.handoff');
      if (message.authorKind === 'bot') return line('bot', 'journey.message.bot', { excerpt: words });
      if (message.authorKind === 'customer') {
        // A mail from someone the customer copied (metadata.sender) is theirs, not the customer's.
        const sender = emailSenderOf(message);
        return line('message', 'journey.message.customer', { customer: sender ? (sender.name ?? sender.address) : customer, excerpt: words });
      }
      if (message.authorKind === 'system') return line('other', 'journey.message.system', { excerpt: words });
      const author = message.authorName ?? context.userName(message.authorUserId) ?? t('journey.aTeammate');
      return message.private
        ? line('note', 'journey.message.note', { actor: author, excerpt: words })
        : line('message', 'journey.message.agent', { actor: author, excerpt: words });
    }
    case 'agent.presence_changed': {
      const to = payload.to ?? payload.presence;
      const presence = to === 'online' || to === 'away' || to === 'offline' ? t(`presence.${to}`) : String(to ?? '?');
      const who = context.userName(text(payload.userId) ?? event.actorId) ?? t('journey.aTeammate');
      return line('other', 'journey.presence', { actor: who, presence });
    }

    case 'ticket.created':
      return line('ticket', 'journey.ticket.created', { ticket: ticketRef, subject: text(ticket.subject) ?? '' });
    case 'ticket.status_changed':
      return line('ticket', 'journey.ticket.statusChanged', {
        ticket: ticketRef,
        from: ticketStatus(payload.from),
        to: ticketStatus(payload.to ?? ticket.status),
      });
    case 'ticket.assigned': {
      const assigneeId = text(ticket.assigneeId);
      if (!assigneeId) return line('assignment', 'journey.ticket.unassigned', { ticket: ticketRef });
      const agent = text(ticket.assigneeName) ?? context.userName(assigneeId) ?? t('journey.aTeammate');
      return line('assignment', 'journey.ticket.assigned', { ticket: ticketRef, agent });
    }
    case 'ticket.priority_changed':
      return line('ticket', 'journey.ticket.priorityChanged', { ticket: ticketRef, from: priority(payload.from), to: priority(payload.to) });
    case 'ticket.pending_reminder': {
      const hours = typeof payload.hours === 'number' ? payload.hours : undefined;
      return line('ticket', 'journey.ticket.pendingReminder', { ticket: ticketRef, hours: hours ?? '?' }, hours);
    }
    case 'ticket.closed':
      return line('ticket', 'journey.ticket.closed', { ticket: ticketRef });

    case 'sla.warning':
      return line('sla', 'journey.sla.warning', { metric: metric(payload.metric), subject: slaSubject });
    case 'sla.breached':
      return line('sla', 'journey.sla.breached', { metric: metric(payload.metric), subject: slaSubject });
    case 'sla.replanned':
      return line('sla', 'journey.sla.replanned', { subject: slaSubject });
    case 'routing.queued':
      return line('assignment', 'journey.conversation.waiting', { conversation: conversationRef });
    case 'sla.escalated': {
      const action = payload.action;
      const what =
        action === 'notify' || action === 'raise_priority' || action === 'move_to_expert' ? t(`journey.sla.action.${action}`) : String(action ?? '?');
      return line('sla', 'journey.sla.escalated', { subject: slaSubject, action: what });
    }

    case 'bot.answered': {
      const confidence = typeof payload.confidence === 'number' ? Math.round(payload.confidence * 100) : '?';
      return line('bot', 'journey.bot.answered', { conversation: conversationRef, percent: confidence });
    }
    case 'bot.declined':
      return line('bot', 'journey.bot.declined', { conversation: conversationRef });
    case 'bot.handed_off':
      return line('bot', 'journey.bot.handedOff', { conversation: conversationRef, reason: handOffReason(payload.reason) });
    case 'bot.helpful':
      return line('bot', 'journey.bot.helpful', { customer });
    case 'bot.not_helpful':
      return line('bot', 'journey.bot.notHelpful', { customer });
    case 'bot.assumed_resolved':
      return line('bot', 'journey.bot.assumedResolved', { conversation: conversationRef });
    case 'bot.action_asked':
      return line('bot', 'journey.bot.actionAsked', { action: text(payload.action) ?? '?', input: text(payload.input) ?? '?' });
    case 'bot.action_called': {
      const status = typeof payload.status === 'number' ? payload.status : '—';
      const latency = typeof payload.latencyMs === 'number' ? payload.latencyMs : '?';
      const fields = Object.entries(record(payload.fields))
        .map(([name, value]) => `${name}: ${String(value)}`)
        .join(t('journey.listSeparator'));
      const params = { action: text(payload.action) ?? '?', status, latency, fields: fields || '—', error: text(payload.error) ?? '?' };
      return line('bot', payload.ok === true ? 'journey.bot.actionCalled' : 'journey.bot.actionFailed', params);
    }

    case 'rule.matched': {
      // The rule's name since it was added to the payload; older events name no rule.
      const name = text(record(payload.rule).name);
      // Its actions with their settings since `steps` was added: "Rule “VIP first” set priority to High, added tag vip".
      const steps = Array.isArray(payload.steps) ? payload.steps.map((step) => ruleStep(record(step))) : null;
      if (name && steps && !steps.includes(null)) return line('conversation', 'journey.ruleApplied', { name, steps: steps.join(t('journey.listSeparator')) });
      const on = String(payload.trigger ?? '?');
      const params = {
        trigger: (triggerKinds as readonly string[]).includes(on) ? triggerLabel(t, on) : on,
        actions: (Array.isArray(payload.actions) ? payload.actions : [])
          .map((type) => ((actionTypes as readonly unknown[]).includes(type) ? actionLabel(t, String(type)) : String(type)))
          .join(t('journey.listSeparator')),
      };
      return name ? line('conversation', 'journey.ruleMatched', { ...params, name }) : line('conversation', 'journey.ruleMatchedUnnamed', params);
    }
    case 'conversation.tag_added':
    case 'ticket.tag_added':
      return line(event.ticketId ? 'ticket' : 'conversation', 'journey.tagAdded', { subject: slaSubject, tag: text(payload.tag) ?? '?' });
    case 'conversation.tag_removed':
    case 'ticket.tag_removed':
      return line(event.ticketId ? 'ticket' : 'conversation', 'journey.tagRemoved', { subject: slaSubject, tag: text(payload.tag) ?? '?' });
    case 'conversation.mentioned':
      return line('conversation', 'journey.mentioned', { actor, conversation: conversationRef, excerpt: excerpt(text(payload.excerpt) ?? '') });
    case 'ticket.note_added':
      return line('ticket', 'journey.noteAdded', { ticket: ticketRef, excerpt: excerpt(text(payload.text) ?? '') });
    case 'notification.emailed':
    case 'notification.email_skipped': {
      const subject = text(payload.subject) ?? '';
      return event.type === 'notification.emailed'
        ? line('sla', 'journey.emailed', { subject })
        : line('sla', 'journey.emailSkipped', { subject, reason: String(payload.reason ?? '?') });
    }
    case 'rule.webhook_called':
      return line('conversation', 'journey.webhookCalled', { status: String(payload.status ?? '?') });
    case 'csat.received': {
      const score = typeof payload.score === 'number' ? payload.score : '?';
      const comment = text(payload.comment);
      const params = { customer, conversation: conversationRef, score };
      return comment ? line('conversation', 'journey.csatComment', { ...params, comment: excerpt(comment) }) : line('conversation', 'journey.csat', params);
    }

    case 'follow_up.started':
    case 'follow_up.step_sent':
    case 'follow_up.completed':
    case 'follow_up.cancelled':
    case 'follow_up.failed': {
      const followUp = record(payload.followUp);
      const steps = Array.isArray(followUp.steps) ? followUp.steps.length : 0;
      const params = { actor, conversation: conversationRef, steps };
      switch (known.type) {
        case 'follow_up.started':
          return followUp.authorId ? line('conversation', 'journey.followUp.started', params) : line('conversation', 'journey.followUp.startedByRule', params);
        case 'follow_up.step_sent':
          return line('conversation', 'journey.followUp.stepSent', { ...params, step: typeof payload.step === 'number' ? payload.step + 1 : '?' });
        case 'follow_up.completed':
          return line('conversation', 'journey.followUp.completed', params);
        default: {
          const reason = followUpEndReasons.find((known) => known === payload.reason);
          return line('conversation', 'journey.followUp.ended', {
            ...params,
            reason: reason ? t(`journey.followUp.reason.${reason}`) : String(payload.reason ?? '?'),
          });
        }
      }
    }

    // A reminder is its owner's alone: only they receive these (domain/event-audience.ts).
    case 'reminder.set':
    case 'reminder.cancelled':
    case 'reminder.due': {
      const reminder = record(payload.reminder);
      const params = { conversation: conversationRef, time: typeof reminder.dueAt === 'string' ? context.formatTime(reminder.dueAt) : '?' };
      if (known.type === 'reminder.set') return line('conversation', 'journey.reminder.set', params);
      if (known.type === 'reminder.cancelled') return line('conversation', 'journey.reminder.cancelled', params);
      return line('conversation', 'journey.reminder.due', params);
    }

    case 'call.callback_scheduled':
    case 'call.callback_due': {
      const reminder = record(payload.reminder);
      const params = { actor, conversation: conversationRef, time: typeof reminder.dueAt === 'string' ? context.formatTime(reminder.dueAt) : '?' };
      return known.type === 'call.callback_scheduled'
        ? line('conversation', 'journey.callback.scheduled', params)
        : line('conversation', 'journey.callback.due', params);
    }

    case 'call.requested':
    case 'call.answered':
    case 'call.declined':
    case 'call.missed':
    case 'call.ended':
    case 'call.transferred':
    case 'call.recording_requested':
    case 'call.recording_started':
    case 'call.recording_stopped':
    case 'call.recording_saved': {
      const call = record(payload.call);
      const media = call.media === 'video' ? t('journey.call.video') : t('journey.call.audio');
      const params = { actor, customer, conversation: conversationRef, media };
      switch (known.type) {
        case 'call.requested':
          return call.requestedBy === 'agent'
            ? line('conversation', 'journey.call.agentCalled', params)
            : line('conversation', 'journey.call.requested', params);
        case 'call.answered':
          return line('conversation', 'journey.call.answered', params);
        case 'call.declined':
          return line('conversation', 'journey.call.declined', params);
        case 'call.missed':
          return line('conversation', 'journey.call.missed', params);
        case 'call.ended': {
          const seconds = typeof call.durationSeconds === 'number' ? call.durationSeconds : null;
          return seconds === null
            ? line('conversation', 'journey.call.endedUnanswered', params)
            : line('conversation', 'journey.call.ended', { ...params, duration: callDuration(seconds) });
        }
        case 'call.transferred':
          return line('conversation', 'journey.call.transferred', { ...params, agent: context.userName(text(call.agentId)) ?? t('journey.someTeammate') });
        case 'call.recording_requested':
          return line('conversation', 'journey.call.recordingRequested', params);
        case 'call.recording_started':
          return line('conversation', 'journey.call.recordingStarted', params);
        case 'call.recording_stopped':
          return line('conversation', 'journey.call.recordingStopped', params);
        case 'call.recording_saved':
          return line('conversation', 'journey.call.recordingSaved', { ...params, file: text(record(payload.attachment).fileName) ?? '?' });
      }
      return unhandledEventType(known);
    }

    case 'settings.changed': {
      const section = text(payload.section) ?? '?';
      const known = section === 'selfService' || section === 'security' || section === 'privacy' || section === 'customerAttributes';
      return line('other', 'journey.settingsChanged', { section: known ? t(`journey.settingsSection.${section}`) : section });
    }
    case 'customer.updated': {
      const fields = Array.isArray(payload.changed) ? payload.changed.filter((field): field is string => typeof field === 'string') : [];
      const names = fields.map((field) => (profileFields.includes(field as ProfileField) ? t(`journey.profileField.${field as ProfileField}`) : field));
      return line('other', 'journey.customerUpdated', { actor, fields: names.join(t('journey.listSeparator')) });
    }
    case 'customer.merged': {
      const merged = record(payload.merged);
      const moved = record(payload.moved);
      return line('other', 'journey.customerMerged', {
        actor,
        merged: text(merged.name) ?? text(merged.email) ?? t('journey.anotherContact'),
        conversations: countOf(t, 'conversations', typeof moved.conversations === 'number' ? moved.conversations : 0),
        tickets: countOf(t, 'tickets', typeof moved.tickets === 'number' ? moved.tickets : 0),
      });
    }
    // No sentence of their own yet: shown by their type name. Retired types, routing details
    // of a subject, and organisation records or the audit trail (no customer, so the journey
    // API gives them only to an admin reading a customer's events by id).
    case 'conversation.queued':
    case 'conversation.status_changed':
    case 'message.email_sent':
    case 'message.email_failed':
    case 'scheduled_message.scheduled':
    case 'scheduled_message.edited':
    case 'scheduled_message.cancelled':
    case 'scheduled_message.sent':
    case 'scheduled_message.failed':
    case 'conversation.escalated':
    case 'conversation.tier_changed':
    case 'conversation.sla_policy_applied':
    case 'rule.webhook':
    case 'ticket.escalated':
    case 'ticket.tier_changed':
    case 'ticket.team_changed':
    case 'ticket.sla_policy_applied':
    case 'team.created':
    case 'team.updated':
    case 'team.deleted':
    case 'knowledge.article_created':
    case 'knowledge.article_updated':
    case 'knowledge.article_deleted':
    case 'canned_response.created':
    case 'canned_response.updated':
    case 'canned_response.deleted':
    case 'agent.updated':
    case 'business_hours.created':
    case 'business_hours.updated':
    case 'business_hours.deleted':
    case 'sla_policy.created':
    case 'sla_policy.updated':
    case 'sla_policy.deleted':
    case 'channel.updated':
    case 'rule.created':
    case 'rule.updated':
    case 'rule.deleted':
    case 'rule.reordered':
    case 'rule.imported':
    case 'rule.exported':
    case 'rule.dry_run':
    case 'api_key.created':
    case 'api_key.revoked':
    case 'webhook.created':
    case 'webhook.updated':
    case 'webhook.deleted':
    case 'webhook.disabled':
    case 'bot_action.created':
    case 'bot_action.updated':
    case 'bot_action.deleted':
    case 'auth.signed_in':
    case 'auth.signed_out':
    case 'auth.sign_in_failed':
    case 'auth.locked_out':
    case 'user.invited':
    case 'user.invite_revoked':
    case 'user.activated':
    case 'user.deactivated':
    case 'user.reactivated':
    case 'user.deleted':
    case 'user.password_reset_requested':
    case 'user.password_set':
    case 'user.signed_out_everywhere':
    case 'customer.exported':
    case 'customer.erased':
    case 'user.password_changed':
    case 'user.two_factor_enabled':
    case 'user.two_factor_disabled':
    case 'user.recovery_code_used':
    case 'user.recovery_codes_regenerated':
    case 'user.sessions_revoked':
      return line('other', 'journey.unknown', { type: event.type });
    default:
      return unhandledEventType(known);
  }
}

/** The profile fields a `customer.updated` event names (api/services/customer-profile.ts). */
const profileFields = ['name', 'email', 'phone', 'company', 'locale', 'vip', 'tags', 'notes', 'attributes'] as const;
type ProfileField = (typeof profileFields)[number];

/** A line starting with a reference ("conversation #12 was…") starts with a capital. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A call's length as m:ss (h:mm:ss from an hour). */
export function callDuration(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = String(totalSeconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

function actorName(event: EventView, context: JourneyContext): string {
  if (event.actorKind === 'customer') return context.customerName;
  if (event.actorKind === 'bot') return context.t('author.bot');
  if (event.actorKind === 'system' || !event.actorId) return context.t('author.system');
  return context.userName(event.actorId) ?? context.t('journey.aTeammate');
}
