// API entrypoint: REST + WebSocket + the built console on one port; closes cleanly on SIGINT/SIGTERM.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { issueSetupLink, setupLinkNotice } from '../infra/auth/first-admin.js';
import { createAuthenticator } from '../infra/auth/principal.js';
import { loadSecret, MissingSecretError } from '../infra/auth/secret.js';
import { createDb, databaseTimeoutsFromEnv } from '../infra/db.js';
import { createReportReader } from '../infra/read-replica.js';
import { isProduction, parseEnv, projectRoot } from '../infra/env.js';
import { createAi } from '../infra/ai/create-ai.js';
import { createAttachmentStore, s3OptionsFromEnvironment } from '../infra/attachments/create-attachment-store.js';
import { createMailer } from '../infra/email/mailer.js';
import { createLogger, lifecycleLogger, logFormatOf, logFunction } from '../infra/logging/logger.js';
import { requestIdClientInterceptor } from '../infra/logging/request-id-propagation.js';
import { startTracing } from '../infra/tracing/tracing.js';
import { registerDatabaseGauges } from '../infra/metrics/database-gauges.js';
import { registry } from '../infra/metrics/metrics.js';
import { startMetricsServer, type MetricsServer } from '../infra/metrics/metrics-server.js';
import { createSearch } from '../infra/search/create-search.js';
import { parseAllowedHosts } from '../infra/outbound/outbound-guard.js';
import { moveLegacyWebhookSecrets, webhookSecretBox } from '../infra/secrets/webhook-secrets.js';
import { securityFromEnv } from './security/security-options.js';
import { domainOfAddress } from './services/email/ingest-email.js';
import { startSmtpListener } from './services/email/smtp-listener.js';
import { startVisitorRetention } from './services/visitor-retention.js';
import { startUploadSweep } from './services/attachments.js';
import { callSettingsFromEnvironment } from './services/call-service.js';
import { createWorkflowRelay } from './services/workflow-relay.js';
import { startApi } from './server.js';

const env = parseEnv();
const production = isProduction(env);
// Structured logs: JSON lines in production, readable lines in development (infra/logging/).
const logger = createLogger({ name: 'api', level: env.LOG_LEVEL, format: logFormatOf(process.env) });
// Where the process is in its life (listening, polling, stopping) is printed whatever LOG_LEVEL
// says: `npm start`, the benches and the tests wait for these lines.
const announce = lifecycleLogger(logger);
// Traces when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT; infra/tracing/).
const tracing = startTracing('seamless-api', process.env);
let secret: string;
try {
  // Before anything connects: in production a missing secret is a clear refusal, not a crash later.
  secret = loadSecret(env.SEAMLESS_SECRET, env.DATA_DIR, { production });
} catch (error) {
  if (!(error instanceof MissingSecretError)) throw error;
  logger.fatal(`api: ${error.message}`);
  process.exit(1);
}
if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
  throw new Error('The API needs DATABASE_URL and TEMPORAL_ADDRESS (`npm start` sets both).');
}
// Statement, query and connect timeouts: a frozen database answers 503, never a hang (infra/db.ts).
const db = createDb(env.DATABASE_URL, { timeouts: databaseTimeoutsFromEnv(env) });
// Reports read a replica when one is configured, the primary while it is down (infra/read-replica.ts).
const replicaDb = env.DATABASE_READ_URL ? createDb(env.DATABASE_READ_URL, { timeouts: databaseTimeoutsFromEnv(env) }) : null;
// Lazy: the API starts (and accepts messages into the outbox) while Temporal is down; the client
// connects on its first call and reconnects by itself, and the relay delivers once it answers.
// gRPC's reconnect back-off is capped at 1 s (not 120 s): after an outage the relay finds
// Temporal within a second of its return.
const connection = Connection.lazy({
  address: env.TEMPORAL_ADDRESS,
  channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 1_000 },
});
// Rules stored before webhook secrets were write-only: their plaintext secrets move into the encrypted store.
const movedSecrets = await moveLegacyWebhookSecrets(db, webhookSecretBox(secret));
if (movedSecrets > 0) announce.info(`api: moved ${movedSecrets} plaintext webhook secret(s) into the encrypted store`);
const inboundEmail = {
  maxMessageBytes: env.INBOUND_EMAIL_MAX_BYTES,
  replyDomain: domainOfAddress(env.MAIL_FROM),
  autoAnswersPerHour: env.EMAIL_AUTO_ANSWERS_PER_HOUR,
};
const log = logFunction(logger);
// Files (uploads, email attachments): a bucket when S3_BUCKET is set, else DATA_DIR/attachments.
const attachments = {
  store: createAttachmentStore({ dataDir: env.DATA_DIR, s3: s3OptionsFromEnvironment(process.env) }),
  maxUploadBytes: env.ATTACHMENT_MAX_BYTES,
};
// Every workflow start, signal and update carries the id of the request that made it (and, with
// tracing on, its span).
const temporal = new Client({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  interceptors: { workflow: [requestIdClientInterceptor, ...(tracing ? [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] : [])] },
});
// One relay for the HTTP API and the SMTP listener (startApi closes it after the last request).
const relay = createWorkflowRelay({ db, temporal, taskQueue: env.TEMPORAL_TASK_QUEUE, log });
const api = await startApi({
  db,
  temporal,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  relay,
  secret,
  outboundAllowedHosts: parseAllowedHosts(env.OUTBOUND_ALLOWED_HOSTS),
  authenticate: createAuthenticator(db, secret),
  ...(replicaDb ? { reports: createReportReader(db, replicaDb) } : {}),
  search: createSearch(db, env),
  ai: createAi(env),
  log,
  logger,
  ...(tracing ? { tracer: tracing.tracer } : {}),
  consoleDir: path.join(projectRoot, 'console', 'dist'),
  security: securityFromEnv(env),
  inboundEmail,
  attachments,
  // Calls' STUN/TURN servers (CALL_STUN_URLS, CALL_TURN_URLS, CALL_TURN_SECRET…).
  calls: callSettingsFromEnvironment(env),
  // Invitations and reset links (SMTP_URL, MAIL_FROM); without SMTP the admin is shown the link.
  mailer: createMailer(env),
  databaseUrl: env.DATABASE_URL,
  host: env.HOST,
  port: env.PORT,
});
announce.info(`api listening on ${api.url}`);
const retention = startVisitorRetention(db, { retentionDays: env.VISITOR_RETENTION_DAYS, log });
// Uploads no message sent within a day are deleted (services/attachments.ts).
const uploadSweep = startUploadSweep(db, attachments.store, { log });
// Inbound mail over SMTP, only when configured; it hands messages to the same services as the API.
const smtpListener =
  env.SMTP_LISTEN_PORT === undefined
    ? null
    : await startSmtpListener(
        { db, temporal, taskQueue: env.TEMPORAL_TASK_QUEUE, relay, secret, log, attachments },
        {
          host: env.SMTP_LISTEN_HOST ?? env.HOST,
          port: env.SMTP_LISTEN_PORT,
          replyDomain: inboundEmail.replyDomain,
          limits: inboundEmail.maxMessageBytes === undefined ? {} : { maxMessageBytes: inboundEmail.maxMessageBytes },
          defaultAutoAnswersPerHour: inboundEmail.autoAnswersPerHour,
        },
      );
