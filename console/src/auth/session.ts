// The signed-in agent: token (kept in localStorage so a reload stays signed in) and user.
// Every API call and the WebSocket read the token from here; any 401 ends the session.
import { reactive } from 'vue';
import type { Presence } from '../../../domain/vocabulary';
import { createConsoleApi, createHttpClient, type SignedIn } from '../api-client';
import { ApiError, type HttpClient } from '../shared/http';
import type { UserView } from '../shared/wire-types';

const tokenKey = 'seamless.token';

function readToken(): string | null {
  try {
    return localStorage.getItem(tokenKey);
  } catch {
    return null;
  }
}

function writeToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(tokenKey, token);
    else localStorage.removeItem(tokenKey);
  } catch {
    // Storage unavailable: the session lasts until the tab closes.
  }
}

export const session = reactive({
  token: readToken(),
  user: null as UserView | null,
  /** The organisation requires two-factor sign-in of this admin, who has not set it up: the API refuses all else (the router sends them to set it up). */
  twoFactorSetupRequired: false,
});

/** Notes the API's 403 `two_factor_required` (whichever call met it), so the router can take the admin to set it up. */
function noticingTwoFactor(client: HttpClient): HttpClient {
  return async <T>(method: string, path: string, options?: Parameters<HttpClient>[2]): Promise<T> => {
    try {
      return await client<T>(method, path, options);
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'two_factor_required') session.twoFactorSetupRequired = true;
      throw cause;
    }
  };
}

const endedListeners = new Set<() => void>();

/** Runs when the session ends (logout, or a 401 from the server), e.g. to leave the page. */
export function onSessionEnded(listener: () => void): () => void {
  endedListeners.add(listener);
  return () => endedListeners.delete(listener);
}

// A token lapses after an idle hour: while the console is open it is renewed ahead of that, up
// to the server's 12-hour cap (then the 401 ends the session and the agent signs in again).
const renewAheadMs = 10 * 60 * 1000;
let renewal: ReturnType<typeof setTimeout> | null = null;

function scheduleRenewal(expiresAt: string): void {
  if (renewal) clearTimeout(renewal);
  const delay = Math.max(30_000, Date.parse(expiresAt) - Date.now() - renewAheadMs);
  renewal = setTimeout(() => {
    renewal = null;
    api
      .refreshSession()
      .then((result) => scheduleRenewal(result.expiresAt))
      .catch(() => {
        // A 401 ended the session already; a network failure tries again shortly.
        if (session.token) scheduleRenewal(new Date(Date.now() + renewAheadMs + 60_000).toISOString());
      });
  }, delay);
}

function endSession(): void {
  if (renewal) clearTimeout(renewal);
  renewal = null;
  const hadSession = session.token !== null;
  session.token = null;
  session.user = null;
  session.twoFactorSetupRequired = false;
  writeToken(null);
  if (hadSession) for (const listener of endedListeners) listener();
}

export const api = createConsoleApi(
  noticingTwoFactor(
    createHttpClient({
      getToken: () => session.token,
      onUnauthorized: () => endSession(),
    }),
  ),
);

/**
 * The HTTP client for the feature modules' calls (inbox-api.ts, ticket-api.ts…), bound to the
 * session. A 401 asks /auth/me once more through the session's own client, which ends the
 * session when the token is really gone (one place decides, as for the WebSocket).
 */
export const sessionRequest: HttpClient = noticingTwoFactor(
  createHttpClient({
    getToken: () => session.token,
    onUnauthorized: () => void api.me().catch(() => {}),
  }),
);

function begin(result: SignedIn): void {
  session.token = result.token;
  session.user = result.user;
  session.twoFactorSetupRequired = result.twoFactorSetupRequired === true;
  writeToken(result.token);
  scheduleRenewal(result.expiresAt);
}

/** Signs in with what using a one-time link answered (auth/SetPasswordView.vue). */
export function signedInByLink(result: SignedIn): void {
  begin(result);
}

/**
 * Signs in with the password. With two-factor sign-in on, no session yet: the challenge to send
 * with a code (loginSecondStep); otherwise null, signed in.
 */
export async function login(email: string, password: string): Promise<{ challenge: string } | null> {
  const result = await api.login(email, password);
  if ('twoFactorRequired' in result) return { challenge: result.challenge };
  begin(result);
  return null;
}

/** The second step: a code from the app, or a recovery code, with the password step's challenge. */
export async function loginSecondStep(challenge: string, factor: { code: string } | { recoveryCode: string }): Promise<void> {
  begin(await api.loginSecondStep(challenge, factor));
}

/** Saves the language with the account (so it follows the person to another browser); a failure only loses that. */
export function saveLocale(locale: string): void {
  if (!session.user || session.user.locale === locale) return;
  api.setLocale(locale).then(
    (result) => {
      if (session.user?.id === result.user.id) session.user = { ...session.user, locale: result.user.locale };
    },
    () => {},
  );
}

/** Loads the user for a token kept from an earlier visit; false when there is none or it expired. */
export async function restoreSession(): Promise<boolean> {
  if (!session.token) return false;
  if (session.user) return true;
  try {
    const me = await api.me();
    session.user = me.user;
    session.twoFactorSetupRequired = me.twoFactorSetupRequired === true;
    scheduleRenewal((await api.refreshSession()).expiresAt);
    return true;
  } catch {
    // A 401 has already ended the session; other failures leave the token for a later retry.
    return session.user !== null;
  }
}

export async function logout(): Promise<void> {
  try {
    if (session.token) await api.logout();
  } catch {
    // The token is dropped locally either way; the server expires it on its own.
  } finally {
    endSession();
  }
}

export async function setPresence(presence: Presence): Promise<void> {
  session.user = (await api.setPresence(presence)).user;
}
