// Turning a bearer token into who is asking. REST and WebSocket both authenticate here.
import type { Viewer } from '../../domain/visibility.js';
import type { Db } from '../db.js';
import { findSessionUser, sessionTokenPrefix } from './sessions.js';
import { verifyVisitorToken } from './visitor-tokens.js';

/** Who is asking: the same shape the visibility rules take. */
export type Principal = Viewer;

export type Authenticate = (token: string) => Promise<Principal | null>;

export function createAuthenticator(db: Db, secret: string): Authenticate {
  return async (token) => {
    if (token.startsWith(sessionTokenPrefix)) {
      const user = await findSessionUser(db, token);
      return user ? { kind: 'user', userId: user.id, role: user.role, teamId: user.teamId } : null;
    }
    const customerId = await verifyVisitorToken(secret, token);
    return customerId ? { kind: 'customer', customerId } : null;
  };
}
