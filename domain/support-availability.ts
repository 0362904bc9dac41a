// Whether someone is at work to answer a widget visitor now (issue 21: "we usually reply …"),
// from the teams' business hours: open when any team is inside its hours (a team without hours
// works around the clock), else back at the earliest next opening of any of them.
import { isBusinessTime, nextBusinessTime, type BusinessCalendar } from './business-hours.js';

export interface SupportAvailability {
  open: boolean;
  /** Closed: when the first team opens again; null when open, or when no team's hours ever open. */
  backAt: Date | null;
}

/** `calendars`: each team's hours, null for a team without (24/7). No teams at all: open (nobody has set hours). */
export function supportAvailability(now: Date, calendars: readonly (BusinessCalendar | null)[]): SupportAvailability {
  if (calendars.length === 0 || calendars.some((calendar) => calendar === null || isBusinessTime(now, calendar))) return { open: true, backAt: null };
  const openings = calendars.flatMap((calendar) => nextBusinessTime(now, calendar) ?? []);
  const backAt = openings.reduce<Date | null>((earliest, at) => (earliest === null || at < earliest ? at : earliest), null);
  return { open: false, backAt };
}
