// What-if for SLA policies (issue 22, part 2): a conversation's recorded event log replayed
// against other SLA plans (targets, warning share, business hours), giving the warnings and
// breaches that would have happened, side by side with those the log recorded. Pure, like the
// rules' dry-run (replay.ts): the caller loads the rows. The clocks follow the conversation
// workflow's bookkeeping (workflows/conversation-entity.ts with conversation-sla.ts): first
// response and resolution start when the conversation is created (or when the bot hands it to a
// person), a customer's message resumes resolution and starts next response once the first
// response was given, an agent's public reply stops first and next response and pauses
// resolution, snoozing pauses resolution, resolving stops everything, reopening starts next
// response and resolution, a priority change moves the clocks to that priority's plan keeping
// the business time used.
import { applyPlan, clockOf, pauseMetric, resumeMetric, startMetric, stopMetric, type SlaBook } from '../sla-bookkeeping.js';
import { clockDueAt, type SlaClock, type SlaMetric } from '../sla-clock.js';
import type { SlaPlan } from '../sla-plan.js';
import { priorities, type Priority } from '../vocabulary.js';
import type { RecordedEvent } from './replay.js';

/** One warning or breach, when it happened (or would have). */
export interface SlaIncident {
  metric: SlaMetric;
  kind: 'warning' | 'breached';
  at: string;
}

/** The plan for each priority (null: no policy, no clocks). */
export type PlanFor = (priority: Priority) => SlaPlan | null;

const metrics: readonly SlaMetric[] = ['first_response', 'next_response', 'resolution'];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const priorityOf = (payload: Readonly<Record<string, unknown>>): Priority | null => {
  const value = isRecord(payload.conversation) ? payload.conversation.priority : undefined;
  return (priorities as readonly unknown[]).includes(value) ? (value as Priority) : null;
};

/**
 * The event types the SLA replay and the recorded side read: the what-if job loads only these
 * (activities/what-if-activities.ts). Typed so that a case below naming another type fails to compile.
 */
export const slaEventTypes = [
  'conversation.created',
  'message.created',
  'bot.answered',
  'bot.handed_off',
  'conversation.snoozed',
  'conversation.unsnoozed',
  'conversation.resolved',
  'conversation.closed',
  'bot.assumed_resolved',
  'bot.helpful',
  'conversation.reopened',
  'conversation.priority_changed',
  'conversation.escalated',
  'sla.warning',
  'sla.breached',
] as const;
type SlaEventType = (typeof slaEventTypes)[number];
const typeOf = (event: RecordedEvent) => event.type as SlaEventType;

/** The warnings and breaches the conversation would have had under `planFor`, up to `until`, oldest first. */
export function replaySla(events: readonly RecordedEvent[], planFor: PlanFor, until: Date): SlaIncident[] {
  // The same bookkeeping as the conversation workflow's (workflows/conversation-sla.ts).
  const book: SlaBook = { sla: null, clocks: [], reported: {} };
  let waitingOnAgent = true;
  const incidents: SlaIncident[] = [];

  const start = (metric: SlaMetric, at: Date) => startMetric(book, metric, at);
  const stop = (metric: SlaMetric) => stopMetric(book, metric);
  const pause = (metric: SlaMetric, at: Date) => pauseMetric(book, metric, at);
  const resume = (metric: SlaMetric, at: Date) => resumeMetric(book, metric, at);
  const clear = () => {
    book.clocks = [];
    book.reported = {};
  };
  // A clock's warning and breach instants, worked out once per clock value (clocks are replaced,
  // never changed, and walking business hours is the costly part of a replay).
  const dueTimes = new WeakMap<SlaClock, { warning: number | null; breached: number | null }>();
  const dueOf = (clock: SlaClock, current: SlaPlan) => {
    let due = dueTimes.get(clock);
    if (!due) {
      const instant = (share: number) => clockDueAt(clock, share, current.calendar)?.getTime() ?? null;
      due = { warning: instant(current.warningPercent / 100), breached: instant(1) };
      dueTimes.set(clock, due);
    }
    return due;
  };
  /** Records the warnings and breaches due up to `to`, in order. */
  const advance = (to: number) => {
    const plan = book.sla;
    if (!plan) return;
    for (;;) {
      let next: { metric: SlaMetric; kind: 'warning' | 'breached'; at: number } | null = null;
      for (const clock of book.clocks) {
        const done = book.reported[clock.metric];
        if (done === 'breached') continue;
        const due = dueOf(clock, plan);
        const kind = done === 'warning' ? 'breached' : 'warning';
        const at = due[kind];
        if (at !== null && at <= to && (!next || at < next.at)) next = { metric: clock.metric, kind, at };
      }
      if (!next) return;
      incidents.push({ metric: next.metric, kind: next.kind, at: new Date(next.at).toISOString() });
      book.reported[next.metric] = next.kind;
    }
  };

  const limit = until.getTime();
  for (const event of events) {
    const at = new Date(event.occurredAt);
    if (at.getTime() > limit) break;
    advance(at.getTime());
    const priority = priorityOf(event.payload);
    switch (typeOf(event)) {
      case 'conversation.created':
        book.sla = priority ? planFor(priority) : null;
        waitingOnAgent = true;
        start('first_response', at);
        start('resolution', at);
        break;
      case 'message.created': {
        const message = isRecord(event.payload.message) ? event.payload.message : {};
        if (message.private === true) break;
        if (message.authorKind === 'customer') {
          waitingOnAgent = true;
          resume('resolution', at);
          if (!clockOf(book, 'first_response')) start('next_response', at);
        } else if (message.authorKind === 'agent') {
          waitingOnAgent = false;
          stop('first_response');
          stop('next_response');
          pause('resolution', at);
        }
        break;
      }
      case 'bot.answered':
        clear();
        break;
      case 'bot.handed_off':
        waitingOnAgent = true;
        start('first_response', at);
        start('resolution', at);
        break;
      case 'conversation.snoozed':
        pause('resolution', at);
        break;
      case 'conversation.unsnoozed':
        if (waitingOnAgent) resume('resolution', at);
        break;
      case 'conversation.resolved':
      case 'conversation.closed':
      case 'bot.assumed_resolved':
      case 'bot.helpful':
        clear();
        break;
      case 'conversation.reopened':
        waitingOnAgent = true;
        start('next_response', at);
        start('resolution', at);
        break;
      case 'conversation.priority_changed':
      case 'conversation.escalated': {
        // A new policy keeps the business time each clock has used (conversation-sla.ts applyPlan).
        applyPlan(book, priority ? planFor(priority) : book.sla);
        break;
      }
    }
  }
  advance(limit);
  return incidents;
}

