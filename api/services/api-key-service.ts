// Integration API keys for admins: create (the key is returned once and never stored), list,
// revoke. Every change is audited in its own transaction as an internal event; the key itself
// never reaches the event log, only its label (prefix).
import type { ApiKeyView } from '../../contract/views.js';
import { apiScopeNames, type ApiScope } from '../../domain/api-scopes.js';
import { generateApiKey } from '../../infra/auth/api-keys.js';
import type { Db, Tx } from '../../infra/db.js';
import { appendEvent } from '../../infra/event-log.js';
import type { ApiKey } from '../../prisma/generated/client.js';
import { notFound } from '../http-error.js';

export const toApiKeyView = (row: ApiKey): ApiKeyView => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  createdById: row.createdById,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

const audit = (tx: Tx, type: 'api_key.created' | 'api_key.revoked', adminId: string, payload: { before: ApiKeyView | null; after: ApiKeyView }) =>
  appendEvent(tx, { type, actorKind: 'agent', actorId: adminId, internal: true, payload: { ...payload } });

export async function listApiKeys(db: Db): Promise<ApiKeyView[]> {
  return (await db.apiKey.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] })).map(toApiKeyView);
}

/** A new key: `key` is the only time the secret is shown; only its SHA-256 is kept. */
export async function createApiKey(db: Db, adminId: string, input: { name: string; scopes: ApiScope[] }): Promise<{ key: string; apiKey: ApiKeyView }> {
  const { key, keyHash, prefix } = generateApiKey();
  // Stored in the canonical order, once each.
  const scopes = apiScopeNames.filter((scope) => input.scopes.includes(scope));
  const apiKey = await db.$transaction(async (tx) => {
    const row = await tx.apiKey.create({ data: { name: input.name, prefix, keyHash, scopes, createdById: adminId } });
    const view = toApiKeyView(row);
    await audit(tx, 'api_key.created', adminId, { before: null, after: view });
    return view;
  });
  return { key, apiKey };
}

/** Revokes the key at once (the next request with it gets 401). Revoking a revoked key changes nothing. */
export async function revokeApiKey(db: Db, adminId: string, id: string): Promise<ApiKeyView> {
  return db.$transaction(async (tx) => {
    const current = await tx.apiKey.findUnique({ where: { id } });
    if (!current) throw notFound('API key');
    if (current.revokedAt) return toApiKeyView(current);
    const row = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    const after = toApiKeyView(row);
    await audit(tx, 'api_key.revoked', adminId, { before: toApiKeyView(current), after });
    return after;
  });
}
