// Short, locale-aware timestamps: "14:05" today, "Jan 3" earlier this year, "2024/1/3" before.
// `timeZone` is only passed by tests; the browser's own zone is used otherwise.

export interface TimeFormatOptions {
  now?: Date;
  timeZone?: string;
}

function dayKey(date: Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** For the inbox list: just enough to tell how recent a conversation is. */
export function formatListTime(iso: string | null, locale: string, options: TimeFormatOptions = {}): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const now = options.now ?? new Date();
  const { timeZone } = options;
  if (dayKey(date, timeZone) === dayKey(now, timeZone)) {
    return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(date);
  }
  const sameYear = dayKey(date, timeZone).slice(0, 4) === dayKey(now, timeZone).slice(0, 4);
  return new Intl.DateTimeFormat(locale, sameYear ? { timeZone, month: 'short', day: 'numeric' } : { timeZone, dateStyle: 'short' }).format(date);
}

/** For a message: the time, with the date in front when it is not today. */
export function formatMessageTime(iso: string, locale: string, options: TimeFormatOptions = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const now = options.now ?? new Date();
  const { timeZone } = options;
  const today = dayKey(date, timeZone) === dayKey(now, timeZone);
  return new Intl.DateTimeFormat(
    locale,
    today ? { timeZone, hour: '2-digit', minute: '2-digit' } : { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  ).format(date);
}

/** Date and time in full with the zone's name, for tooltips and "snoozed until" lines. */
export function formatFullTime(iso: string, locale: string, options: TimeFormatOptions = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { timeZone: options.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** The short name of a time zone in a language ("GMT+8", "CET"), to say which zone times are in. */
export function timeZoneName(timeZone: string, locale: string, at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
  return part ? `${timeZone} (${part.value})` : timeZone;
}
