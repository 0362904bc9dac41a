// The widget's "we usually reply …" line (issue 21), from GET /api/widget/availability: inside a
// team's hours, a reply in minutes; outside them, when someone is back, as the visitor reads a
// weekday and a time: in their language and their own time zone.
import type { Translate } from '../i18n/create-i18n';

export interface SupportAvailability {
  open: boolean;
  backAt: string | null;
  /** Anyone online to take a chat now. */
  agentsOnline?: boolean;
  /** An email channel is on: outside hours, or with nobody online, the widget may offer its offline form (offline-form.ts). */
  offlineForm?: boolean;
}

/** "Monday 09:00", "星期一 09:00": the weekday and the 24-hour time of `at` in `timeZone`. */
export function weekdayAndTime(at: Date, locale: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(locale, { weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('hour')}:${part('minute')}`;
}

/** The line under the widget's title; the usual promise until the availability is known. */
export function replyExpectation(availability: SupportAvailability | null, t: Translate, locale: string, timeZone: string): string {
  if (!availability || availability.open) return t('widget.subtitle');
  if (!availability.backAt) return t('widget.replyLater');
  return t('widget.backAt', { when: weekdayAndTime(new Date(availability.backAt), locale, timeZone) });
}
