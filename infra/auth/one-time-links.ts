// One-time links to set a password: an invitation (7 days), an admin's reset link (1 hour) and the
// production setup link for the first admin (24 hours). The token is 32 random bytes with a prefix
// naming its kind; only its SHA-256 is stored (UserInvitation / PasswordLink), so a leaked table
// opens nothing. The link carries the token after `#`: browsers never send the fragment to a
// server, so it stays out of access logs, proxies and Referer headers.
import { createHash, randomBytes } from 'node:crypto';

/** What a link is for; the token's prefix says it, so one endpoint can take any of them. */
export type PasswordLinkKind = 'invite' | 'reset' | 'setup';

const prefixes: Record<PasswordLinkKind, string> = { invite: 'inv_', reset: 'rst_', setup: 'stp_' };

/** How long each kind of link works. */
export const linkLifetimeMs: Record<PasswordLinkKind, number> = {
  invite: 7 * 24 * 60 * 60_000,
  reset: 60 * 60_000,
  setup: 24 * 60 * 60_000,
};

export const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new token of `kind`, what is stored of it, and when it lapses. */
export function newLinkToken(kind: PasswordLinkKind, now: Date = new Date()): { token: string; tokenHash: string; expiresAt: Date } {
  const token = prefixes[kind] + randomBytes(32).toString('base64url');
  return { token, tokenHash: hashLinkToken(token), expiresAt: new Date(now.getTime() + linkLifetimeMs[kind]) };
}

/** The kind a token claims by its prefix; null for anything else. */
export function linkKindOf(token: string): PasswordLinkKind | null {
  for (const [kind, prefix] of Object.entries(prefixes) as [PasswordLinkKind, string][]) if (token.startsWith(prefix)) return kind;
  return null;
}

/** The console's page that takes the link (console/src/auth/SetPasswordView.vue; hash routing). */
export function setPasswordUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/#/set-password?token=${encodeURIComponent(token)}`;
}
