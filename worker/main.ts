// Worker entrypoint: connect, run until SIGINT/SIGTERM, then drain and close.
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { MissingSecretError } from '../infra/auth/secret.js';
import { isProduction, parseEnv } from '../infra/env.js';
import { createAi } from '../infra/ai/create-ai.js';
import { createAttachmentStore, s3OptionsFromEnvironment } from '../infra/attachments/create-attachment-store.js';
import { createDb, databaseTimeoutsFromEnv } from '../infra/db.js';
import { createMailer } from '../infra/email/mailer.js';
import { createSearch } from '../infra/search/create-search.js';
import { createLogger, lifecycleLogger, logFormatOf, logFunction } from '../infra/logging/logger.js';
import { requestIdClientInterceptor } from '../infra/logging/request-id-propagation.js';
import { temporalLogger } from '../infra/logging/temporal-logger.js';
import { startTracing } from '../infra/tracing/tracing.js';
import { parseAllowedHosts } from '../infra/outbound/outbound-guard.js';
import { loadServerSecret, moveLegacyWebhookSecrets, webhookSecretBox } from '../infra/secrets/webhook-secrets.js';
import { imapPasswordBox } from '../infra/secrets/imap-passwords.js';
// The one inbound email pipeline, handed to the IMAP poll activity as a port (activities/ may not import api/).
import { inboundMailPort } from '../api/services/email/inbound-port.js';
// Scheduled messages are sent through the one message path, handed in as a port the same way.
import { agentReplyPort } from '../api/services/agent-reply-port.js';
import { createWorker, heapLimitMb } from './create-worker.js';
import { heapSnapshotsOnSignal, startMemoryLog } from './diagnostics.js';
import { freeLoopbackPort, sdkTelemetry, startWorkerMetrics, workerReadiness } from './metrics.js';
import { parseWorkerTuning } from './options.js';

