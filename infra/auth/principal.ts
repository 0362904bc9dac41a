// Turning a bearer token into who is asking. REST and WebSocket both authenticate here.
import type { StaffViewer, Viewer } from '../../domain/visibility.js';
import type { Db } from '../db.js';
import { apiKeyPrefix, findApiKey } from './api-keys.js';
import { findSessionUser, sessionTokenPrefix } from './sessions.js';
import { verifyVisitorToken } from './visitor-tokens.js';

/** Who is asking: the same shape the visibility rules take. */
export type Principal = Viewer;

export type Authenticate = (token: string) => Promise<Principal | null>;

/**
 * Who the event log names for a change: a person as an agent (admins too), an integration as
 * the system with its key's id as actorId (so the audit trail tells which key acted).
 */
export interface Actor {
  actorKind: 'agent' | 'system';
  actorId: string;
  /** The signed-in user (author of a message, editor of an article); null for an integration. */
  userId: string | null;
}

export const actorOf = (caller: StaffViewer): Actor =>
  caller.kind === 'user'
    ? { actorKind: 'agent', actorId: caller.userId, userId: caller.userId }
    : { actorKind: 'system', actorId: caller.apiKeyId, userId: null };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether the customer a visitor token names still exists (and was not erased), noting when the visitor was last seen
 * (`lastSeenAt`, written at most every `touchEveryMs`): silent visitors unseen for the retention
 * period are deleted (api/services/visitor-retention.ts), and their tokens then fail here (401).
 * An id seen is remembered for `ttlMs` (at most `max` ids), so the widget's hot path (a message
 * per request) does not pay a lookup each time; that is far shorter than `touchEveryMs` plus the
 * retention period, so a remembered visitor is never one the sweep may delete. Only ids from
 * tokens this server signed reach it, so nobody can fill it.
 */
export function visitorLookup(db: Db, options: { ttlMs?: number; max?: number; touchEveryMs?: number } = {}): (customerId: string) => Promise<boolean> {
  const ttlMs = options.ttlMs ?? 30_000;
  const max = options.max ?? 10_000;
  const touchEveryMs = options.touchEveryMs ?? 60 * 60_000;
  const seen = new Map<string, number>();
  return async (customerId) => {
    if (!uuid.test(customerId)) return false;
    const now = Date.now();
    if ((seen.get(customerId) ?? 0) > now) return true;
    seen.delete(customerId);
    const row = await db.customer.findUnique({ where: { id: customerId }, select: { lastSeenAt: true, erasedAt: true } });
    // An erased contact's token names nobody any more (api/services/data-rights/customer-erasure.ts).
    if (!row || row.erasedAt) return false;
    if (!row.lastSeenAt || now - row.lastSeenAt.getTime() >= touchEveryMs) {
      // Raw, so updatedAt (edits of the record) is left alone; 0 rows: deleted just now.
      const touched = await db.$executeRaw`UPDATE "Customer" SET "lastSeenAt" = now() WHERE id = ${customerId}::uuid`;
      if (touched === 0) return false;
    }
    // A Map iterates in insertion order: the first key is the longest remembered.
    if (seen.size >= max) seen.delete(seen.keys().next().value!);
    seen.set(customerId, now + ttlMs);
    return true;
  };
}

export function createAuthenticator(db: Db, secret: string): Authenticate {
  const visitorExists = visitorLookup(db);
  return async (token) => {
    if (token.startsWith(apiKeyPrefix)) {
      const key = await findApiKey(db, token);
      return key ? { kind: 'integration', ...key } : null;
    }
    if (token.startsWith(sessionTokenPrefix)) {
      const user = await findSessionUser(db, token);
      // Deactivation revokes the sessions too; this holds even for one that escaped (a race).
      return user && !user.deactivatedAt ? { kind: 'user', userId: user.id, role: user.role, teamId: user.teamId } : null;
    }
    const customerId = await verifyVisitorToken(secret, token);
    // A token naming a customer that is gone (a deleted silent visitor) is no token: 401.
    return customerId && (await visitorExists(customerId)) ? { kind: 'customer', customerId } : null;
  };
}
