// Rate limits on the endpoints anyone (or any visitor) can hammer: visitor and conversation
// creation per IP, widget messages per visitor, failed sign-ins per IP, and every request of an
// integration's API key per key. A refused request gets
// 429 `rate_limited` with Retry-After. Counters live in process memory (express-rate-limit's
// MemoryStore): with several API processes each counts on its own, so a shared store (e.g.
// rate-limit-redis or a PostgreSQL-backed one) is needed to keep the limits exact there.
import type { RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import type { Principal } from '../../infra/auth/principal.js';
import { HttpError } from '../http-error.js';
import type { RateLimitRule, RateLimits } from './security-options.js';

const refuse: Options['handler'] = (_req, res, next) => {
  const seconds = Number(res.getHeader('Retry-After'));
  const when = Number.isFinite(seconds) ? `in ${seconds} second${seconds === 1 ? '' : 's'}` : 'later';
  next(new HttpError(429, 'rate_limited', `Too many requests: try again ${when}.`));
};

/** The visitor the token names (set by authenticateRequests), else the client's IP (IPv6 by /56). */
const visitorKey = (req: { ip?: string }, res: Response) => {
  const principal = res.locals.principal as Principal | null | undefined;
  return principal?.kind === 'customer' ? `visitor:${principal.customerId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
};

function limiter(rule: RateLimitRule, options: Partial<Options> = {}): RequestHandler | null {
  if (rule.limit <= 0) return null;
  // Without a keyGenerator the client's IP is the key (IPv6 grouped by /56).
  return rateLimit({
    limit: rule.limit,
    windowMs: rule.windowMs,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: refuse,
    ...options,
  });
}

interface LimitedRoute {
  method: string;
  /** Matched like Express matches routes: any letter case, an optional trailing slash. */
  path: RegExp;
  limit: RequestHandler;
}

/** One middleware for all limits; mount it after authenticateRequests (the visitor key needs it). */
export function rateLimits(limits: RateLimits): RequestHandler {
  const candidates: { method: string; path: RegExp; limit: RequestHandler | null }[] = [
    { method: 'POST', path: /^\/api\/widget\/visitors\/?$/i, limit: limiter(limits.widgetVisitors) },
    { method: 'POST', path: /^\/api\/widget\/conversations\/?$/i, limit: limiter(limits.widgetConversations) },
    { method: 'POST', path: /^\/api\/widget\/conversations\/[^/]+\/messages\/?$/i, limit: limiter(limits.widgetMessages, { keyGenerator: visitorKey }) },
    // Only failures count, so an office of agents signing in at nine does not trip it.
    { method: 'POST', path: /^\/api\/auth\/login\/?$/i, limit: limiter(limits.login, { skipSuccessfulRequests: true }) },
  ];
  const routes = candidates.filter((route): route is LimitedRoute => route.limit !== null);
  const perKey = limiter(limits.apiKey, { keyGenerator: (_req, res) => `key:${(res.locals.principal as Extract<Principal, { kind: 'integration' }>).apiKeyId}` });
  return (req, res, next) => {
    if (perKey && (res.locals.principal as Principal | null | undefined)?.kind === 'integration') return perKey(req, res, next);
    const route = routes.find((candidate) => candidate.method === req.method && candidate.path.test(req.path));
    if (!route) return next();
    return route.limit(req, res, next);
  };
}
