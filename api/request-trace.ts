// With tracing on (infra/tracing/), each request is a server span — continuing the caller's trace
// when it sends a `traceparent` — named by its method and route pattern; the workflow calls it
// makes are its children (Temporal's client interceptor), and so on into the worker.
import type { Tracer } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { serverSpan } from '../infra/tracing/tracing.js';
import { routeLabel } from './request-metrics.js';

export function requestTrace(tracer: Tracer) {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = serverSpan(tracer, req.method, req.headers, next);
    res.once('finish', () => end(routeLabel(req), res.statusCode));
  };
}