/** The warnings and breaches the log recorded (what happened). */
export function recordedSla(events: readonly RecordedEvent[], until: Date): SlaIncident[] {
  return events.flatMap((event) => {
    const type = typeOf(event);
    if ((type !== 'sla.warning' && type !== 'sla.breached') || Date.parse(event.occurredAt) > until.getTime()) return [];
    const metric = event.payload.metric;
    if (!(metrics as readonly unknown[]).includes(metric)) return [];
    const at = typeof event.payload.dueAt === 'string' ? event.payload.dueAt : event.occurredAt;
    return [{ metric: metric as SlaMetric, kind: type === 'sla.warning' ? 'warning' : 'breached', at } satisfies SlaIncident];
  });
}

/** A side of the comparison: how many conversations had a breach or a warning, which, and the compliance shares. */
export interface SlaSummary {
  conversations: number;
  breached: { count: number; conversationIds: string[] };
  warned: { count: number; conversationIds: string[] };
  /** Share of conversations whose first response (resolution) target was not breached; null with no conversations. */
  firstResponseCompliance: number | null;
  resolutionCompliance: number | null;
}

export function summarizeSla(outcomes: readonly { conversationId: string; incidents: readonly SlaIncident[] }[]): SlaSummary {
  const having = (match: (incident: SlaIncident) => boolean) =>
    outcomes.filter((outcome) => outcome.incidents.some(match)).map((outcome) => outcome.conversationId);
  const breached = having((incident) => incident.kind === 'breached');
  const warned = having((incident) => incident.kind === 'warning');
  const compliance = (metric: SlaMetric) =>
    outcomes.length === 0 ? null : 1 - having((incident) => incident.kind === 'breached' && incident.metric === metric).length / outcomes.length;
  return {
    conversations: outcomes.length,
    breached: { count: breached.length, conversationIds: breached },
    warned: { count: warned.length, conversationIds: warned },
    firstResponseCompliance: compliance('first_response'),
    resolutionCompliance: compliance('resolution'),
  };
}

/** What happened and what would have, for each conversation and in sum. */
export function compareSla(
  conversations: readonly { id: string; events: readonly RecordedEvent[] }[],
  planFor: PlanFor,
  until: Date,
): { actual: SlaSummary; whatIf: SlaSummary; changed: string[] } {
  const actual = conversations.map((conversation) => ({ conversationId: conversation.id, incidents: recordedSla(conversation.events, until) }));
  const whatIf = conversations.map((conversation) => ({ conversationId: conversation.id, incidents: replaySla(conversation.events, planFor, until) }));
  const key = (incidents: readonly SlaIncident[]) =>
    incidents
      .map((incident) => `${incident.metric}:${incident.kind}`)
      .sort()
      .join(',');
  const changed = conversations.filter((_, index) => key(actual[index]!.incidents) !== key(whatIf[index]!.incidents)).map((conversation) => conversation.id);
  return { actual: summarizeSla(actual), whatIf: summarizeSla(whatIf), changed };
}
