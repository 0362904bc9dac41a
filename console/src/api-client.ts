// The console's own calls to the REST API (api/README.md, "Endpoints"): the session, the user
// and the team directory, mentions, a customer's journey. Each feature's calls live in its
// folder (inbox/inbox-api.ts, tickets/ticket-api.ts, …) on the same HTTP client.
import type { EventView } from '../../domain/events';
import type { Presence } from '../../domain/vocabulary';
import { createHttpClient, type HttpClient } from './shared/http';
import type { Mention, TeamView, UserView } from './shared/wire-types';

/** A complete sign-in. `twoFactorSetupRequired`: an admin the organisation requires two-factor sign-in of, who has not set it up. */
export interface SignedIn {
  token: string;
  expiresAt: string;
  user: UserView;
  twoFactorSetupRequired?: boolean;
}
/** The password was right and two-factor sign-in is on: the code goes with this challenge (POST /api/auth/login/two-factor). */
export interface TwoFactorChallenge {
  twoFactorRequired: true;
  challenge: string;
  expiresAt: string;
}

export interface ConsoleApi {
  login(email: string, password: string): Promise<SignedIn | TwoFactorChallenge>;
  loginSecondStep(challenge: string, factor: { code: string } | { recoveryCode: string }): Promise<SignedIn>;
  logout(): Promise<void>;
  me(): Promise<{ user: UserView; twoFactorSetupRequired?: boolean }>;
  /** Keeps the console language with the account. */
  setLocale(locale: string): Promise<{ user: UserView }>;
  /** Renews the session for another idle hour (up to its 12-hour cap). */
  refreshSession(): Promise<{ expiresAt: string }>;
  setPresence(presence: Presence): Promise<{ user: UserView }>;
  listUsers(): Promise<{ users: UserView[] }>;
  /** The teams by name (every agent may read them: transfers and filters). */
  listTeams(): Promise<{ teams: TeamView[] }>;
  myMentions(): Promise<{ mentions: Mention[] }>;
  customerEvents(customerId: string): Promise<{ events: EventView[] }>;
}

export function createConsoleApi(request: HttpClient): ConsoleApi {
  const id = encodeURIComponent;
  return {
    login: (email, password) => request('POST', '/api/auth/login', { body: { email, password } }),
    loginSecondStep: (challenge, factor) => request('POST', '/api/auth/login/two-factor', { body: { challenge, ...factor } }),
    setLocale: (locale) => request('PUT', '/api/me/locale', { body: { locale } }),
    refreshSession: () => request('POST', '/api/auth/refresh', { body: {} }),
    logout: () => request('POST', '/api/auth/logout'),
    me: () => request('GET', '/api/auth/me'),
    setPresence: (presence) => request('PUT', '/api/me/presence', { body: { presence } }),
    listUsers: () => request('GET', '/api/users'),
    listTeams: () => request('GET', '/api/teams'),
    myMentions: () => request('GET', '/api/me/mentions'),
    customerEvents: (customerId) => request('GET', `/api/customers/${id(customerId)}/events`),
  };
}

export { createHttpClient };
