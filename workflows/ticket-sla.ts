// SLA bookkeeping of the ticket workflow: one resolution clock in business time that runs while
// the ticket is new or open, pauses while pending or on hold, and stops once solved (a reopen
// resumes it with the time it had used). Pure functions over the state, the time passed in.
import { resolutionClockIn } from '../domain/ticket-flow.js';
import { clockDueAt, clockStatus, pauseClock, resumeClock, startClock } from '../domain/sla-clock.js';
import type { SlaState } from '../domain/vocabulary.js';
import type { SlaPlan } from '../domain/sla-plan.js';
import type { TicketState } from './ticket.messages.js';

export interface DueTicketSlaEvent {
  metric: 'resolution';
  kind: 'warning' | 'breached';
  dueAt: string;
}

/** Makes the clock match the status: counting in new/open, banked otherwise. */
export function syncResolutionClock(state: TicketState, at: Date): void {
  const clock = state.resolution;
  if (!clock || !state.sla) return;
  state.resolution = resolutionClockIn(state.status) === 'running' ? resumeClock(clock, at) : pauseClock(clock, at, state.sla.calendar);
}

/**
 * A new policy (the priority changed): the clock keeps the business time it has used. A ticket
 * that had no policy starts its clock now.
 */
export function applyTicketPlan(state: TicketState, plan: SlaPlan | null, at: Date): void {
  state.sla = plan;
  if (!plan) {
    state.resolution = null;
    state.reported = null;
    return;
  }
  state.resolution = state.resolution ? { ...state.resolution, targetMinutes: plan.resolutionMinutes } : startClock('resolution', plan.resolutionMinutes, at);
  syncResolutionClock(state, at);
}

/** The ticket's SLA state. Once solved the clock is stopped: it shows how it ended, not 'paused'. */
export function ticketSlaStateAt(state: TicketState, at: Date): SlaState {
  if (!state.sla || !state.resolution) return 'none';
  const status = clockStatus(state.resolution, at, state.sla.warningPercent, state.sla.calendar);
  return status === 'paused' && resolutionClockIn(state.status) === 'stopped' ? 'ok' : status;
}

/** Warning and breach instants not yet recorded, while the clock runs. */
function pendingEvents(state: TicketState): DueTicketSlaEvent[] {
  const clock = state.resolution;
  if (!state.sla || !clock) return [];
  const { calendar, warningPercent } = state.sla;
  const events: DueTicketSlaEvent[] = [];
  if (state.reported === null) {
    const at = clockDueAt(clock, warningPercent / 100, calendar);
    if (at) events.push({ metric: 'resolution', kind: 'warning', dueAt: at.toISOString() });
  }
  if (state.reported !== 'breached') {
    const at = clockDueAt(clock, 1, calendar);
    if (at) events.push({ metric: 'resolution', kind: 'breached', dueAt: at.toISOString() });
  }
  return events;
}

/** SLA events whose instant has come, warning first (both may be due at once). */
export function dueTicketSlaEvents(state: TicketState, now: Date): DueTicketSlaEvent[] {
  return pendingEvents(state).filter((event) => Date.parse(event.dueAt) <= now.getTime());
}

/** The next SLA instant in the future, for the workflow's timer; null when none is pending. */
export function nextTicketSlaInstant(state: TicketState, now: Date): number | null {
  const next = pendingEvents(state).find((event) => Date.parse(event.dueAt) > now.getTime());
  return next ? Date.parse(next.dueAt) : null;
}

/** When the resolution target is breached if the clock keeps running; null while it does not run. */
export function resolutionDueAt(state: TicketState): string | null {
  if (!state.sla || !state.resolution) return null;
  return clockDueAt(state.resolution, 1, state.sla.calendar)?.toISOString() ?? null;
}
