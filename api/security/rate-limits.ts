// Rate limits on the endpoints anyone (or any visitor) can hammer: visitor and conversation
// creation per IP (the offline form's too), widget messages per visitor and per IP (all its visitors together), ratings,
// bot feedback and call-back requests per visitor, failed sign-ins per IP, and every request of an integration's API
// key per key (on top of the route's own limits). A refused request gets
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
  limits: RequestHandler[];
}

/** Runs the limiters one after another; the first that refuses ends the chain with its 429. */
function chain(limits: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (error?: unknown) => {
      if (error) return next(error);
      const limit = limits[index++];
      if (!limit) return next();
      return limit(req, res, step);
    };
    step();
  };
}

/**
 * One middleware for all limits; mount it after authenticateRequests (the visitor and key limits
 * need the caller). Every route's limits apply to every caller, an integration's key included:
 * the per-key limit comes on top, never instead.
 */
export function rateLimits(limits: RateLimits): RequestHandler {
  const perVisitor = { keyGenerator: visitorKey };
  const candidates: { method: string; path: RegExp; limits: (RequestHandler | null)[] }[] = [
    { method: 'POST', path: /^\/api\/widget\/visitors\/?$/i, limits: [limiter(limits.widgetVisitors)] },
    { method: 'POST', path: /^\/api\/widget\/conversations\/?$/i, limits: [limiter(limits.widgetConversations)] },
    // The offline form starts a conversation too (by email): counted per IP with the same numbers, on its own.
    { method: 'POST', path: /^\/api\/widget\/offline-messages\/?$/i, limits: [limiter(limits.widgetConversations)] },
    // Each visitor alone, and all visitors of one IP together: visitors are cheap to make, so a
    // per-visitor limit alone would let one client multiply it.
    {
      method: 'POST',
      path: /^\/api\/widget\/conversations\/[^/]+\/messages\/?$/i,
      limits: [limiter(limits.widgetMessagesPerIp), limiter(limits.widgetMessages, perVisitor)],
    },
    // Uploads: the messages' numbers, counted on their own (api/routes/attachment-routes.ts).
    {
      method: 'POST',
      path: /^\/api\/widget\/conversations\/[^/]+\/attachments\/?$/i,
      limits: [limiter(limits.widgetMessagesPerIp), limiter(limits.widgetMessages, perVisitor)],
    },
    { method: 'POST', path: /^\/api\/widget\/conversations\/[^/]+\/(csat|bot-feedback|callbacks)\/?$/i, limits: [limiter(limits.widgetFeedback, perVisitor)] },
    // Only failures count, so an office of agents signing in at nine does not trip it.
    // One-time links (invite, reset, first-admin setup) count with them: a guessed token is a failed sign-in.
    {
      method: 'POST',
      path: /^\/api\/auth\/(login(\/two-factor)?|password-link(\/use)?)\/?$/i,
      limits: [limiter(limits.login, { skipSuccessfulRequests: true })],
    },
  ];
  const routes = candidates
    .map((route) => ({ ...route, limits: route.limits.filter((limit): limit is RequestHandler => limit !== null) }))
    .filter((route): route is LimitedRoute => route.limits.length > 0);
  const perKey = limiter(limits.apiKey, {
    keyGenerator: (_req, res) => `key:${(res.locals.principal as Extract<Principal, { kind: 'integration' }>).apiKeyId}`,
  });
  const withKey = new Map(routes.map((route) => [route, chain(perKey ? [perKey, ...route.limits] : route.limits)]));
  const alone = new Map(routes.map((route) => [route, chain(route.limits)]));
  return (req, res, next) => {
    const integration = (res.locals.principal as Principal | null | undefined)?.kind === 'integration';
    const route = routes.find((candidate) => candidate.method === req.method && candidate.path.test(req.path));
    if (route) return (integration ? withKey : alone).get(route)!(req, res, next);
    if (integration && perKey) return perKey(req, res, next);
    next();
  };
}
