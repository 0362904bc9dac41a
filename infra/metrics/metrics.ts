// What an operator scrapes: one Prometheus registry per process (prom-client), with Node's own
// process metrics and the counters and histograms the API and the worker update as they work.
// Names start with `seamless_`; labels are bounded (a route's pattern, never its URL; an
// operation or a status, never an id), so a busy deployment does not grow new series per user.
// The figures read from the database (conversations by status, the queue, the outbox) are
// gauges collected at scrape time: `database-gauges.ts`.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'seamless_' });

/** Latency buckets (seconds) for requests and deliveries: 1 ms to 10 s. */
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequests = new Counter({
  name: 'seamless_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'seamless_http_request_duration_seconds',
  help: 'Time from a request arriving to its response finishing, by method and route pattern.',
  labelNames: ['method', 'route'] as const,
  buckets: latencyBuckets,
  registers: [registry],
});

export const websocketConnections = new Gauge({
  name: 'seamless_websocket_connections',
  help: 'Open WebSocket connections, by who holds them (user or customer).',
  labelNames: ['viewer'] as const,
  registers: [registry],
});

export const websocketEventsSent = new Counter({
  name: 'seamless_websocket_events_sent_total',
  help: 'Event frames sent to WebSocket clients (live and catch-up).',
  registers: [registry],
});

export const eventFanOutLag = new Histogram({
  name: 'seamless_event_fanout_lag_seconds',
  help: 'Time from an event being written to this process receiving it for its sockets (live events only).',
  buckets: latencyBuckets,
  registers: [registry],
});

export const messagesStored = new Counter({
  name: 'seamless_messages_stored_total',
  help: 'Messages stored by this process (each one a 201), by who sent them.',
  labelNames: ['sender'] as const,
  registers: [registry],
});

export const botDecisions = new Counter({
  name: 'seamless_bot_decisions_total',
  help: "The bot's decisions on customers' first questions: answered, clarifying_question (asked which of two articles), or declined (left to a person).",
  labelNames: ['decision'] as const,
  registers: [registry],
});

export const aiCallDuration = new Histogram({
  name: 'seamless_ai_call_duration_seconds',
  help: 'AI calls (model or local fallback), by operation, provider and outcome.',
  labelNames: ['operation', 'provider', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const aiTokens = new Counter({
  name: 'seamless_ai_tokens_total',
  help: 'Tokens used by AI calls, by operation, provider and kind (prompt or completion).',
  labelNames: ['operation', 'provider', 'kind'] as const,
  registers: [registry],
});

export const aiCost = new Counter({
  name: 'seamless_ai_cost_total',
  help: 'What AI calls cost by the price table (AI_PRICES, per 1K tokens, in its currency), by operation, provider and model; calls of models without a price are not counted.',
  labelNames: ['operation', 'provider', 'model'] as const,
  registers: [registry],
});

export const emailsReceived = new Counter({
  name: 'seamless_emails_received_total',
  help: 'Inbound emails received (SMTP listener, IMAP polling or the webhook), by outcome: processed, duplicate (a redelivery) or refused.',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const emailsSent = new Counter({
  name: 'seamless_emails_sent_total',
  help: 'Outbound emails of conversations, by outcome (sent, failed: given up after retries or refused).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** The text a scrape returns: this registry, then any other exposition (e.g. the Temporal SDK's). */
export async function metricsText(extra?: () => Promise<string>): Promise<string> {
  const own = await registry.metrics();
  if (!extra) return own;
  const more = await extra().catch((error: unknown) => `# could not read more metrics: ${error instanceof Error ? error.message : String(error)}\n`);
  return `${own}\n${more}`;
}
