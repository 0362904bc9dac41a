// Resolves the bearer token once per request and guards routes by kind of caller. Which routes
// an integration's API key may call is decided here, by `requireScope`: every other guard
// refuses keys, so a route is closed to integrations unless it asks for a scope.
import type { Request, RequestHandler, Response } from 'express';
import type { ApiScope } from '../domain/api-scopes.js';
import type { StaffViewer } from '../domain/visibility.js';
import type { Authenticate, Principal } from '../infra/auth/principal.js';
import { forbidden, HttpError, unauthorized } from './http-error.js';

export function bearerToken(req: Request): string | null {
  const header = req.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

export function authenticateRequests(authenticate: Authenticate): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    res.locals.principal = token ? await authenticate(token) : null;
    next();
  };
}

function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | null;
  if (!principal) throw unauthorized();
  return principal;
}

/** The signed-in agent or admin; 401 without a token, 403 for a visitor token or an API key. */
export function requireUser(res: Response): Extract<Principal, { kind: 'user' }> {
  const principal = principalOf(res);
  if (principal.kind === 'integration') throw forbidden('This endpoint is for agents and admins, not for API keys.');
  if (principal.kind !== 'user') throw forbidden('This endpoint is for agents and admins.');
  return principal;
}

/** The widget visitor; 401 without a token, 403 for an agent token or an API key. */
export function requireCustomer(res: Response): Extract<Principal, { kind: 'customer' }> {
  const principal = principalOf(res);
  if (principal.kind !== 'customer') throw forbidden('This endpoint is for widget visitors.');
  return principal;
}

/** A signed-in admin; 401 without a token, 403 for agents, visitors and API keys. */
export function requireAdmin(res: Response): Extract<Principal, { kind: 'user' }> {
  const user = requireUser(res);
  if (user.role !== 'admin') throw forbidden('Only admins may do this.');
  return user;
}

/**
 * A route open to integrations: agents and admins pass as before (only admins with
 * `{ users: 'admin' }`), an API key only when it holds `scope`. 401 without a token; 403 for a
 * visitor, for an agent on an admin route, and for a key without the scope (`missing_scope`).
 */
export function requireScope(res: Response, scope: ApiScope, options: { users?: 'agent' | 'admin' } = {}): StaffViewer {
  const principal = principalOf(res);
  if (principal.kind === 'integration') {
    if (!principal.scopes.includes(scope)) throw new HttpError(403, 'missing_scope', `This API key lacks the "${scope}" scope.`, { scope });
    return principal;
  }
  return options.users === 'admin' ? requireAdmin(res) : requireUser(res);
}

/** Whether requireScope(res, scope, options) lets this caller through: to shape an answer, not to guard a route. */
export function passesScope(caller: StaffViewer, scope: ApiScope, options: { users?: 'agent' | 'admin' } = {}): boolean {
  if (caller.kind === 'integration') return caller.scopes.includes(scope);
  return options.users !== 'admin' || caller.role === 'admin';
}
