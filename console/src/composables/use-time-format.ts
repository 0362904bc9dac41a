// Timestamps in the user's language and time zone (i18n/i18n.ts): short for lists, with the
// date when not today for messages, in full for tooltips. No date gives no text.
import { dateLocale, timeZone } from '../i18n/i18n';
import { formatFullTime, formatListTime, formatMessageTime } from '../shared/time-format';

type Instant = string | null | undefined;

export function useTimeFormat() {
  return {
    listTime: (iso: Instant) => (iso ? formatListTime(iso, dateLocale.value, { timeZone: timeZone.value }) : ''),
    messageTime: (iso: Instant) => (iso ? formatMessageTime(iso, dateLocale.value, { timeZone: timeZone.value }) : ''),
    fullTime: (iso: Instant) => (iso ? formatFullTime(iso, dateLocale.value, { timeZone: timeZone.value }) : ''),
  };
}
