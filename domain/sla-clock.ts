// One SLA target as a pausable clock that runs in business time. The value is plain JSON
// (ISO strings, no Date) because it travels through Temporal payloads; the clock keeps only
// what it has consumed and since when it runs, so pausing and resuming never need history.

import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from './business-hours.js';

/** Which reply or outcome the target is about. */
export type SlaMetric = 'first_response' | 'next_response' | 'resolution';

/** Business minutes consumed so far, and since when it is running (null while paused). */
export interface SlaClock {
  metric: SlaMetric;
  targetMinutes: number;
  consumedMinutes: number;
  /** ISO instant the current run began; null while paused. */
  runningSince: string | null;
}

/** A running clock with nothing consumed. */
export function startClock(metric: SlaMetric, targetMinutes: number, at: Date): SlaClock {
  if (!Number.isFinite(targetMinutes) || targetMinutes < 0) {
    throw new RangeError(`targetMinutes must be a finite number >= 0, got ${targetMinutes}`);
  }
  return { metric, targetMinutes, consumedMinutes: 0, runningSince: at.toISOString() };
}

/** Stops the clock at `at`, banking the business minutes of the run; a paused clock is returned unchanged. */
export function pauseClock(clock: SlaClock, at: Date, calendar: BusinessCalendar | null): SlaClock {
  if (clock.runningSince === null) return clock;
  const ran = businessMinutesBetween(new Date(clock.runningSince), at, calendar);
  return { ...clock, consumedMinutes: clock.consumedMinutes + ran, runningSince: null };
}

/** Starts the clock again from `at`; a running clock is returned unchanged (its run is not reset). */
export function resumeClock(clock: SlaClock, at: Date): SlaClock {
  if (clock.runningSince !== null) return clock;
  return { ...clock, runningSince: at.toISOString() };
}

/**
 * When the clock reaches `share` of its target (0.8 = 80 %; above 1 is allowed, for escalations)
 * if it keeps running; null while paused. A share reached during the current run gives the
 * instant it happened, even if that is in the past. A share already reached before this run
 * began gives `runningSince`: the clock keeps no history, and that is the earliest instant
 * known to be past it (a timer set for it fires at once). Throws, like addBusinessMinutes,
 * when the calendar never opens.
 */
export function clockDueAt(clock: SlaClock, share: number, calendar: BusinessCalendar | null): Date | null {
  if (!Number.isFinite(share) || share < 0) throw new RangeError(`share must be a finite number >= 0, got ${share}`);
  if (clock.runningSince === null) return null;
  const since = new Date(clock.runningSince);
  const remaining = clock.targetMinutes * share - clock.consumedMinutes;
  // Not addBusinessMinutes(since, 0): that would move an already-reached share to the next opening.
  if (remaining <= 0) return since;
  return addBusinessMinutes(since, remaining, calendar);
}

/** How a clock stands: paused only when it is neither breached nor in warning. */
export type SlaStatus = 'ok' | 'warning' | 'breached' | 'paused';

/**
 * The status at `at`: breached when consumed (incl. running time) >= target, warning when >=
 * warningPercent/100 of it, paused when not running and not breached/warning.
 */
export function clockStatus(clock: SlaClock, at: Date, warningPercent: number, calendar: BusinessCalendar | null): SlaStatus {
  const running = clock.runningSince === null ? 0 : businessMinutesBetween(new Date(clock.runningSince), at, calendar);
  const consumed = clock.consumedMinutes + running;
  if (consumed >= clock.targetMinutes) return 'breached';
  if (consumed >= (clock.targetMinutes * warningPercent) / 100) return 'warning';
  return clock.runningSince === null ? 'paused' : 'ok';
}

const severity: Record<SlaStatus, number> = { paused: 0, ok: 1, warning: 2, breached: 3 };

/** Worst of several clock statuses (breached > warning > ok > paused); 'none' for an empty list. */
export function worstStatus(statuses: readonly SlaStatus[]): SlaStatus | 'none' {
  let worst: SlaStatus | 'none' = 'none';
  for (const status of statuses) {
    if (worst === 'none' || severity[status] > severity[worst]) worst = status;
  }
  return worst;
}
