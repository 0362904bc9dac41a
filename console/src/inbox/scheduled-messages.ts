// Scheduled messages in the console (issue 22): the calls (api/routes/scheduled-message-routes.ts)
// and the pure rules the composer and the list follow. A time is chosen as for a snooze (tomorrow
// or Monday at 9:00, or a chosen date and time) in the agent's time zone, shown with the list.
import type { ScheduledMessageView } from '../../../contract/scheduled-messages';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';
import { snoozeUntil } from './conversation-actions';

export type { ScheduledMessageView };

export const scheduleChoices = ['tomorrow', 'nextWeek', 'custom'] as const;
export type ScheduleChoice = (typeof scheduleChoices)[number];

/** The send time of a choice as an ISO instant, or undefined when a chosen time is missing or past. */
export function scheduleAt(choice: ScheduleChoice, now: Date, timeZone: string, custom = ''): string | undefined {
  return snoozeUntil(choice, now, timeZone, custom) ?? undefined;
}

/** What the conversation shows: the pending ones by send time, then the failed ones (sent and cancelled are history). */
export function shownScheduled(list: readonly ScheduledMessageView[]): ScheduledMessageView[] {
  const rank = (entry: ScheduledMessageView) => (entry.status === 'pending' ? 0 : 1);
  return list
    .filter((entry) => entry.status === 'pending' || entry.status === 'failed')
    .sort((a, b) => rank(a) - rank(b) || a.sendAt.localeCompare(b.sendAt) || a.id.localeCompare(b.id));
}

/** The list with one entry added or replaced (a live event or an answer of ours). */
export function withScheduled(list: readonly ScheduledMessageView[], entry: ScheduledMessageView): ScheduledMessageView[] {
  return [...list.filter((other) => other.id !== entry.id), entry];
}

export interface ScheduledMessagesApi {
  list(conversationId: string): Promise<{ scheduledMessages: ScheduledMessageView[] }>;
  schedule(conversationId: string, input: { body: string; sendAt: string }): Promise<{ scheduledMessage: ScheduledMessageView }>;
  edit(id: string, input: { body?: string; sendAt?: string }): Promise<{ scheduledMessage: ScheduledMessageView }>;
  cancel(id: string): Promise<{ scheduledMessage: ScheduledMessageView }>;
}

export function createScheduledMessagesApi(request: HttpClient): ScheduledMessagesApi {
  const id = encodeURIComponent;
  return {
    list: (conversationId) => request('GET', `/api/conversations/${id(conversationId)}/scheduled-messages`),
    schedule: (conversationId, input) => request('POST', `/api/conversations/${id(conversationId)}/scheduled-messages`, { body: input }),
    edit: (scheduledId, input) => request('PATCH', `/api/scheduled-messages/${id(scheduledId)}`, { body: input }),
    cancel: (scheduledId) => request('POST', `/api/scheduled-messages/${id(scheduledId)}/cancel`, { body: {} }),
  };
}

export const scheduledMessagesApi = createScheduledMessagesApi(sessionRequest);
