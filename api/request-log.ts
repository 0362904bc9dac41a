// Every request gets an id: the caller's `X-Request-Id` when it is a plain token, else a new one,
// echoed in the response's `X-Request-Id`. The rest of the request runs with it as the current id
// (infra/logging/request-context.ts), so its log lines and the workflow calls it makes carry it
// (infra/logging/request-id-propagation.ts). With a logger, one line per answered request: 5xx as
// errors, 4xx as warnings, the rest at debug (LOG_LEVEL=debug for a full access log).
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestIdPattern } from '../domain/request-id.js';
import type { Logger } from '../infra/logging/logger.js';
import { runWithRequestId } from '../infra/logging/request-context.js';
import { routeLabel } from './request-metrics.js';

export function requestIdOf(header: string | undefined): string {
  return header !== undefined && requestIdPattern.test(header) ? header : randomUUID();
}

export function requestLog(logger?: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdOf(req.get('x-request-id'));
    res.set('X-Request-Id', requestId);
    if (logger) {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const status = res.statusCode;
        const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
        const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
        // The route's pattern, never the URL: ids and query strings (tokens in links) stay out of the logs.
        logger[level]({ requestId, method: req.method, route: routeLabel(req), status, ms }, 'request');
      });
    }
    runWithRequestId(requestId, next);
  };
}
