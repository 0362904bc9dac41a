// What components use: typed `t()` over vue-i18n's global composer, the language and its
// setter, and the locale and time zone for Intl date formatting.
import { useI18n as useVueI18n } from 'vue-i18n';
import type { MessageParams, Translate } from './create-i18n';
import { currentLocale, dateLocale, setLocale, timeZone } from './i18n';

export function useI18n() {
  // Inside setup: vue-i18n tracks the locale so every `t()` re-renders when it changes.
  const composer = useVueI18n({ useScope: 'global' });
  const t: Translate = (key, params?: MessageParams, plural?: number) =>
    plural === undefined ? composer.t(key, params ?? {}) : composer.t(key, params ?? {}, plural);
  return { t, locale: currentLocale, setLocale, dateLocale, timeZone };
}
