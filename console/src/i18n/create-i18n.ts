// The vue-i18n instance (composition API, `legacy: false`) with both tables. A factory, so unit
// tests build their own per language; the app's single instance is in i18n.ts.
import { createI18n } from 'vue-i18n';
import type { Locale } from './locale';
import { en, type MessageKey } from './messages-en';
import { zhCN } from './messages-zh-cn';

/** Parameters of a message: `{name}` placeholders filled with text or numbers. */
export type MessageParams = Record<string, string | number>;

/**
 * Looks a string up; what pure modules take, so they are tested with a real table. `plural`: the
 * count that picks the form of a message with several ('{days} day | {days} days').
 */
export type Translate = (key: MessageKey, params?: MessageParams, plural?: number) => string;

/** zh-TW starts as the Simplified table; i18n.ts sets its converted one when someone picks it. */
export const messages = { en, 'zh-CN': zhCN, 'zh-TW': zhCN } as const;

export function createConsoleI18n(locale: Locale, options: { warn?: boolean } = {}) {
  const warn = options.warn ?? false;
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages,
    missingWarn: warn,
    fallbackWarn: warn,
  });
}

export type ConsoleI18n = ReturnType<typeof createConsoleI18n>;

/** A `Translate` bound to an instance's current language. */
export function translatorOf(i18n: ConsoleI18n): Translate {
  return (key, params, plural) => (plural === undefined ? i18n.global.t(key, params ?? {}) : i18n.global.t(key, params ?? {}, plural));
}
