// Scheduled messages (issue 22): the request bodies of /api/conversations/:id/scheduled-messages
// and /api/scheduled-messages/:id. The send time is an instant with its offset; the server refuses
// one in the past or more than a year ahead (scheduled-message-service.ts).
import { z } from 'zod';
import { messageText } from './common.js';

const sendAt = z.iso.datetime({ offset: true });

/** POST /api/conversations/:id/scheduled-messages */
export const scheduleMessageBody = z.strictObject({ body: messageText, sendAt });

/** PATCH /api/scheduled-messages/:id: the text, the time or both. */
export const editScheduledMessageBody = z
  .strictObject({ body: messageText.optional(), sendAt: sendAt.optional() })
  .refine((edit) => edit.body !== undefined || edit.sendAt !== undefined, { message: 'Give body, sendAt or both.' });

/** GET /api/scheduled-messages: the pending ones in conversations the caller may see; `mine`: only the caller's own. */
export const scheduledMessageListQuery = z.strictObject({ mine: z.enum(['', 'true', 'false']).optional() });

/** The furthest ahead a message may be scheduled. */
export const maxScheduleAheadMs = 366 * 24 * 60 * 60 * 1000;
