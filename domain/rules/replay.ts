// Replaying recorded history through a rule (the dry-run): the event log of one conversation or
// ticket, oldest first, is folded into RuleFacts event by event, each entry is turned into the
// RuleEvents it stands for, and the rule is planned on each. Between two entries the clock
// ticks, so time triggers fire where they would have. Pure: the API loads the rows.
//
// What the log does not hold is taken from the subject as it is now (channel, tags, the
// customer's VIP flag, language and attributes). Message intent and sentiment are the
// classification the conversation recorded for its first customer message
// (`conversation.classified`), and the rule-based classification (domain/classification.ts)
// for later messages.
import { z } from 'zod';
import type { BusinessCalendar } from '../business-hours.js';
import { classifyMessage, type Sentiment } from '../classification.js';
import { priorities, routingTiers } from '../vocabulary.js';
import { planRules, timeTriggerDueAt, type PlannableRule, type RuleEvent, type RuleFacts, type RuleMessageFacts, type RuleSubject } from './matcher.js';
import { sentiments, type RunnableAction, type TimeAnchor } from './rule-schema.js';

/** One row of the event log, as the replay reads it. */
export interface RecordedEvent {
  id: string;
  type: string;
  /** ISO instant. */
  occurredAt: string;
  payload: Readonly<Record<string, unknown>>;
}

/** A conversation or ticket with its history (its own events only, oldest first). */
export interface ReplaySubject {
  subject: RuleSubject;
  id: string;
  channel: RuleFacts['channel'];
  tags: readonly string[];
  customer: RuleFacts['customer'];
  /** Business hours per team id (a team without hours: null; unknown teams count as 24/7). */
  calendars: Readonly<Record<string, BusinessCalendar | null>>;
  events: readonly RecordedEvent[];
}

/** Where the rule would have matched and what it would have run. */
export interface ReplayMatch {
  /** The event it matched on; for a time trigger, the last event before it was due. */
  eventId: string;
  eventType: string;
  trigger: RuleEvent['on'];
  /** When: the event's time, or the instant a time trigger was due. */
  at: string;
  actions: RunnableAction[];
}

/** The part of the conversation or ticket view (infra/views.ts) events carry that facts need. */
const viewSchema = z.looseObject({
  status: z.string(),
  priority: z.enum(priorities),
  tier: z.enum(routingTiers),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  createdAt: z.string(),
});
type ViewState = z.infer<typeof viewSchema>;

const messageSchema = z.looseObject({ authorKind: z.string(), body: z.string(), private: z.boolean().optional() });
const classificationSchema = z.looseObject({ sentiment: z.enum(sentiments), intent: z.string() });
const ruleCauseSchema = z.looseObject({ depth: z.int().min(0) });

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The classification the conversation recorded for its first customer message, if any. */
function recordedClassification(events: readonly RecordedEvent[]): { sentiment: Sentiment; intent: string } | null {
  for (const event of events) {
    if (event.type !== 'conversation.classified') continue;
    const parsed = classificationSchema.safeParse(event.payload.classification);
    if (parsed.success) return { sentiment: parsed.data.sentiment, intent: parsed.data.intent };
  }
  return null;
}

/** What an entry's view tells about the subject's state, for diffing. */
export interface StateChangeView {
  status: string;
  assigneeId: string | null;
  priority: string;
}

/** The events a log entry stands for, given the subject's state before and after it (null: unknown). */
export function ruleEventsOf(
  entry: Pick<RecordedEvent, 'type' | 'payload'>,
  subject: RuleSubject,
  before: StateChangeView | null,
  after: StateChangeView | null,
): RuleEvent[] {
  const events: RuleEvent[] = [];
  switch (entry.type) {
    case 'conversation.created':
      if (subject === 'conversation') events.push({ on: 'conversation_created' });
      break;
    case 'ticket.created':
      if (subject === 'ticket') events.push({ on: 'ticket_created' });
      break;
    case 'message.created': {
      const message = messageSchema.safeParse(entry.payload.message);
      if (message.success && !message.data.private && (message.data.authorKind === 'customer' || message.data.authorKind === 'agent')) {
        events.push({ on: 'message_received', from: message.data.authorKind });
      }
      break;
    }
    case 'sla.warning':
      events.push({ on: 'sla_warning' });
      break;
    case 'sla.breached':
      events.push({ on: 'sla_breach' });
      break;
  }
  if (entry.type.endsWith('.csat_received') || entry.type === 'csat.received') events.push({ on: 'csat_received' });
  if (entry.type === 'call.missed') events.push({ on: 'call_missed' });
  if (entry.type.endsWith('.tag_added') && typeof entry.payload.tag === 'string') events.push({ on: 'tag_added', tag: entry.payload.tag });
  if (before && after) {
    if (after.status !== before.status) events.push({ on: 'status_changed', to: after.status });
    if (after.assigneeId !== before.assigneeId) events.push(after.assigneeId ? { on: 'assigned' } : { on: 'unassigned' });
    if (after.priority !== before.priority) events.push({ on: 'priority_changed' });
  }
  if (subject === 'ticket' && entry.type.startsWith('ticket.') && entry.type !== 'ticket.created') events.push({ on: 'ticket_updated' });
  return events;
}

