// SLA bookkeeping of the conversation workflow: which clocks run, when the next SLA event is due
// and which events are due now. Pure functions over the workflow state (the time is passed in),
// so the workflow file stays about lifecycle and the rules here can be read in one place. Starting,
// stopping, pausing, resuming and re-planning clocks, the SLA state and the due dates are
// domain/sla-bookkeeping.ts's (the what-if replay and the first run's activity use the same),
// re-exported here.
import { clockDueAt, type SlaMetric } from '../domain/sla-clock.js';
import type { ConversationState } from './conversation.messages.js';

export {
  applyPlan,
  dueDatesOf as dueDates,
  pauseMetric,
  resumeMetric,
  slaStateOf as slaStateAt,
  startConversationClocks,
  startMetric,
  stopMetric,
} from '../domain/sla-bookkeeping.js';

export interface DueSlaEvent {
  metric: SlaMetric;
  kind: 'warning' | 'breached';
  dueAt: string;
}

/** Warning and breach instants not yet recorded, of the running clocks. */
function pendingEvents(state: ConversationState): DueSlaEvent[] {
  if (!state.sla) return [];
  const { calendar, warningPercent } = state.sla;
  const events: DueSlaEvent[] = [];
  for (const clock of state.clocks) {
    const reported = state.reported[clock.metric];
    if (reported !== 'warning' && reported !== 'breached') {
      const at = clockDueAt(clock, warningPercent / 100, calendar);
      if (at) events.push({ metric: clock.metric, kind: 'warning', dueAt: at.toISOString() });
    }
    if (reported !== 'breached') {
      const at = clockDueAt(clock, 1, calendar);
      if (at) events.push({ metric: clock.metric, kind: 'breached', dueAt: at.toISOString() });
    }
  }
  return events.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/** SLA events whose instant has come, oldest first (a warning and its breach may both be due). */
export function dueSlaEvents(state: ConversationState, now: Date): DueSlaEvent[] {
  return pendingEvents(state).filter((event) => Date.parse(event.dueAt) <= now.getTime());
}

/** The next SLA instant in the future, for the workflow's timer; null when none is pending. */
export function nextSlaInstant(state: ConversationState, now: Date): number | null {
  const next = pendingEvents(state).find((event) => Date.parse(event.dueAt) > now.getTime());
  return next ? Date.parse(next.dueAt) : null;
}
