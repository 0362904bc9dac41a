// Choosing the console's colour theme. Pure, so it is tested without a browser; the page's state is
// in apply-theme.ts. A person chooses System (follow the device's light or dark setting), Light or
// Dark; the choice is kept with the person's account (PUT /api/me/theme) and on the device, whose
// choice applies before sign-in.

import { isThemeChoice, type ThemeChoice } from '../../../contract/requests/account';

export { isThemeChoice, themeChoices, type ThemeChoice } from '../../../contract/requests/account';
export type Theme = 'light' | 'dark';

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
