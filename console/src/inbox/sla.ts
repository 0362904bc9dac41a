// A conversation's SLA as the console shows it. The conversation view of the API carries no SLA
// state and no due dates (api/README.md, "Shapes"), so until it does the console learns them
// from the `sla.warning` / `sla.breached` events it sees live, per metric, and forgets a metric
// when the event log shows it was met (a public agent reply answers the customer) or stopped
// (the conversation was resolved or reopened). When the view does carry `slaState` and the due
// dates, those win: they are the workflow's own numbers.
import type { EventView } from '../../../domain/events';
import type { SlaMetric } from '../../../domain/sla-clock';
import type { SlaState } from '../../../domain/vocabulary';
import type { MessageKey } from '../i18n/messages-en';
import { isFinished, type ConversationView, type MessageView } from '../shared/wire-types';

export const slaMetrics: readonly SlaMetric[] = ['first_response', 'next_response', 'resolution'];

const isMetric = (value: unknown): value is SlaMetric => (slaMetrics as readonly unknown[]).includes(value);

/** What the live events said about each metric: the kind and the instant it happened. */
export type SlaTrack = Partial<Record<SlaMetric, { kind: 'warning' | 'breached'; at: string }>>;

/** The SLA event's conversation, metric and kind, or null for any other event (or a ticket's). */
export function slaEventOf(event: EventView): { conversationId: string; metric: SlaMetric; kind: 'warning' | 'breached'; at: string } | null {
  if (event.type !== 'sla.warning' && event.type !== 'sla.breached') return null;
  const { metric, dueAt } = event.payload as { metric?: unknown; dueAt?: unknown };
  if (!event.conversationId || !isMetric(metric)) return null;
  return {
    conversationId: event.conversationId,
    metric,
    kind: event.type === 'sla.warning' ? 'warning' : 'breached',
    at: typeof dueAt === 'string' ? dueAt : event.occurredAt,
  };
}

/** The track after an SLA event of its conversation; a warning never downgrades a breach. */
export function trackSlaEvent(track: SlaTrack | undefined, sla: NonNullable<ReturnType<typeof slaEventOf>>): SlaTrack {
  const known = track?.[sla.metric];
  if (known?.kind === 'breached' && sla.kind === 'warning') return track ?? {};
  return { ...track, [sla.metric]: { kind: sla.kind, at: sla.at } };
}

/** Metrics a message stops: a public agent reply answers the customer (first and next response). */
export function metricsMetBy(message: MessageView): SlaMetric[] {
  return message.authorKind === 'agent' && !message.private ? ['first_response', 'next_response'] : [];
}

/** Metrics a conversation event restarts or ends, whose earlier warnings no longer apply. */
export function metricsResetBy(eventType: string, conversation: ConversationView): readonly SlaMetric[] {
  if (isFinished(conversation.status)) return slaMetrics;
  if (eventType === 'conversation.reopened') return ['next_response', 'resolution'];
  return [];
}

export function withoutMetrics(track: SlaTrack | undefined, metrics: readonly SlaMetric[]): SlaTrack | undefined {
  if (!track || metrics.every((metric) => !(metric in track))) return track;
  const next = { ...track };
  for (const metric of metrics) delete next[metric];
  return Object.keys(next).length > 0 ? next : undefined;
}

export interface SlaStatus {
  state: SlaState;
  /** The nearest due date still ahead or passed (from the view's due dates); null when unknown. */
  dueAt: string | null;
  /** When the first missed target was missed, known from a `sla.breached` event. */
  breachedAt: string | null;
}

/** The SLA to show for a conversation; null when nothing is known (no state sent, no events seen). */
export function slaStatusOf(conversation: ConversationView, track: SlaTrack | undefined): SlaStatus | null {
  if (isFinished(conversation.status)) return null;
  if (conversation.slaState !== undefined) {
    const dues = [conversation.firstResponseDueAt, conversation.nextResponseDueAt, conversation.resolutionDueAt].filter(
      (due): due is string => typeof due === 'string',
    );
    dues.sort();
    return { state: conversation.slaState, dueAt: dues[0] ?? null, breachedAt: null };
  }
  const entries = Object.values(track ?? {});
  if (entries.length === 0) return null;
  const breaches = entries
    .filter((entry) => entry.kind === 'breached')
    .map((entry) => entry.at)
    .sort();
  return { state: breaches.length > 0 ? 'breached' : 'warning', dueAt: null, breachedAt: breaches[0] ?? null };
}

export function isAtRisk(status: SlaStatus | null): boolean {
  return status?.state === 'warning' || status?.state === 'breached';
}

/** The countdown line under the badge: time left to the due date, or time since it passed. */
export function slaCountdown(status: SlaStatus | null, now: Date): { key: 'sla.dueIn' | 'sla.overdue'; ms: number } | null {
  if (!status) return null;
  const due = status.dueAt ?? status.breachedAt;
  if (!due) return null;
  const ms = Date.parse(due) - now.getTime();
  if (Number.isNaN(ms)) return null;
  return ms > 0 ? { key: 'sla.dueIn', ms } : { key: 'sla.overdue', ms: -ms };
}

/** A short duration as a message key and its numbers: "2d 3h", "1h 05m", "12m", "less than a minute". */
export function durationParts(ms: number): { key: MessageKey; params: Record<string, string | number> } {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return { key: 'duration.underMinute', params: {} };
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return { key: 'duration.days', params: { d: days, h: hours } };
  if (hours > 0) return { key: 'duration.hours', params: { h: hours, m: String(minutes % 60).padStart(2, '0') } };
  return { key: 'duration.minutes', params: { m: minutes } };
}
