// Scheduled messages in the console (issue 22): the calls (api/routes/scheduled-message-routes.ts)
// and the pure rules the composer and the list follow. A time is chosen as for a snooze (tomorrow
// or Monday at 9:00, or a chosen date and time) in the agent's time zone, shown with the list.
import type { ScheduledMessageView } from '../../../contract/scheduled-messages';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';
import { snoozeUntil } from './conversation-actions';

export type { ScheduledMessageView };

export const scheduleChoices = ['tomorrow', 'nextWeek', 'custom'] as const;
/** The same quick choices at 9:00 in the customer's time zone (offered when it is known and not the agent's). */
export const customerScheduleChoices = ['customerTomorrow', 'customerNextWeek'] as const;
export type ScheduleChoice = (typeof scheduleChoices)[number] | (typeof customerScheduleChoices)[number];

/** The choices the Schedule… panel offers: the customer's-time ones first when their zone is known and differs from the agent's. */
export function scheduleChoicesFor(timeZone: string, customerTimeZone: string | null): readonly ScheduleChoice[] {
  return customerTimeZone && customerTimeZone !== timeZone ? [...customerScheduleChoices, ...scheduleChoices] : scheduleChoices;
}

/**
 * The send time of a choice as an ISO instant, or undefined when a chosen time is missing or past
 * (or a customer's-time choice without the customer's zone).
 */
export function scheduleAt(choice: ScheduleChoice, now: Date, timeZone: string, custom = '', customerTimeZone: string | null = null): string | undefined {
  if (choice === 'customerTomorrow' || choice === 'customerNextWeek')
    return customerTimeZone ? (snoozeUntil(choice === 'customerTomorrow' ? 'tomorrow' : 'nextWeek', now, customerTimeZone) ?? undefined) : undefined;
  return snoozeUntil(choice, now, timeZone, custom) ?? undefined;
}

/** An instant as the agent's clock shows it ("14:00"), with the weekday when that is another day than the customer's. */
export function agentClock(iso: string, timeZone: string, customerTimeZone: string, locale: string): string {
  const at = new Date(iso);
  const dayIn = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const sameDay = dayIn(timeZone) === dayIn(customerTimeZone);
  return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(sameDay ? {} : { weekday: 'short' }) }).format(
    at,
  );
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
