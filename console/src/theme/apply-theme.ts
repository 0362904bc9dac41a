// The page's theme: `data-theme` on <html> selects the light or dark tokens of styles/tokens.css.
// It follows the person's choice (theme.ts), and for System the device's setting, also when that
// changes while the console is open.
import { ref } from 'vue';
import { readStored, writeStored } from '../shared/local-store';
import { chooseTheme, deviceThemeKey, resolveTheme, userThemeKey, type ThemeChoice } from './theme';

export const themeChoice = ref<ThemeChoice>(chooseTheme({ device: readStored(deviceThemeKey) }));
let userId: string | null = null;
const systemDark = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

function apply(): void {
  if (typeof document === 'undefined') return;
  document.documentElement.dataset.theme = resolveTheme(themeChoice.value, systemDark?.matches ?? false);
}
systemDark?.addEventListener('change', apply);
apply();

export function setThemeChoice(choice: ThemeChoice): void {
  themeChoice.value = choice;
  writeStored(deviceThemeKey, choice);
  if (userId) writeStored(userThemeKey(userId), choice);
  apply();
}

/** Follows the signed-in user: their own earlier choice, else this device's, which becomes theirs. `null` on sign-out keeps the theme. */
export function applyUserTheme(id: string | null): void {
  userId = id;
  if (!id) return;
  themeChoice.value = chooseTheme({ user: readStored(userThemeKey(id)), device: themeChoice.value });
  writeStored(userThemeKey(id), themeChoice.value);
  apply();
}
