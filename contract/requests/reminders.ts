// Agent reminders (issue 22): the request bodies of /api/conversations/:id/reminders. The time is
// an instant with its offset (the console's quick choices are worked out in the agent's zone); the
// server refuses one in the past or more than a year ahead (reminder-service.ts).
import { z } from 'zod';

/** POST /api/conversations/:id/reminders */
export const setReminderBody = z.strictObject({
  dueAt: z.iso.datetime({ offset: true }),
  note: z.string().trim().min(1).max(500).optional(),
});

/** POST /api/conversations/:id/callbacks: when to call the customer back, and the missed call it answers (optional). */
export const scheduleCallbackBody = z.strictObject({
  dueAt: z.iso.datetime({ offset: true }),
  callId: z.uuid().optional(),
});

/** How far ahead a visitor may ask to be called back: a week. */
export const maxCustomerCallbackAheadMs = 7 * 24 * 60 * 60 * 1000;

/** POST /api/widget/conversations/:id/callbacks: when to be called back; absent, as soon as possible (now). */
export const requestCallbackBody = z.strictObject({
  dueAt: z.iso.datetime({ offset: true }).optional(),
});
