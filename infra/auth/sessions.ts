// Agent and admin sessions: an opaque random bearer token; only its SHA-256 is stored, so the
// table cannot be replayed if leaked, and logout (revokedAt) takes effect at once.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db.js';

export const sessionTokenPrefix = 'sst_';
const lifetimeMs = 12 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Db, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = sessionTokenPrefix + randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + lifetimeMs);
  await db.session.create({ data: { userId, tokenHash: hashToken(token), expiresAt } });
  return { token, expiresAt };
}

export async function findSessionUser(db: Db, token: string) {
  const session = await db.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) return null;
  return session.user;
}

export async function revokeSession(db: Db, token: string): Promise<void> {
  await db.session.updateMany({ where: { tokenHash: hashToken(token), revokedAt: null }, data: { revokedAt: new Date() } });
}
