// The app's language and time-zone state, shared by every component. The language is chosen
// per user and kept in localStorage (default: the browser's language); times are shown in the
// user's time zone (their profile's, else the browser's).
import { computed, ref } from 'vue';
import { createConsoleI18n } from './create-i18n';
import { traditionalMessages } from './messages-zh-tw';
import { readStored as read, writeStored as write } from '../shared/local-store';
import { chooseLocale, chooseTimeZone, deviceLocaleKey, formattingLocale, userLocaleKey, type Locale } from './locale';

const browserLanguages: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
const browserTimeZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;

export const i18n = createConsoleI18n(chooseLocale({ device: read(deviceLocaleKey), browser: browserLanguages }), {
  warn: import.meta.env?.DEV ?? false,
});

/** The signed-in user, whose choice is remembered under their own key. */
let userId: string | null = null;

export const currentLocale = computed<Locale>(() => i18n.global.locale.value as Locale);
/** For Intl date and time formatting only; strings always follow `currentLocale`. */
export const dateLocale = computed(() => formattingLocale(currentLocale.value, browserLanguages));
export const timeZone = ref(browserTimeZone);

let traditionalLoaded = false;

function apply(locale: Locale): void {
  i18n.global.locale.value = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  if (locale === 'zh-TW' && !traditionalLoaded) {
    traditionalLoaded = true;
    // Shown in Simplified meanwhile; every t() re-renders once the converted table is set.
    traditionalMessages().then(
      (table) => i18n.global.setLocaleMessage('zh-TW', table),
      () => (traditionalLoaded = false),
    );
  }
}
apply(currentLocale.value);

export function setLocale(locale: Locale): void {
  apply(locale);
  write(deviceLocaleKey, locale);
  if (userId) write(userLocaleKey(userId), locale);
}

/**
 * Follows the signed-in user: their own earlier language choice (else the one on screen, which
 * becomes theirs) and the time zone of their profile. `null` on sign-out keeps the language.
 */
export function applyUserPreferences(user: { id: string; timeZone?: string | null; locale?: string | null } | null): void {
  userId = user?.id ?? null;
  timeZone.value = chooseTimeZone(user?.timeZone, browserTimeZone);
  if (!user) return;
  // This browser's choice for them first, else the one kept with their account (saved when they
  // chose it elsewhere; 'en' is also every account's default, so it does not override this device).
  const kept = user.locale && user.locale !== 'en' ? user.locale : null;
  const locale = chooseLocale({ user: read(userLocaleKey(user.id)) ?? kept, device: currentLocale.value, browser: browserLanguages });
  apply(locale);
  write(userLocaleKey(user.id), locale);
}
