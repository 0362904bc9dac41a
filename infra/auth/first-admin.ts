// The first admin of a production deployment, which seeds no users (prisma/seed.ts): created by
// `npm run admin:create` (scripts/create-admin.ts). Further people are invited from the console by
// an admin (account management is its own feature).
import { z } from 'zod';
import type { Db } from '../db.js';
import { hashPassword } from './passwords.js';

/** What the API and `npm start` print while no user exists yet. */
export const firstAdminHint = [
  'No user exists yet. Create the first admin (the password is asked for, or read from ADMIN_PASSWORD):',
  '  ADMIN_EMAIL=you@example.com ADMIN_NAME="Your Name" npm run admin:create',
  '  with docker compose: docker compose run --rm -e ADMIN_EMAIL=you@example.com api npx tsx scripts/create-admin.ts',
].join('\n');

export const adminInput = z.strictObject({
  email: z.string().trim().toLowerCase().email().max(320),
  name: z.string().trim().min(1).max(200),
  // The sign-in form accepts up to 1024 characters; 12 at least, as no one else checks it.
  password: z.string().min(12, 'must be at least 12 characters').max(1024),
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
