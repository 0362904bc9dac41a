// Field schemas the admin pages' bodies are made of (teams, business hours, SLA policies, canned
// responses): pure zod over domain/, so the console checks a form with the rules the API applies.
// They accept exactly what the domain and the workflows can run with — a calendar
// parseBusinessCalendar accepts, an escalation ladder the SLA activities know. (The time zone
// check needs luxon, so it stays with the API: api/admin-fields.ts.)
import { z } from 'zod';
import type { EscalationStep } from '../../domain/sla-plan.js';

export const name = z.string().trim().min(1).max(100);

/** Ids of rows the write points at; null clears the link. */
export const optionalId = z.uuid().nullable().optional();

const openTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM between 00:00 and 23:59');
const closeTime = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a local time HH:MM between 00:00 and 24:00');

/**
 * One opening interval, as domain/business-hours.ts reads it: close before open runs overnight
 * into the next day (Fri 22:00 → Sat 06:00), "24:00" is midnight at the end of the day. Equal
 * times would mean 24 hours from that time, which is almost always a typing slip: refused (a
 * whole day is 00:00-24:00).
 */
export const openingInterval = z
  .strictObject({
    day: z.int().min(0, 'must be 0-6 (0 = Sunday)').max(6, 'must be 0-6 (0 = Sunday)'),
    open: openTime,
    close: closeTime,
  })
  .refine((interval) => interval.open !== interval.close, { message: 'close must differ from open (use 00:00-24:00 for a whole day)', path: ['close'] });

/**
 * At least one interval: a calendar that never opens makes every SLA target unreachable (the
 * business-time arithmetic throws on it). Stored sorted by day and opening time.
 */
export const weekly = z
  .array(openingInterval)
  .min(1, 'must have at least one opening interval')
  .max(70)
  .transform((intervals) => [...intervals].sort((a, b) => a.day - b.day || a.open.localeCompare(b.open) || a.close.localeCompare(b.close)));

const isRealDate = (value: string) => {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
};

/** Local dates the calendar is closed on; stored sorted, each once. */
export const holidays = z
  .array(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a local date YYYY-MM-DD')
      .refine(isRealDate, 'must be a real calendar date'),
  )
  .max(1000)
  .transform((dates) => [...new Set(dates)].sort());

/** Whole minutes from 1 minute to 365 days (longer spans are refused by the SLA arithmetic's scan limit anyway). */
export const targetMinutes = z
  .int()
  .min(1)
  .max(365 * 24 * 60);

/** The share of a target after which the SLA turns to "warning". */
export const warningPercent = z.int().min(1).max(99);

/** Every step the workflows know; a missing or unknown key fails to compile. */
const knownEscalationActions: Record<EscalationStep['action'], true> = { notify: true, raise_priority: true, move_to_expert: true, reassign_to_lead: true };
const escalationActions = Object.keys(knownEscalationActions) as [EscalationStep['action'], ...EscalationStep['action'][]];

/**
 * The escalation ladder the SLA activities run in order on a breach (EscalationStep in
 * workflows/conversation.messages.ts). Each step runs at once after the previous, so repeating
 * one does nothing useful: refused.
 */
export const escalation = z
  .array(z.strictObject({ action: z.enum(escalationActions) }))
  .max(escalationActions.length)
  .refine((steps) => new Set(steps.map((step) => step.action)).size === steps.length, { message: 'must not repeat a step' })
  .transform((steps): EscalationStep[] => steps.map((step) => ({ action: step.action })));

/** What an agent types after "/" to insert a canned response. */
export const shortcut = z
  .string()
  .trim()
  .regex(/^[a-z0-9_-]{1,50}$/, 'must be 1-50 lower-case letters, digits, "-" or "_"');
