// What an operator sees of each request, from one middleware and one `finish` listener:
// - its id: the caller's `X-Request-Id` when it is a plain token, else a new one, echoed in the
//   response; the rest of the request runs with it as the current id (infra/logging/), so its log
//   lines and the workflow calls it makes carry it;
// - metrics: seamless_http_requests_total and seamless_http_request_duration_seconds (infra/metrics/);
// - with a logger, one line per answered request: 5xx as errors, 4xx as warnings, the rest at
//   debug (LOG_LEVEL=debug for a full access log);
// - with tracing on (infra/tracing/), a server span continuing the caller's `traceparent`, which
//   the workflow calls it makes belong to.
// Every one of them names the route by its pattern (`/api/conversations/:id`), never its URL: ids
// and query strings (tokens in links) become neither series nor log fields.
import { randomUUID } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { requestIdPattern } from '../domain/request-id.js';
import type { Logger } from '../infra/logging/logger.js';
import { runWithRequestId } from '../infra/logging/request-context.js';
import { httpRequestDuration, httpRequests } from '../infra/metrics/metrics.js';
import { serverSpan } from '../infra/tracing/tracing.js';

/** The label a request's route gets: its pattern, or one of two catch-alls (`unmatched` API paths, the `console`'s files). */
export function routeLabel(req: Pick<Request, 'baseUrl' | 'originalUrl'> & { route?: { path?: unknown } }): string {
  const pattern = req.route?.path;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}`;
  return req.originalUrl.startsWith('/api/') || req.originalUrl === '/api' ? 'unmatched' : 'console';
}

export function requestIdOf(header: string | undefined): string {
  return header !== undefined && requestIdPattern.test(header) ? header : randomUUID();
}

export function observeRequests({ logger, tracer }: { logger?: Logger; tracer?: Tracer }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req.get('x-request-id'));
    res.set('X-Request-Id', requestId);
    const rest = () => runWithRequestId(requestId, next);
    const endSpan = tracer ? serverSpan(tracer, req.method, req.headers, rest) : (rest(), undefined);
    res.once('finish', () => {
      const route = routeLabel(req);
      const status = res.statusCode;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpRequests.inc({ method: req.method, route, status: String(status) });
      httpRequestDuration.observe({ method: req.method, route }, seconds);
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
      logger?.[level]({ requestId, method: req.method, route, status, ms: Math.round(seconds * 1e5) / 100 }, 'request');
      endSpan?.(route, status);
    });
  };
}