const env = parseEnv();
// Structured logs: JSON lines in production, readable lines in development (infra/logging/); the
// SDK's own lines and what activities log go the same way, with their workflow and request ids.
const logger = createLogger({ name: 'worker', level: env.LOG_LEVEL, format: logFormatOf(process.env) });
// Where the process is in its life (listening, polling, stopping) is printed whatever LOG_LEVEL
// says: `npm start`, the benches and the tests wait for these lines.
const announce = lifecycleLogger(logger);
// Traces when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT; infra/tracing/).
const tracing = startTracing('seamless-worker', process.env);
const tuning = parseWorkerTuning(process.env, heapLimitMb());
if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
  throw new Error('The worker needs DATABASE_URL and TEMPORAL_ADDRESS (`npm start` sets both).');
}
// The runtime is installed once, before any connection, with our logger: with heap snapshots
// asked for, SIGUSR2 (one of the SDK's shutdown signals) writes them instead; with
// WORKER_METRICS_PORT the SDK exports its worker metrics on a loopback port that our endpoint
// appends (worker/metrics.ts).
const sdkMetricsPort = env.WORKER_METRICS_PORT === undefined ? null : await freeLoopbackPort(env.WORKER_METRICS_PORT);
Runtime.install({
  logger: temporalLogger(logger),
  ...(tuning.heapSnapshotDir ? { shutdownSignals: ['SIGINT', 'SIGTERM', 'SIGQUIT'] as NodeJS.Signals[] } : {}),
  ...(sdkMetricsPort !== null ? { telemetryOptions: sdkTelemetry(sdkMetricsPort) } : {}),
});
// Webhook secrets are sealed under a key from the server secret: the worker opens what the API
// sealed. In production a missing secret is refused before anything connects, as by the API.
let serverSecret: string;
try {
  serverSecret = loadServerSecret(env.SEAMLESS_SECRET, env.DATA_DIR, { production: isProduction(env) });
} catch (error) {
  if (!(error instanceof MissingSecretError)) throw error;
  logger.fatal(`worker: ${error.message}`);
  process.exit(1);
}
const db = createDb(env.DATABASE_URL, { timeouts: databaseTimeoutsFromEnv(env) });
const webhookSecrets = webhookSecretBox(serverSecret);
const movedSecrets = await moveLegacyWebhookSecrets(db, webhookSecrets);
if (movedSecrets > 0) announce.info(`worker: moved ${movedSecrets} plaintext webhook secret(s) into the encrypted store`);
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
// Activities signal other workflows (offering the queue), through an ordinary client connection.
const clientConnection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
// An activity's signals and starts carry the id of the request it serves, as the API's do.
const temporal = new Client({
  connection: clientConnection,
  namespace: env.TEMPORAL_NAMESPACE,
  interceptors: { workflow: [requestIdClientInterceptor, ...(tracing ? [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] : [])] },
});
// Files (uploads, email attachments): the store the API uses, from DATA_DIR or S3_*.
const attachments = createAttachmentStore({ dataDir: env.DATA_DIR, s3: s3OptionsFromEnvironment(process.env) });
const worker = await createWorker({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  db,
  temporal,
  ai: createAi(env),
  search: createSearch(db, env),
  mailer: createMailer(env),
  // Replies by email: From and the domain of Message-IDs and reply addresses from MAIL_FROM; the
  // reply address's token is verified by the API with the same server secret.
  outboundEmail: { secret: serverSecret, mailFrom: env.MAIL_FROM },
  // A reply's files go out with its mail.
  attachments,
  webhookSecrets,
  outboundAllowedHosts: parseAllowedHosts(env.OUTBOUND_ALLOWED_HOSTS),
  mailbox: {
    inbound: inboundMailPort(
      {
        db,
        temporal,
        taskQueue: env.TEMPORAL_TASK_QUEUE,
        secret: serverSecret,
        log: logFunction(logger),
        // Polled mail's files go to the store the API serves them from.
        attachments: { store: attachments },
      },
      { mailFrom: env.MAIL_FROM, maxMessageBytes: env.INBOUND_EMAIL_MAX_BYTES, autoAnswersPerHour: env.EMAIL_AUTO_ANSWERS_PER_HOUR },
    ),
    passwords: imapPasswordBox(serverSecret),
  },
  agentReplies: agentReplyPort(),
  shutdownGraceTime: '10s',
  tuning,
  ...(tracing ? { tracing } : {}),
});
if (tuning.memoryLogMs > 0) startMemoryLog(worker, tuning.memoryLogMs);
const metricsServer =
  env.WORKER_METRICS_PORT !== undefined && sdkMetricsPort !== null
    ? await startWorkerMetrics({
        host: env.METRICS_HOST,
        port: env.WORKER_METRICS_PORT,
        sdkPort: sdkMetricsPort,
        readiness: () => workerReadiness(worker, db),
      })
    : null;
if (metricsServer) announce.info(`worker: metrics at ${metricsServer.url}`);
if (tuning.heapSnapshotDir) heapSnapshotsOnSignal(worker, tuning.heapSnapshotDir);
// Worker.run() shuts down gracefully on SIGINT/SIGTERM (the SDK's Runtime listens): polling
// stops, in-flight activities finish (or are cancelled after the shutdown grace time) and run()
// resolves; then the connections and the pool are closed and the process exits 0.
let signalled: string | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    signalled = signal;
    announce.info(`worker: ${signal} received; draining`);
  });
}
announce.info(
  `worker polling task queue "${env.TEMPORAL_TASK_QUEUE}" on ${env.TEMPORAL_ADDRESS} (sticky queue timeout ${tuning.stickyQueueTimeoutMs} ms, up to ${tuning.maxCachedWorkflows} cached workflows)`,
);
try {
  await worker.run();
  await metricsServer?.close();
  await tracing?.shutdown();
  await connection.close();
  await clientConnection.close();
  await db.$disconnect();
  announce.info(`worker: drained and closed${signalled ? ` after ${signalled}` : ''}`);
  process.exit(0);
} catch (error) {
  logger.error({ err: error }, 'worker: stopped with an error');
  process.exit(1);
}
