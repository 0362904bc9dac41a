// Every answered request counts in seamless_http_requests_total and
// seamless_http_request_duration_seconds, labelled by the route's pattern (`/api/conversations/:id`),
// never by its URL, so ids do not become series. Requests no route matched are one label each for
// the API (`unmatched`) and for the console's files (`console`).
import type { NextFunction, Request, Response } from 'express';
import { httpRequestDuration, httpRequests } from '../infra/metrics/metrics.js';

/** The label a request's route gets: its pattern, or one of two catch-alls. */
export function routeLabel(req: Pick<Request, 'baseUrl' | 'originalUrl'> & { route?: { path?: unknown } }): string {
  const pattern = req.route?.path;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}`;
  return req.originalUrl.startsWith('/api/') || req.originalUrl === '/api' ? 'unmatched' : 'console';
}

export function requestMetrics() {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routeLabel(req);
      httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      httpRequestDuration.observe({ method: req.method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
