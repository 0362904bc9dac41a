// The visitor's "Call me back" after a missed call (issue 24): POST /api/widget/conversations/:id/callbacks
// as soon as possible or in an hour or two, then the promise as they read it: "We'll call you back
// at 14:30" in their language and time zone, or "shortly". The answer is kept on this device per
// conversation, so the line is there again after a reload (the call-back's own events are agents' only).
import type { Translate } from '../i18n/create-i18n';

/** The choices offered, in minutes from now; 0: as soon as possible (no time sent). */
export const callbackChoices = [0, 60, 120] as const;
export type CallbackChoice = (typeof callbackChoices)[number];

export interface PromisedCallback {
  dueAt: string;
  /** Asked for as soon as possible: no time is promised. */
  asap: boolean;
}

/** How long after its time the line stays: by then the agent has called, or the customer asks again. */
const shownForMs = 60 * 60 * 1000;

export const callbackStorageKey = (conversationId: string) => `seamless.visitor.callback.${conversationId}`;

/** The request's body for a choice. */
export function callbackBody(choice: CallbackChoice, now = Date.now()): { dueAt?: string } {
  return choice === 0 ? {} : { dueAt: new Date(now + choice * 60 * 1000).toISOString() };
}

/** A stored promise still worth showing, or null (none, unreadable, or long past). */
export function promisedCallback(stored: string | null, now = Date.now()): PromisedCallback | null {
  if (!stored) return null;
  try {
    const promised = JSON.parse(stored) as PromisedCallback;
    return Date.parse(promised.dueAt) + shownForMs > now ? promised : null;
  } catch {
    return null;
  }
}

/** "We'll call you back at 14:30" (the 24-hour time in the visitor's zone) or "We'll call you back shortly". */
export function callbackLine(promised: PromisedCallback, t: Translate, locale: string, timeZone: string): string {
  if (promised.asap) return t('calls.callbackShortly');
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(promised.dueAt));
  return t('calls.callbackAt', { time });
}
