// Configuration, parsed once per process at start and passed down typed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parsePriceTable } from './ai/prices.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const optionalString = z.string().trim().min(1).optional();
/** Milliseconds, 0 or more; an empty value counts as unset (an empty DATABASE_QUERY_TIMEOUT_MS must not turn the limit off). */
const milliseconds = () =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.coerce.number().int().min(0).optional());

const envSchema = z.object({
  /** `production`: no demo data is ever seeded and every process that signs tokens refuses to start without SEAMLESS_SECRET. Anything else is the local demo. */
  NODE_ENV: z.string().trim().optional(),
  DATABASE_URL: optionalString,
  /** A read replica of DATABASE_URL (a streaming standby) for the reports and their CSV exports; unset: they read the primary (infra/read-replica.ts). */
  DATABASE_READ_URL: optionalString,
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('seamless'),
  TEMPORAL_CLI: optionalString,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalString,
  /** Signs visitor tokens. Without it a random secret is kept under DATA_DIR (demo only: required in production). */
  SEAMLESS_SECRET: z.string().min(32).optional(),
  DATA_DIR: z.string().default(path.join(projectRoot, '.data')),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().default(54320),
  TEMPORAL_PORT: z.coerce.number().int().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  VITE_PORT: z.coerce.number().int().default(5173),
  /** Meilisearch for knowledge search; without it PostgreSQL full-text search is used. */
  MEILI_URL: z.url().optional(),
  MEILI_MASTER_KEY: optionalString,
  /** An OpenAI-compatible endpoint (ending in /v1) for the AI layer; with it or AI_API_KEY the model path is used, else the local fallback. */
  AI_BASE_URL: z.url().optional(),
  /** The endpoint's API key (sent as a Bearer token); alone it means OpenAI's own endpoint. */
  AI_API_KEY: optionalString,
  /** The chat model every AI call uses. */
  AI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  /** Timeout of one model call attempt, in milliseconds (the client retries transient failures twice). */
  AI_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  /** Prices per 1K tokens for the AI calls log, JSON: {"gpt-4o-mini":{"input":0.00015,"output":0.0006}}; a model not in it has cost null (infra/ai/prices.ts). */
  AI_PRICES: z
    .string()
    .trim()
    .min(1)
    .transform((text, context) => {
      try {
        return parsePriceTable(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  /** An embedding model of the endpoint (e.g. text-embedding-3-small): with it the bot's retrieval fuses the lexical ranking with the nearest articles by embedding (infra/ai/embeddings.ts). */
  AI_EMBEDDING_MODEL: optionalString,
  /** The model path checks an answer against its passages (a second short call) unless the reranker scored its best passage above this (0-1); default 1: always. */
  AI_VERIFY_BELOW: z.coerce.number().min(0).max(1).optional(),
  /** Voice and video calls (api/services/call-service.ts): STUN and TURN servers for the browsers, comma-separated URLs; none: host candidates only (the local demo). */
  CALL_STUN_URLS: optionalString,
  CALL_TURN_URLS: optionalString,
  /** coturn's static-auth-secret: each call gets its own short-lived TURN password. */
  CALL_TURN_SECRET: optionalString,
  /** Without a secret: one fixed TURN user for every call. */
  CALL_TURN_USERNAME: optionalString,
  CALL_TURN_CREDENTIAL: optionalString,
  /** How long a per-call TURN password is valid, in seconds. */
  CALL_TURN_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
  /** Outgoing mail server, e.g. smtp://user:pass@mail.example.com:587; without it no email is sent. */
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().default('Seamless <support@seamless.local>'),
  /** DKIM signing of outgoing mail (infra/email/dkim.ts): all of domain, selector and a key (PEM, `\n` escapes allowed, or a file), else none. */
  DKIM_DOMAIN: optionalString,
  DKIM_SELECTOR: optionalString,
  DKIM_PRIVATE_KEY: optionalString,
  DKIM_PRIVATE_KEY_FILE: optionalString,
  /** The built-in SMTP listener for inbound mail (api/services/email/smtp-listener.ts): off unless set; `npm start` sets it for the demo. */
  SMTP_LISTEN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The address the SMTP listener binds (default: HOST). */
  SMTP_LISTEN_HOST: optionalString,
  /** The largest inbound email accepted by the SMTP listener and the webhook, in bytes (default 25 MiB). */
  INBOUND_EMAIL_MAX_BYTES: z.coerce.number().int().positive().optional(),
  /** Automatic answers one email sender gets per hour until an admin sets the number (selfService.emailAutoAnswersPerHour; default 5). */
  EMAIL_AUTO_ANSWERS_PER_HOUR: z.coerce.number().int().min(0).max(1000).optional(),
  /** The largest file an agent or a visitor may upload, in bytes (api/services/attachments.ts; default 10 MiB). */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().positive().optional(),
  /**
   * Internal hosts rule webhooks may call (infra/outbound/outbound-guard.ts): comma-separated names,
   * addresses and CIDR ranges, e.g. `hooks.intranet,10.0.0.0/8`. Without it only public https:// hosts.
   */
  OUTBOUND_ALLOWED_HOSTS: optionalString,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** `json` (one object per line) or `pretty` (readable lines); default JSON in production, pretty otherwise (infra/logging/). */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** Prometheus metrics of the API at GET /metrics on this port (infra/metrics/): off unless set. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The same for the worker, with the Temporal SDK's own worker metrics appended: off unless set. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Traces by OTLP over HTTP (infra/tracing/): the collector's base URL, or the traces URL itself; off unless one is set. Read by the OpenTelemetry exporter, with the other OTEL_EXPORTER_OTLP_* variables. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalString,
  /** The address the metrics ports bind (default 127.0.0.1: not public unless you say so). */
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** Opening a database connection or waiting for a free pool connection, in ms (default 5000; 0 = no limit; infra/db.ts). */
  DATABASE_CONNECT_TIMEOUT_MS: milliseconds(),
  /** PostgreSQL's `statement_timeout` for every connection, in ms (default 30000; 0 = no limit). */
  DATABASE_STATEMENT_TIMEOUT_MS: milliseconds(),
  /** The client's limit on an unanswered query (a frozen server), in ms (default: the statement timeout + 5000, none when that is 0; 0 = no limit). */
  DATABASE_QUERY_TIMEOUT_MS: milliseconds(),
  /** PostgreSQL's `idle_in_transaction_session_timeout`, in ms (default 60000; 0 = no limit). */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: milliseconds(),
  /** `npm start`: the first restart delay of a child that died, in ms, doubled on each death in a row (default 1000; scripts/supervisor.ts). */
  SUPERVISOR_RESTART_DELAY_MS: milliseconds().default(1_000),
  /** `npm start`: the longest restart delay, in ms (default 30000). */
  SUPERVISOR_RESTART_MAX_DELAY_MS: milliseconds().default(30_000),
  /** `npm start`: a child up this long counts as healthy, so its next death starts the back-off again from the first delay, in ms (default 30000). */
  SUPERVISOR_HEALTHY_AFTER_MS: milliseconds().default(30_000),
  /** Requests per minute per IP to POST /api/widget/visitors (default 60; 0 = no limit; api/security/security-options.ts). */
  RATE_LIMIT_WIDGET_VISITORS: z.coerce.number().int().min(0).optional(),
  /** Requests per minute per IP to POST /api/widget/conversations (default 120; 0 = no limit). */
  RATE_LIMIT_WIDGET_CONVERSATIONS: z.coerce.number().int().min(0).optional(),
  /** Messages per minute per widget visitor (default 120; 0 = no limit, e.g. for long bench runs). */
  RATE_LIMIT_WIDGET_MESSAGES: z.coerce.number().int().min(0).optional(),
  /** Widget messages per minute from one IP, all its visitors together (default 600; 0 = no limit). */
  RATE_LIMIT_WIDGET_MESSAGES_PER_IP: z.coerce.number().int().min(0).optional(),
  /** CSAT ratings and bot feedback per minute per widget visitor (default 30; 0 = no limit). */
  RATE_LIMIT_WIDGET_FEEDBACK: z.coerce.number().int().min(0).optional(),
  /** Failed sign-ins per 15 minutes per IP (default 30; 0 = no limit). */
  RATE_LIMIT_LOGIN: z.coerce.number().int().min(0).optional(),
  /** Requests per minute per integration API key (default 600; 0 = no limit). */
  RATE_LIMIT_API_KEY: z.coerce.number().int().min(0).optional(),
  /** Failed sign-ins for one email from one client address within the window that lock that address out of it (default 5). */
  LOGIN_LOCKOUT_FAILURES: z.coerce.number().int().min(1).optional(),
  /** Failed sign-ins for one email from all addresses together within the window that lock it for addresses it has not signed in from (default 50). */
  LOGIN_LOCKOUT_ACCOUNT_FAILURES: z.coerce.number().int().min(1).optional(),
  /** The window counting failed sign-ins, in minutes (default 15). */
  LOGIN_LOCKOUT_WINDOW_MINUTES: z.coerce.number().positive().optional(),
  /** How long a locked email stays locked, in minutes (default 15). */
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().positive().optional(),
  /** Widget visitors who never wrote anything are deleted after this many days (default 30; 0 = keep them). */
  VISITOR_RETENTION_DAYS: z.coerce.number().min(0).default(30),
  /** Express `trust proxy` behind a reverse proxy: `true`, a hop count, or addresses/`loopback` (default: none trusted). */
  TRUST_PROXY: z
    .string()
    .trim()
    .min(1)
    .transform((value): boolean | number | string => (value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value))
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

/** A production deployment (NODE_ENV=production, as the Docker image sets): no demo data, SEAMLESS_SECRET required. */
export const isProduction = (env: Pick<Env, 'NODE_ENV'>): boolean => env.NODE_ENV === 'production';

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return result.data;
}
