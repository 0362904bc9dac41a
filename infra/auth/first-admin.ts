// The first admin of a production deployment, which seeds no users (prisma/seed.ts): through the
// one-time setup link the API prints at start while no user exists (the console's set-password
// page; api/services/password-links.ts), or `npm run admin:create` (scripts/create-admin.ts).
// Further people are invited from the console by an admin (api/services/team-members.ts).
import { z } from 'zod';
import type { Db } from '../db.js';
import { linkLifetimeMs, newLinkToken, setPasswordUrl } from './one-time-links.js';
import { passwordProblem } from './password-policy.js';
import { hashPassword } from './passwords.js';

/** How to create the first admin from a shell (the end of setupLinkNotice). */
export const firstAdminHint = [
  'No user exists yet. Create the first admin (the password is asked for, or read from ADMIN_PASSWORD):',
  '  ADMIN_EMAIL=you@example.com ADMIN_NAME="Your Name" npm run admin:create',
  '  with docker compose: docker compose run --rm -e ADMIN_EMAIL=you@example.com api npx tsx scripts/create-admin.ts',
].join('\n');

export const adminInput = z
  .strictObject({
    email: z.string().trim().toLowerCase().email().max(320),
    name: z.string().trim().min(1).max(200),
    // The sign-in form accepts up to 1024 characters; 12 at least, and the password policy's check.
    password: z.string().min(12, 'must be at least 12 characters').max(1024),
  })
  .superRefine((input, context) => {
    const problem = input.password.length >= 12 && passwordProblem(input.password, [input.email, input.name]);
    if (problem) context.addIssue({ code: 'custom', path: ['password'], message: `is too easy to guess (${problem}): use a longer phrase` });
  });
export type AdminInput = z.input<typeof adminInput>;

export class AdminExistsError extends Error {
  constructor(email: string) {
    super(`A user with the email ${email} exists already: nothing was changed.`);
    this.name = 'AdminExistsError';
  }
}

/** Creates an admin (no team, expert tier, offline); refuses an email that has a user already. */
export async function createAdmin(db: Db, input: AdminInput): Promise<{ id: string; email: string }> {
  const { email, name, password } = adminInput.parse(input);
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) throw new AdminExistsError(email);
  const user = await db.user.create({ data: { email, name, passwordHash: await hashPassword(password), role: 'admin', tier: 'expert' } });
  return { id: user.id, email: user.email };
}

/**
 * While no user exists: a new one-time link to create the first admin (24 hours, SHA-256 stored),
 * else null. Each API start makes its own, printed once by it; the first one used creates the admin
 * and ends the others (api/services/password-links.ts).
 */
export async function issueSetupLink(db: Db, baseUrl: string, now: Date = new Date()): Promise<string | null> {
  if (await db.user.count()) return null;
  const { token, tokenHash, expiresAt } = newLinkToken('setup', now);
  await db.passwordLink.create({ data: { purpose: 'setup', tokenHash, expiresAt } });
  return setPasswordUrl(baseUrl, token);
}

/** What the API prints with the setup link. */
export function setupLinkNotice(link: string): string {
  return [
    `No user exists yet. Open this one-time link within ${linkLifetimeMs.setup / 3_600_000} hours to create the first admin (it works once):`,
    `  ${link}`,
    'Or create the admin from a shell:',
    ...firstAdminHint.split('\n').slice(1),
  ].join('\n');
}
