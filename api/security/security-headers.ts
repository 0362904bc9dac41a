// Security headers (helmet) on every response. One Content-Security-Policy serves the JSON API
// and the built console and widget (console/dist): scripts only from this origin, no inline
// script, fetches and the WebSocket (/ws) to this origin only. The /help pages replace it with
// their own stricter policy (routes/help-center-routes.ts sets it after this runs).
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** A Host header that can be put into a CSP source as it is (no spaces, `;` or `,`). */
const plainHost = /^[a-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/i;

/** ws:// or wss:// of this server, spelled out for browsers whose 'self' does not cover it. */
function webSocketOrigin(publicUrl: string | null): string | ((req: IncomingMessage) => string) {
  if (publicUrl) {
    const url = new URL(publicUrl);
    return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  }
  return (req) => {
    const host = req.headers.host;
    if (!host || !plainHost.test(host)) return "'self'";
    const secure = 'encrypted' in req.socket && Boolean(req.socket.encrypted);
    return `${secure ? 'wss:' : 'ws:'}//${host}`;
  };
}

export function securityHeaders(publicUrl: string | null): RequestHandler {
  const https = publicUrl?.startsWith('https:') ?? false;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        // Inline styles stay allowed: the demo page (widget.html) carries a <style> block and
        // stylesheets cannot run code; scripts are the injection risk and get no exception.
        'style-src': ["'self'", "'unsafe-inline'"],
        // No remote image, ever: any would tell its server who looked and when (a customer's
        // markdown image, a tracking pixel). An email's remote images come through this server's
        // image proxy after "Show images", as data: URLs (api/services/email-remote-image.ts).
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", webSocketOrigin(publicUrl)],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'self'"],
        // Only where the public address is https: over plain http (local runs) it would break loading.
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    // HSTS only where the public address is https: it then pins the host to https for a year.
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: false } : false,
  });
}