if (smtpListener) announce.info(`api: inbound SMTP listening on ${smtpListener.url}`);
// Prometheus metrics on a port of their own, only when METRICS_PORT is set (infra/metrics/).
let metricsServer: MetricsServer | null = null;
if (env.METRICS_PORT !== undefined) {
  registerDatabaseGauges(registry, db);
  metricsServer = await startMetricsServer({ host: env.METRICS_HOST, port: env.METRICS_PORT });
  announce.info(`api: metrics at ${metricsServer.url}`);
}
// A production start with no user yet prints, once, a one-time link to create the first admin.
if (production) {
  const setupLink = await issueSetupLink(db, env.PUBLIC_URL ?? api.url);
  // On the terminal as it is, not as a log line: the one place a secret is shown, to whoever starts the first install.
  if (setupLink) console.log(setupLinkNotice(setupLink));
}

// Graceful shutdown: stop accepting connections at once, let in-flight requests finish, close the
// WebSockets with 1001 "going away" (clients reconnect elsewhere with their last event id), stop
// the workflow relay (what it has not delivered stays in the outbox), then close the pools. A
// shutdown that hangs is cut short: exit 1 after `shutdownLimitMs`.
const shutdownLimitMs = 25_000;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  const closing = api.close(); // stops listening synchronously
  const smtpClosing = smtpListener?.close();
  const metricsClosing = metricsServer?.close();
  retention.stop();
  uploadSweep.stop();
  announce.info(`api: ${signal} received; not accepting connections, finishing in-flight requests`);
  setTimeout(() => {
    logger.error(`api: shutdown took over ${shutdownLimitMs} ms; exiting`);
    process.exit(1);
  }, shutdownLimitMs).unref();
  try {
    await closing;
    await smtpClosing;
    await metricsClosing;
    await tracing?.shutdown();
    await connection.close();
    await db.$disconnect();
    await replicaDb?.$disconnect();
    announce.info('api: shut down cleanly');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'api: shutdown failed');
    process.exit(1);
  }
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
