// Choosing the console's colour theme. Pure, so it is tested without a browser; the page's state is
// in apply-theme.ts. A person chooses System (follow the device's light or dark setting), Light or
// Dark; the choice is kept per user and per device, as the language is (i18n/locale.ts).

export const themeChoices = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof themeChoices)[number];
export type Theme = 'light' | 'dark';

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (themeChoices as readonly string[]).includes(value);
}

/** localStorage keys: one per signed-in user, and the device's last choice (the sign-in page). */
export const deviceThemeKey = 'seamless.theme';
export const userThemeKey = (userId: string) => `seamless.theme.${userId}`;

/** The user's own earlier choice, else the last one made on this device, else the system's. */
export function chooseTheme(choices: { user?: unknown; device?: unknown }): ThemeChoice {
  if (isThemeChoice(choices.user)) return choices.user;
  if (isThemeChoice(choices.device)) return choices.device;
  return 'system';
}

/** The theme shown: the one chosen, or for System the device's setting (prefers-color-scheme). */
export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): Theme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}
