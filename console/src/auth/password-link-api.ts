// The public side of the one-time links (invite, reset, first-admin setup): what a link is for, and
// using it. No session: the token from the link is the proof (api/routes/team-member-routes.ts).
import type { PasswordLinkView } from '../../../contract/team-members';
import type { SignedIn } from '../api-client';
import { createHttpClient } from '../shared/http';

const request = createHttpClient({ getToken: () => null, onUnauthorized: () => {} });

export type { PasswordLinkView };

export const passwordLinkApi = {
  inspect: (token: string) => request<{ link: PasswordLinkView }>('POST', '/api/auth/password-link', { body: { token } }),
  use: (input: { token: string; password: string; email?: string; name?: string }) => request<SignedIn>('POST', '/api/auth/password-link/use', { body: input }),
};

/** The token of a link's page (`#/set-password?token=…`); null when it is missing or malformed. */
export function linkTokenOf(query: unknown): string | null {
  return typeof query === 'string' && /^(inv|rst|stp)_[A-Za-z0-9_-]{43}$/.test(query) ? query : null;
}
