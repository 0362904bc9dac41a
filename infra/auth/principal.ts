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
  caller.kind === 'user' ? { actorKind: 'agent', actorId: caller.userId, userId: caller.userId } : { actorKind: 'system', actorId: caller.apiKeyId, userId: null };

export function createAuthenticator(db: Db, secret: string): Authenticate {
  return async (token) => {
    if (token.startsWith(apiKeyPrefix)) {
      const key = await findApiKey(db, token);
      return key ? { kind: 'integration', ...key } : null;
    }
    if (token.startsWith(sessionTokenPrefix)) {
      const user = await findSessionUser(db, token);
      return user ? { kind: 'user', userId: user.id, role: user.role, teamId: user.teamId } : null;
    }
    const customerId = await verifyVisitorToken(secret, token);
    return customerId ? { kind: 'customer', customerId } : null;
  };
}
