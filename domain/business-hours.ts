// Business-time arithmetic: SLA targets count only the minutes a team is open. Opening hours
// are wall-clock times in the calendar's time zone, so luxon turns them into instants (time
// zones and DST); nothing here reads the clock, so it runs in the workflow sandbox and the
// browser alike.
//
// How wall-clock hours meet DST:
// - An interval is counted between the instants its local open and close times denote, so an
//   interval containing the spring-forward jump is one hour shorter and one containing the
//   fall-back hour one hour longer; a 09:00-18:00 day with the change at night is unaffected.
// - A local time that does not exist (the skipped hour) is shifted forward by the size of the
//   gap, as luxon does: in Europe/London on 2026-03-29, 01:30 means 02:30 BST (01:30 UTC).
// - A local time that exists twice (the repeated hour) is the instant luxon picks: for
//   Europe/London and America/New_York, the second occurrence (standard time).
// - An interval's close is counted at the wall-clock close, so adding exactly the minutes left
//   in the day ends at the closing time itself (17:00 + 60 min in 09:00-18:00 is 18:00 that day).

import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * One opening interval in the calendar's time zone: day 0-6 (0 = Sunday), "HH:MM" local times.
 * close <= open means the interval runs overnight into the next day (e.g. Fri 22:00 → Sat 06:00);
 * close "24:00" means midnight at the end of the day.
 */
export interface OpeningInterval {
  day: number;
  open: string;
  close: string;
}

