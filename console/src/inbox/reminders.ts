// Agent reminders in the console (issue 22): the calls (api/routes/reminder-routes.ts) and the
// quick choices — in an hour, tomorrow or Monday at 9:00, or a chosen date and time, in the
// agent's time zone (the snooze menu's rules).
import type { ReminderKind, ReminderView } from '../../../contract/reminders';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';
import { snoozeUntil } from './conversation-actions';

export type { ReminderKind, ReminderView };

export const reminderChoices = ['oneHour', 'tomorrow', 'nextWeek', 'custom'] as const;
export type ReminderChoice = (typeof reminderChoices)[number];

/** The due time of a choice as an ISO instant, or undefined when a chosen time is missing or past. */
export function remindAt(choice: ReminderChoice, now: Date, timeZone: string, custom = ''): string | undefined {
  return snoozeUntil(choice, now, timeZone, custom) ?? undefined;
}

export interface RemindersApi {
  list(conversationId: string): Promise<{ reminders: ReminderView[] }>;
  set(conversationId: string, input: { dueAt: string; note?: string }): Promise<{ reminder: ReminderView }>;
  cancel(id: string): Promise<{ reminder: ReminderView }>;
  /** A call-back of the customer (issue 24): a reminder of kind callback. */
  callback(conversationId: string, input: { dueAt: string; callId?: string }): Promise<{ callback: ReminderView }>;
}

export function createRemindersApi(request: HttpClient): RemindersApi {
  const id = encodeURIComponent;
  return {
    list: (conversationId) => request('GET', `/api/conversations/${id(conversationId)}/reminders`),
    set: (conversationId, input) => request('POST', `/api/conversations/${id(conversationId)}/reminders`, { body: input }),
    cancel: (reminderId) => request('POST', `/api/reminders/${id(reminderId)}/cancel`, { body: {} }),
    callback: (conversationId, input) => request('POST', `/api/conversations/${id(conversationId)}/callbacks`, { body: input }),
  };
}

export const remindersApi = createRemindersApi(sessionRequest);
