// Integration API keys: an opaque random bearer token shown once at creation. Only its SHA-256
// is stored (a leaked table cannot be replayed) with the first characters as a label; revoking
// (revokedAt) takes effect at the next request, since every request looks the key up.
import { createHash, randomBytes } from 'node:crypto';
import { isApiScope, type ApiScope } from '../../domain/api-scopes.js';
import type { Db } from '../db.js';

/** Every API key starts with this; session tokens (`sst_`) and visitor tokens (JWTs) never do. */
export const apiKeyPrefix = 'sk_live_';
/** Characters of the key kept in clear (`ApiKey.prefix`), so an admin can tell keys apart. */
const labelLength = 12;
/** lastUsedAt is written at most this often per key: a busy integration costs no write per call. */
export const lastUsedResolutionMs = 60_000;

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new key (`sk_live_` + 32 random bytes, base64url) with what is stored of it. */
export function generateApiKey(): { key: string; keyHash: string; prefix: string } {
  const key = apiKeyPrefix + randomBytes(32).toString('base64url');
  return { key, keyHash: hashApiKey(key), prefix: key.slice(0, labelLength) };
}

export interface ApiKeyHolder {
  apiKeyId: string;
  scopes: ApiScope[];
}

/** The live key's id and scopes, or null for an unknown or revoked key, or one whose creator is deactivated. Touches lastUsedAt when stale. */
export async function findApiKey(db: Db, key: string, now: Date = new Date()): Promise<ApiKeyHolder | null> {
  const row = await db.apiKey.findUnique({
    where: { keyHash: hashApiKey(key) },
    select: { id: true, scopes: true, revokedAt: true, lastUsedAt: true, createdById: true },
  });
  if (!row || row.revokedAt) return null;
  // A key acts with its creator's authority: refused while that person is deactivated (or deleted),
  // accepted again on reactivation. Keys of no known creator (made before keys named one) stand.
  if (row.createdById) {
    const creator = await db.user.findUnique({ where: { id: row.createdById }, select: { deactivatedAt: true } });
    if (creator?.deactivatedAt) return null;
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= lastUsedResolutionMs) {
    // Conditional, so concurrent requests of one key write it once.
    const staleBefore = new Date(now.getTime() - lastUsedResolutionMs);
    await db.apiKey.updateMany({ where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: staleBefore } }] }, data: { lastUsedAt: now } });
  }
  // A scope dropped from domain/api-scopes.ts stops granting anything, even if still stored.
  return { apiKeyId: row.id, scopes: row.scopes.filter(isApiScope) };
}