const solvedStatuses = new Set(['resolved', 'solved', 'closed']);

/**
 * Every point in the subject's history within [from, to] where the rule (taken as enabled)
 * would have matched, oldest first. Entries before `from` only build up the facts.
 */
export function replayRule(rule: Omit<PlannableRule, 'enabled'>, subject: ReplaySubject, window: { from: Date; to: Date }): ReplayMatch[] {
  const plannable: PlannableRule = { ...rule, enabled: true };
  const fromMs = window.from.getTime();
  const toMs = window.to.getTime();
  const firstClassification = subject.subject === 'conversation' ? recordedClassification(subject.events) : null;
  const matches: ReplayMatch[] = [];

  let state: ViewState | null = null;
  const times: Record<TimeAnchor, string | null> = {
    created: null,
    status_changed: null,
    last_customer_message: null,
    last_agent_message: null,
    assigned: null,
  };
  const counts = { messages: 0, reopens: 0 };
  let customerMessages = 0;
  let lastEvent: RecordedEvent | null = null;

  const factsOf = (current: ViewState, message: RuleMessageFacts | null): RuleFacts => ({
    subject: subject.subject,
    id: subject.id,
    channel: subject.channel,
    status: current.status,
    priority: current.priority,
    tier: current.tier,
    teamId: current.teamId,
    assigneeId: current.assigneeId,
    tags: subject.tags,
    customer: subject.customer,
    message,
    counts: { ...counts },
    times: { ...times },
    calendar: current.teamId ? (subject.calendars[current.teamId] ?? null) : null,
  });

  const plan = (event: RuleEvent, facts: RuleFacts, at: Date) => planRules([plannable], event, facts, at)[0];

  /** The clock runs from `fromIso` to `untilMs` with nothing recorded: a time trigger may come due. */
  const tick = (fromIso: string, untilMs: number) => {
    if (!state || !lastEvent || plannable.trigger.on !== 'time_elapsed') return;
    const until = Math.min(untilMs, toMs);
    if (until <= Date.parse(fromIso)) return;
    const facts = factsOf(state, null);
    const dueAt = timeTriggerDueAt(plannable.trigger, facts, facts.calendar);
    if (!dueAt || dueAt.getTime() < fromMs) return;
    // The matcher checks the due instant falls in the tick; the conditions are taken as they were then.
    const result = plan({ on: 'time_elapsed', from: fromIso, to: new Date(until).toISOString() }, facts, dueAt);
    if (result?.matched)
      matches.push({ eventId: lastEvent.id, eventType: 'time_elapsed', trigger: 'time_elapsed', at: dueAt.toISOString(), actions: result.actions });
  };

  for (const entry of subject.events) {
    if (lastEvent) tick(lastEvent.occurredAt, Date.parse(entry.occurredAt));
    const at = entry.occurredAt;
    const before: ViewState | null = state;
    const view = viewSchema.safeParse(entry.payload[subject.subject]);
    if (view.success) {
      const after: ViewState = view.data;
      times.created ??= after.createdAt;
      if (before && after.status !== before.status) {
        times.status_changed = at;
        if (solvedStatuses.has(before.status) && !solvedStatuses.has(after.status)) counts.reopens += 1;
      }
      if (after.assigneeId && after.assigneeId !== before?.assigneeId) times.assigned = at;
      state = after;
    }

    let message: RuleMessageFacts | null = null;
    if (entry.type === 'message.created') {
      const parsed = messageSchema.safeParse(entry.payload.message);
      if (parsed.success && !parsed.data.private) {
        counts.messages += 1;
        const { authorKind, body } = parsed.data;
        if (authorKind === 'customer') times.last_customer_message = at;
        if (authorKind === 'agent') times.last_agent_message = at;
        if (authorKind === 'customer' || authorKind === 'agent') {
          const first = authorKind === 'customer' && customerMessages === 0 ? firstClassification : null;
          const classified = first ?? classifyMessage(body, { vip: subject.customer.vip });
          message = { authorKind, text: body, intent: classified.intent, sentiment: classified.sentiment };
          if (authorKind === 'customer') customerMessages += 1;
        }
      }
    }

    lastEvent = entry;
    if (!state || Date.parse(at) < fromMs || Date.parse(at) > toMs) continue;
    const cause = ruleCauseSchema.safeParse(isRecord(entry.payload.rule) ? entry.payload.rule : undefined);
    const depth = cause.success ? cause.data.depth : 0;
    for (const event of ruleEventsOf(entry, subject.subject, before, view.success ? view.data : null)) {
      const result = plan({ ...event, depth }, factsOf(state, event.on === 'message_received' ? message : null), new Date(at));
      if (result?.matched) matches.push({ eventId: entry.id, eventType: entry.type, trigger: event.on, at, actions: result.actions });
    }
  }
  if (lastEvent) tick(lastEvent.occurredAt, toMs);
  return matches;
}
