// Traces (OpenTelemetry), on when an OTLP endpoint is configured (the standard
// OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): one customer message is one
// trace, from the API's HTTP span through the Temporal client (workflow start, signal, update),
// the workflow's run and the activities it schedules (Temporal's OpenTelemetry interceptors,
// worker/create-worker.ts), exported by OTLP over HTTP. Off, nothing is loaded into the workflow
// bundle and no span is made.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  tracer: Tracer;
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Exports what is left and stops. */
  shutdown(): Promise<void>;
}

export function tracingConfigured(env: Record<string, string | undefined>): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Registers the process's tracer provider (once per process) exporting to the configured OTLP
 * endpoint, or to `exporter` (tests, synchronously); null when tracing is not configured.
 */
export function startTracing(serviceName: string, env: Record<string, string | undefined>, exporter?: SpanExporter): Tracing | null {
  if (!exporter && !tracingConfigured(env)) return null;
  const resource = new Resource({ 'service.name': serviceName });
  // The exporter reads OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) itself.
  const spanProcessor = exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  return { tracer: provider.getTracer('seamless'), resource, spanProcessor, shutdown: () => provider.shutdown() };
}

/**
 * Runs `work` inside a server span continuing the caller's trace (a `traceparent` header), and
 * returns the function that ends it with the route and status once the answer is known.
 */
export function serverSpan(
  tracer: Tracer,
  name: string,
  headers: Record<string, string | string[] | undefined>,
  work: () => void,
): (route: string, status: number) => void {
  const parent = propagation.extract(context.active(), headers);
  const span = tracer.startSpan(name, { kind: SpanKind.SERVER }, parent);
  context.with(trace.setSpan(parent, span), work);
  return (route, status) => {
    span.updateName(`${name} ${route}`);
    span.setAttribute('http.route', route);
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
}
