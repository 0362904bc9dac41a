// Choosing the language and the time zone. Pure, so it is tested without a browser; the app's
// reactive state is in i18n.ts.

export const locales = ['en', 'zh-CN', 'zh-TW'] as const;
export type Locale = (typeof locales)[number];

/** Each language named in itself, so someone who cannot read the other one still finds theirs. */
export const localeNames: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', 'zh-TW': '繁體中文' };

/** Chinese written in Traditional characters: Taiwan, Hong Kong, Macau, or the script named. */
const traditionalTag = /^zh-(tw|hk|mo|hant)(-|$)/;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/**
 * The first supported language in the browser's preference list (Traditional Chinese → zh-TW, other
 * Chinese → zh-CN), else English.
 */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (traditionalTag.test(lower)) return 'zh-TW';
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

/**
 * The language of the texts the API writes in two languages (the explanations of decisions):
 * English and Simplified Chinese; the console shows Traditional by converting the Simplified.
 * Report CSVs are files, so the API writes them in all three (it converts the same way).
 */
export function serverLanguage(locale: Locale): 'en' | 'zh-CN' {
  return locale === 'en' ? 'en' : 'zh-CN';
}

/** localStorage keys: one per signed-in user, and the device's last choice (login page, widget). */
export const deviceLocaleKey = 'seamless.locale';
export const userLocaleKey = (userId: string) => `seamless.locale.${userId}`;

/**
 * The language to show: the user's own earlier choice, else the last one made on this device,
 * else the browser's language.
 */
export function chooseLocale(choices: { user?: unknown; device?: unknown; browser: readonly string[] }): Locale {
  if (isLocale(choices.user)) return choices.user;
  if (isLocale(choices.device)) return choices.device;
  return pickLocale(choices.browser);
}

/**
 * The locale for dates and times: the browser's own regional tag when it is a variant of the
 * chosen language (an en-GB browser shows 24-hour English times), else the chosen language.
 */
export function formattingLocale(chosen: Locale, preferred: readonly string[]): string {
  const regional = preferred.find((tag) => pickLocale([tag]) === chosen && tag.toLowerCase() !== 'zh' && tag.toLowerCase() !== 'en');
  return regional ?? chosen;
}

/** True for a time zone Intl knows (an IANA name such as "Asia/Shanghai", or "UTC"). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The user's time zone from their profile when it is a valid one, else the browser's. */
export function chooseTimeZone(profile: unknown, browser: string): string {
  return isTimeZone(profile) ? profile : browser;
}
