// Who may frame the embedded chat widget (/widget/frame.html, opened in an iframe by
// /widget/loader.js on the customer's own website): its Content-Security-Policy gets
// `frame-ancestors 'self'` plus the allowed origins — the named channel's `settings.allowedOrigins`
// (`?channel=<id>`), else those of every enabled web_chat channel — and PUBLIC_URL's origin. Any
// other site's page gets a refused frame. Every other page keeps `frame-ancestors 'self'`.
import type { RequestHandler } from 'express';
import type { Db } from '../../infra/db.js';
import { originOf } from './widget-cors.js';

/** Where the loader points its iframe (console/widget/frame.html, built to console/dist). */
export const widgetFramePath = '/widget/frame.html';
/** The script customers' pages include (console/src/widget/loader.ts, built to console/dist). */
export const widgetLoaderPath = '/widget/loader.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The origins allowed to frame the widget for `channelId` (any enabled web_chat channel's when none is named). */
export async function framingOrigins(db: Db, channelId: unknown, publicUrl: string | null): Promise<string[]> {
  const origins = new Set<string>();
  const own = originOf(publicUrl);
  if (own) origins.add(own);
  // A channel that cannot exist (not a uuid) is as unknown as a deleted one: only this server may frame it.
  if (channelId !== undefined && (typeof channelId !== 'string' || !uuid.test(channelId))) return [...origins];
  const channels = await db.channel.findMany({
    where: { kind: 'web_chat', enabled: true, ...(channelId === undefined ? {} : { id: channelId }) },
    select: { settings: true },
  });
  for (const { settings } of channels) {
    const listed = (settings as { allowedOrigins?: unknown } | null)?.allowedOrigins;
    if (!Array.isArray(listed)) continue;
    for (const entry of listed) {
      const origin = originOf(entry);
      if (origin) origins.add(origin);
    }
  }
  return [...origins];
}

/** `policy` with its frame-ancestors directive replaced (added when it has none). */
export function withFrameAncestors(policy: string, sources: string[]): string {
  const directive = `frame-ancestors ${sources.join(' ')}`;
  return /(^|;)\s*frame-ancestors\b[^;]*/i.test(policy) ? policy.replace(/(^|;)(\s*)frame-ancestors\b[^;]*/i, `$1$2${directive}`) : `${policy};${directive}`;
}

/** Mount on GET widgetFramePath, after the security headers and before the static files. */
export function widgetFramePolicy(db: Db, publicUrl: string | null, log: (message: string, error?: unknown) => void): RequestHandler {
  return (req, res, next) => {
    framingOrigins(db, req.query.channel, publicUrl)
      .catch((error: unknown) => {
        // Fail closed: without the list only this server may frame the widget.
        log('could not read the widget framing origins', error);
        return [] as string[];
      })
      .then((origins) => {
        const policy = res.getHeader('Content-Security-Policy');
        if (typeof policy === 'string') res.setHeader('Content-Security-Policy', withFrameAncestors(policy, ["'self'", ...origins]));
        // frame-ancestors decides; the legacy header would refuse every other origin.
        res.removeHeader('X-Frame-Options');
        // The answer depends on the channel and the channels' settings: never reuse a stale one.
        res.setHeader('Cache-Control', 'no-cache');
        next();
      }, next);
  };
}

/** Mount on GET widgetLoaderPath: other sites' pages may load this one script (helmet's CORP would refuse it). */
export function widgetLoaderPolicy(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  };
}
