// Picking a language and looking strings up. Pure, so it is tested without a browser; the
// reactive wrapper the components use is in use-i18n.ts.
import { en, zhCN, type MessageKey } from './messages';

export const locales = ['en', 'zh-CN'] as const;
export type Locale = (typeof locales)[number];

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** The first supported language in the browser's preference list (any Chinese → zh-CN), else English. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The string for `key` with `{name}` placeholders filled in; English when a table lacks it. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogs[locale][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * The locale for dates and times: the browser's own regional tag when it is a variant of the
 * chosen language (an en-GB browser shows 24-hour English times), else the chosen language.
 */
export function formattingLocale(chosen: Locale, preferred: readonly string[]): string {
  const regional = preferred.find((tag) => pickLocale([tag]) === chosen && tag.toLowerCase() !== 'zh' && tag.toLowerCase() !== 'en');
  return regional ?? chosen;
}
