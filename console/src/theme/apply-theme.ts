// The page's theme: `data-theme` on <html> selects the light or dark tokens of styles/tokens.css.
// It follows the person's choice (theme.ts), kept with their account so it follows them to another
// browser, and for System the device's setting, also when that changes while the console is open.
import { ref } from 'vue';
import { sessionRequest } from '../auth/session';
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

/** Shows `choice` and remembers it on this device, for the signed-in person too. */
function remember(choice: ThemeChoice): void {
  themeChoice.value = choice;
  writeStored(deviceThemeKey, choice);
  if (userId) writeStored(userThemeKey(userId), choice);
  apply();
}

/** Keeps the choice with the person's account (PUT /api/me/theme), so it follows them to another browser; offline, this device keeps it. */
function saveForAccount(choice: ThemeChoice): void {
  void sessionRequest('PUT', '/api/me/theme', { body: { theme: choice } }).catch(() => {});
}

/** Counts choices made here, so an account's theme read after one does not undo it. */
let choicesMade = 0;

export function setThemeChoice(choice: ThemeChoice): void {
  choicesMade += 1;
  remember(choice);
  if (userId) saveForAccount(choice);
}

/**
 * Follows the signed-in user: at once their earlier choice on this device, else this device's;
 * then the one kept with their account (chosen on any browser) wins, and an account without one
 * takes this device's. `null` on sign-out keeps the theme: the device's choice applies before sign-in.
 */
export function applyUserTheme(id: string | null): void {
  userId = id;
  if (!id) return;
  remember(chooseTheme({ user: readStored(userThemeKey(id)), device: themeChoice.value }));
  const before = choicesMade;
  sessionRequest<{ theme: ThemeChoice | null }>('GET', '/api/me/theme').then(
    ({ theme }) => {
      if (userId !== id || choicesMade !== before) return;
      if (theme) remember(theme);
      else saveForAccount(themeChoice.value);
    },
    () => {}, // offline: this device's choice stays
  );
}