/** Weekly opening hours in one time zone, minus holidays. */
export interface BusinessCalendar {
  /** IANA zone, e.g. 'Europe/London', 'Asia/Shanghai'. */
  timeZone: string;
  weekly: readonly OpeningInterval[];
  /** Local dates 'YYYY-MM-DD' on which no time is business time. */
  holidays: readonly string[];
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const MINUTES_PER_DAY = 1440;
/** A calendar that does not open for this long never opens (it has no hours, or only holidays). */
const MAX_DAYS_WITHOUT_OPENING = 3 * 366;
/**
 * Longer spans are refused rather than scanned: no SLA runs for decades, and a long scan would
 * stall a workflow task (Temporal flags a task that runs for 2 s as a deadlock).
 */
const MAX_SCAN_DAYS = 20 * 366;
/** No zone is further ahead of UTC than +14:00; used to stop scanning without asking luxon. */
const MAX_UTC_OFFSET_MS = 15 * 3_600_000;

const openTimePattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const closeTimePattern = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** An interval as minutes since local midnight; close 1440 is "24:00", close <= open is overnight. */
interface Span {
  open: number;
  close: number;
}

interface CompiledCalendar {
  /** Identifies the calendar's content (compiledCache's key). */
  key: string;
  zone: IANAZone;
  /** Index 0 = Sunday, like OpeningInterval.day and Date#getUTCDay. */
  byWeekday: Span[][];
  holidays: ReadonlySet<string>;
  neverOpen: boolean;
  /** Each local date's windows (UTC midnight of the date → windows), see cachedWindowsOpeningOn. */
  windows: Map<number, Window[]>;
}

/** An opening as instants (ms since the epoch), end exclusive. */
interface Window {
  start: number;
  end: number;
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

const compiledCache = new Map<string, CompiledCalendar>();
/**
 * The same calendar object is asked about again and again (a replay runs thousands of clocks on
 * one plan): remembered by identity first, so the content key (JSON) is built once per object.
 * Calendars are plain values nobody mutates after loading.
 */
const compiledByObject = new WeakMap<BusinessCalendar, CompiledCalendar>();

/** Compiles once per distinct calendar (checking a zone builds an Intl formatter: slow). */
function compile(calendar: BusinessCalendar): CompiledCalendar {
  const known = compiledByObject.get(calendar);
  if (known) return known;
  const key = JSON.stringify([calendar.timeZone, calendar.weekly, calendar.holidays]);
  let compiled = compiledCache.get(key);
  if (!compiled) {
    if (compiledCache.size >= 1000) compiledCache.clear();
    compiled = compileUncached(calendar, key);
    compiledCache.set(key, compiled);
  }
  compiledByObject.set(calendar, compiled);
  return compiled;
}

/** Checks a calendar that did not come through parseBusinessCalendar (types prove no zone is real). */
function compileUncached(calendar: BusinessCalendar, key: string): CompiledCalendar {
  if (!isKnownZone(calendar.timeZone)) {
    throw new Error(`Business calendar: unknown time zone '${calendar.timeZone}'`);
  }
  const byWeekday: Span[][] = [[], [], [], [], [], [], []];
  for (const interval of calendar.weekly) {
    const { day, open, close } = interval;
    if (!Number.isInteger(day) || day < 0 || day > 6 || !openTimePattern.test(open) || !closeTimePattern.test(close)) {
      throw new Error(`Business calendar: invalid opening interval ${JSON.stringify(interval)}`);
    }
    byWeekday[day]?.push({ open: minutesOf(open), close: minutesOf(close) });
  }
  return {
    key,
    zone: IANAZone.create(calendar.timeZone),
    byWeekday,
    holidays: new Set(calendar.holidays),
    neverOpen: calendar.weekly.length === 0,
    windows: new Map(),
  };
}

// Local calendar dates are carried as the UTC midnight of that date (ms): plain arithmetic
// steps through days, and getUTCDay gives the weekday, with no time zone involved.

/**
 * Each zone's local midnights (local date → instant), shared by every calendar in the zone:
 * asking luxon for a zone's offset formats a date through Intl, the cost of business-time
 * arithmetic, and the same few hundred days come back again and again.
 */
const midnightCache = new Map<string, Map<number, number>>();
const midnightCacheLimit = 20_000;

function midnightOf(date: number, zone: IANAZone): number {
  let byDate = midnightCache.get(zone.name);
  if (!byDate) {
    byDate = new Map();
    midnightCache.set(zone.name, byDate);
  }
  let instant = byDate.get(date);
  if (instant === undefined) {
    if (byDate.size >= midnightCacheLimit) byDate.clear();
    instant = instantAt(date, 0, zone);
    byDate.set(date, instant);
  }
  return instant;
}

/**
 * The local date of an instant. From the cached midnights when the instant lies in a day of
 * exactly 24 hours (no offset change that day, so local time is the instant plus one offset);
 * a day with a DST change, or a midnight that is skipped or repeated, asks luxon.
 */
function localDateOf(instant: number, zone: IANAZone): number {
  const utcDate = instant - (((instant % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
  for (let date = utcDate + MS_PER_DAY; date >= utcDate - MS_PER_DAY; date -= MS_PER_DAY) {
    const start = midnightOf(date, zone);
    if (start > instant) continue;
    const next = midnightOf(date + MS_PER_DAY, zone);
    if (next > instant && next - start === MS_PER_DAY) return date;
    break;
  }
  const local = DateTime.fromMillis(instant, { zone });
  return Date.UTC(local.year, local.month - 1, local.day);
}

/** The instant of a wall-clock time on a local date; a skipped time moves forward (luxon). */
function instantAt(date: number, minutes: number, zone: IANAZone): number {
  if (minutes >= MINUTES_PER_DAY) return instantAt(date + MS_PER_DAY, minutes - MINUTES_PER_DAY, zone);
  const civil = new Date(date);
  return DateTime.fromObject(
    {
      year: civil.getUTCFullYear(),
      month: civil.getUTCMonth() + 1,
      day: civil.getUTCDate(),
      hour: Math.floor(minutes / 60),
      minute: minutes % 60,
    },
    { zone },
  ).toMillis();
}

const isoDate = (date: number) => new Date(date).toISOString().slice(0, 10);
const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);

/**
 * The business time of the intervals that open on one local date, sorted by start. An overnight
 * interval is split at local midnight so a holiday on either date removes only its own part.
 * Every piece starts between this date's midnight and the next (clamped, so a skipped time near
 * midnight cannot reorder days), which lets openWindows stream days in order.
 */
function windowsOpeningOn(calendar: CompiledCalendar, date: number, midnight: (date: number) => number): Window[] {
  const spans = calendar.byWeekday[new Date(date).getUTCDay()] ?? [];
  if (spans.length === 0) return [];
  const { zone } = calendar;
  const nextDate = date + MS_PER_DAY;
  const dayStart = midnight(date);
  const nextStart = midnight(nextDate);
  const afterNextStart = midnight(nextDate + MS_PER_DAY);
  const todayOff = calendar.holidays.has(isoDate(date));
  const tomorrowOff = calendar.holidays.has(isoDate(nextDate));

  const windows: Window[] = [];
  for (const { open, close } of spans) {
    const opensAt = clamp(instantAt(date, open, zone), dayStart, nextStart);
    if (close > open) {
      if (!todayOff) windows.push({ start: opensAt, end: clamp(instantAt(date, close, zone), dayStart, nextStart) });
    } else {
      if (!todayOff) windows.push({ start: opensAt, end: nextStart });
      if (!tomorrowOff) windows.push({ start: nextStart, end: clamp(instantAt(nextDate, close, zone), nextStart, afterNextStart) });
    }
  }
  return windows.filter((window) => window.end > window.start).sort((a, b) => a.start - b.start);
}

/**
 * A day's windows depend only on the calendar and the date, and computing them (time-zone
 * conversions) is the expensive part: SLA timers ask for the same few days again and again, so
 * they are remembered. Pure inputs, pure outputs — safe to share, also inside workflows.
 */
const windowCacheLimit = 10_000;

function cachedWindowsOpeningOn(calendar: CompiledCalendar, date: number): Window[] {
  let windows = calendar.windows.get(date);
  if (!windows) {
    if (calendar.windows.size >= windowCacheLimit) calendar.windows.clear();
    windows = windowsOpeningOn(calendar, date, (day) => midnightOf(day, calendar.zone));
    calendar.windows.set(date, windows);
  }
  return windows;
}

/**
 * The calendar's openings from `from` on, in order, disjoint (overlapping intervals count
 * once), clipped to start at `from` at the earliest. Stops before the local date whose midnight
 * is at or after `until`, or when the calendar has not opened for ~3 years (it never will).
 */
function* openWindows(calendar: CompiledCalendar, from: number, until = Number.POSITIVE_INFINITY): Generator<Window> {
  if (calendar.neverOpen) return;
  // From the day before: an overnight interval that opened yesterday may still be running.
  let date = localDateOf(from, calendar.zone) - MS_PER_DAY;
  let covered = from;
  let daysWithoutOpening = 0;
  for (let scanned = 0; ; scanned += 1) {
    if (date - MAX_UTC_OFFSET_MS >= until) return;
    if (scanned > MAX_SCAN_DAYS) {
      throw new RangeError(`Business-time arithmetic over more than ${MAX_SCAN_DAYS} days from ${new Date(from).toISOString()} is not supported`);
    }
    let opened = false;
    for (const window of cachedWindowsOpeningOn(calendar, date)) {
      const start = Math.max(window.start, covered);
      if (window.end > start) {
        if (start >= until) return;
        yield { start, end: window.end };
        covered = window.end;
        opened = true;
      }
    }
    daysWithoutOpening = opened ? 0 : daysWithoutOpening + 1;
    if (daysWithoutOpening > MAX_DAYS_WITHOUT_OPENING) return;
    date += MS_PER_DAY;
  }
}

function timeOf(value: Date, name: string): number {
  const time = value.getTime();
  if (Number.isNaN(time)) throw new RangeError(`${name} is not a valid date`);
  return time;
}

/**
 * The instant `minutes` business minutes after `start` (null calendar: 24/7). Counting starts
 * at the next opening when `start` is outside hours, so 0 minutes gives nextBusinessTime(start);
 * a result that uses up a day's hours exactly is that day's closing time. Minutes may be
 * fractional; the result is rounded to the millisecond. Throws when the calendar never opens.
 */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar | null): Date {
  const from = timeOf(start, 'start');
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be a finite number >= 0, got ${minutes}`);
  if (calendar === null) return new Date(Math.round(from + minutes * MS_PER_MINUTE));

  let remaining = minutes * MS_PER_MINUTE;
  for (const window of openWindows(compile(calendar), from)) {
    const length = window.end - window.start;
    if (remaining <= length) return new Date(Math.round(window.start + remaining));
    remaining -= length;
  }
  throw new Error(
    `Business calendar (${calendar.timeZone}) has no opening hours within ${MAX_DAYS_WITHOUT_OPENING} days: ` +
      `cannot add ${minutes} business minutes to ${start.toISOString()}`,
  );
}

/** Business minutes in [from, to) (null calendar: 24/7); 0 when to <= from; fractional to the millisecond. */
export function businessMinutesBetween(from: Date, to: Date, calendar: BusinessCalendar | null): number {
  const start = timeOf(from, 'from');
  const end = timeOf(to, 'to');
  if (end <= start) return 0;
  if (calendar === null) return (end - start) / MS_PER_MINUTE;

  let total = 0;
  for (const window of openWindows(compile(calendar), start, end)) {
    total += Math.min(window.end, end) - window.start;
  }
  return total / MS_PER_MINUTE;
}

/** True when `at` is inside the calendar's opening hours (null calendar: always). */
export function isBusinessTime(at: Date, calendar: BusinessCalendar | null): boolean {
  const instant = timeOf(at, 'at');
  if (calendar === null) return true;
  const first = openWindows(compile(calendar), instant).next();
  return !first.done && first.value.start === instant;
}

/** The first business instant at or after `at` (`at` itself when open); null when the calendar never opens. */
export function nextBusinessTime(at: Date, calendar: BusinessCalendar | null): Date | null {
  const instant = timeOf(at, 'at');
  if (calendar === null) return new Date(instant);
  const first = openWindows(compile(calendar), instant).next();
  return first.done ? null : new Date(first.value.start);
}

const isRealDate = (value: string) => {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
};

const businessCalendarSchema = z.object({
  timeZone: z.string().refine(isKnownZone, 'must be a valid IANA time zone, e.g. Europe/London'),
  weekly: z.array(
    z.object({
      day: z.number().int().min(0, 'must be 0-6 (0 = Sunday)').max(6, 'must be 0-6 (0 = Sunday)'),
      open: z.string().regex(openTimePattern, 'must be a local time HH:MM between 00:00 and 23:59'),
      close: z.string().regex(closeTimePattern, 'must be a local time HH:MM between 00:00 and 24:00'),
    }),
  ),
  holidays: z.array(z.string().regex(datePattern, 'must be a local date YYYY-MM-DD').refine(isRealDate, 'must be a real calendar date')),
});

/** `weekly[2].open` for an issue path; `calendar` for the value itself. */
function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'calendar';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** A BusinessCalendar from untrusted input (settings, API bodies); throws an Error naming each bad field. */
export function parseBusinessCalendar(value: unknown): BusinessCalendar {
  const result = businessCalendarSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${fieldName(issue.path)}: ${issue.message}`);
  throw new Error(`Invalid business calendar: ${problems.join('; ')}`);
}

/** The local date 'YYYY-MM-DD' of an instant in an IANA zone (the cached path business-time arithmetic uses). */
export function localDateIn(at: Date, timeZone: string): string {
  let zone = zones.get(timeZone);
  if (!zone) {
    if (!isKnownZone(timeZone)) throw new Error(`unknown time zone '${timeZone}'`);
    zone = IANAZone.create(timeZone);
    zones.set(timeZone, zone);
  }
  return isoDate(localDateOf(timeOf(at, 'at'), zone));
}
const zones = new Map<string, IANAZone>();
const knownZones = new Map<string, boolean>();

/**
 * Whether `zone` is an IANA time zone, remembered: luxon asks Intl by building a DateTimeFormat
 * each time, and every SLA plan the worker makes parses its calendar (the worker's profile had it
 * at ~1 ms per routed conversation). Bounded: a refused name is remembered too.
 */
export function isKnownZone(zone: string): boolean {
  let known = knownZones.get(zone);
  if (known === undefined) {
    if (knownZones.size >= 1000) knownZones.clear();
    known = IANAZone.isValidZone(zone);
    knownZones.set(zone, known);
  }
  return known;
}
