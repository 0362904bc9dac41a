// An agent's reminder on a conversation (issue 22): the view the reminder routes answer with.
import { z } from 'zod';
import { reminderKinds, reminderStatuses, type CustomerCallbackView, type ReminderView } from '../../reminders.js';
import { id, tied, timestamp } from './support.js';

export const reminderViewSchema = tied<ReminderView>()(
  'Reminder',
  z.strictObject({
    id,
    conversationId: id,
    ownerId: id,
    dueAt: timestamp,
    note: z.string().nullable(),
    status: z.enum(reminderStatuses),
    kind: z.enum(reminderKinds),
    callId: id.nullable(),
    firedAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);

export const customerCallbackViewSchema = tied<CustomerCallbackView>()(
  'CustomerCallback',
  z.strictObject({ id, conversationId: id, dueAt: timestamp, status: z.enum(reminderStatuses) }),
);
