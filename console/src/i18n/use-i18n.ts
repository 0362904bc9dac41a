// The reactive language state shared by every component: `t()` reads `locale`, so changing it
// re-renders all text. The choice is remembered per browser; the default follows the browser.
import { computed, ref } from 'vue';
import type { MessageKey } from './messages';
import { formattingLocale, isLocale, pickLocale, translate, type Locale } from './translate';

const storageKey = 'seamless.locale';

const browserLanguages: readonly string[] =
  typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];

function initialLocale(): Locale {
  const stored = safeStorage()?.getItem(storageKey);
  if (isLocale(stored)) return stored;
  return pickLocale(browserLanguages);
}

// Storage throws in some private modes and sandboxed iframes; language is not worth failing for.
function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

const locale = ref<Locale>(initialLocale());
/** For Intl date and time formatting only; strings always come from `locale`. */
const dateLocale = computed(() => formattingLocale(locale.value, browserLanguages));
applyDocumentLanguage(locale.value);

function applyDocumentLanguage(value: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = value;
}

export function setLocale(value: Locale): void {
  locale.value = value;
  applyDocumentLanguage(value);
  try {
    safeStorage()?.setItem(storageKey, value);
  } catch {
    // Quota or privacy mode: the choice just is not remembered.
  }
}

export function useI18n() {
  return {
    locale,
    dateLocale,
    setLocale,
    t: (key: MessageKey, params?: Record<string, string | number>) => translate(locale.value, key, params),
  };
}
