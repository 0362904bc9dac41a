// Resolves the bearer token once per request and guards routes by kind of caller.
import type { Request, RequestHandler, Response } from 'express';
import type { Authenticate, Principal } from '../infra/auth/principal.js';
import { forbidden, unauthorized } from './http-error.js';

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

/** The signed-in agent or admin; 401 without a token, 403 for a visitor token. */
export function requireUser(res: Response): Extract<Principal, { kind: 'user' }> {
  const principal = principalOf(res);
  if (principal.kind !== 'user') throw forbidden('This endpoint is for agents and admins.');
  return principal;
}

/** The widget visitor; 401 without a token, 403 for an agent token. */
export function requireCustomer(res: Response): Extract<Principal, { kind: 'customer' }> {
  const principal = principalOf(res);
  if (principal.kind !== 'customer') throw forbidden('This endpoint is for widget visitors.');
  return principal;
}

/** A signed-in admin; 401 without a token, 403 for agents and visitors. */
export function requireAdmin(res: Response): Extract<Principal, { kind: 'user' }> {
  const user = requireUser(res);
  if (user.role !== 'admin') throw forbidden('Only admins may do this.');
  return user;
}
