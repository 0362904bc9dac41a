// CORS for the widget endpoints only (/api/widget/*): a page may call them from another origin
// when that origin is in a web_chat channel's `settings.allowedOrigins` or is PUBLIC_URL's.
// Every other route is same-origin only: it sends no CORS headers at all. Tokens travel in the
// Authorization header, never in cookies, so no credentials mode is offered.
import cors from 'cors';
import type { RequestHandler } from 'express';
import type { Db } from '../../infra/db.js';

export interface AllowedOrigins {
  allows(origin: string): Promise<boolean>;
  /** Forgets the cached list (a channel changed): the next request reads it again. Other API processes keep theirs until it expires. */
  invalidate(): void;
}

/** `https://shop.example` for any URL on it; null for what is not an http(s) URL. */
export function originOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** The allowed origins, read from the enabled web_chat channels and cached for `ttlMs`. */
export function allowedOriginsFromChannels(
  db: Db,
  options: { publicUrl: string | null; ttlMs: number; now: () => Date; log: (message: string, error?: unknown) => void },
): AllowedOrigins {
  let cached: { origins: Set<string>; expiresAt: number } | null = null;
  let loading: Promise<Set<string>> | null = null;
  // Bumped by invalidate(): a read that began before it must not be cached as current.
  let generation = 0;

  const load = async (): Promise<Set<string>> => {
    const channels = await db.channel.findMany({ where: { kind: 'web_chat', enabled: true }, select: { settings: true } });
    const origins = new Set<string>();
    const own = originOf(options.publicUrl);
    if (own) origins.add(own);
    for (const { settings } of channels) {
      const listed = (settings as { allowedOrigins?: unknown } | null)?.allowedOrigins;
      if (!Array.isArray(listed)) continue;
      for (const entry of listed) {
        const origin = originOf(entry);
        if (origin) origins.add(origin);
      }
    }
    return origins;
  };

  const current = async (): Promise<Set<string>> => {
    const now = options.now().getTime();
    if (cached && cached.expiresAt > now) return cached.origins;
    // Concurrent requests share one read.
    if (!loading) {
      const started = generation;
      const read: Promise<Set<string>> = load()
        .then((origins) => {
          if (started === generation) cached = { origins, expiresAt: options.now().getTime() + options.ttlMs };
          return origins;
        })
        .finally(() => {
          if (loading === read) loading = null;
        });
      loading = read;
    }
    return loading;
  };

  return {
    async allows(origin) {
      const normalised = originOf(origin);
      if (!normalised) return false;
      try {
        return (await current()).has(normalised);
      } catch (error) {
        // Fail closed: without the list no cross-origin call is allowed (same-origin ones still work).
        options.log('could not read the widget origins', error);
        return false;
      }
    },
    invalidate() {
      cached = null;
      loading = null;
      generation += 1;
    },
  };
}

/** Mount on /api/widget: CORS headers for allowed origins, preflights answered here. */
export function widgetCors(origins: AllowedOrigins): RequestHandler {
  const handler = cors({
    origin: (origin, callback) => {
      if (!origin) return callback(null, false);
      origins.allows(origin).then((allowed) => callback(null, allowed ? origin : false), callback);
    },
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    exposedHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy'],
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
  return (req, res, next) => {
    // Answers differ by Origin: caches must keep them apart.
    res.vary('Origin');
    handler(req, res, (error?: unknown) => {
      if (error) return next(error);
      // A preflight from an origin not allowed: answered without CORS headers, so the browser stops.
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      next();
    });
  };
}
