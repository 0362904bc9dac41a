// The signed-in agent: token (kept in localStorage so a reload stays signed in) and user.
// Every API call and the WebSocket read the token from here; any 401 ends the session.
import { reactive } from 'vue';
import type { Presence } from '../../../domain/vocabulary';
import { createConsoleApi, createHttpClient } from '../api-client';
import type { HttpClient } from '../shared/http';
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
});

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
  writeToken(null);
  if (hadSession) for (const listener of endedListeners) listener();
}

export const api = createConsoleApi(
  createHttpClient({
    getToken: () => session.token,
    onUnauthorized: () => endSession(),
  }),
);

/**
 * The HTTP client for the feature modules' calls (inbox-api.ts, ticket-api.ts…), bound to the
 * session. A 401 asks /auth/me once more through the session's own client, which ends the
 * session when the token is really gone (one place decides, as for the WebSocket).
 */
export const sessionRequest: HttpClient = createHttpClient({
  getToken: () => session.token,
  onUnauthorized: () => void api.me().catch(() => {}),
});

export async function login(email: string, password: string): Promise<void> {
  const result = await api.login(email, password);
  session.token = result.token;
  session.user = result.user;
  writeToken(result.token);
  scheduleRenewal(result.expiresAt);
}

/** Loads the user for a token kept from an earlier visit; false when there is none or it expired. */
export async function restoreSession(): Promise<boolean> {
  if (!session.token) return false;
  if (session.user) return true;
  try {
    session.user = (await api.me()).user;
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
