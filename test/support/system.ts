// The system under test, in-process: its own database (cloned from the seeded template), a worker
// on its own task queue of the shared Temporal dev server, and the API + WebSocket server on a
// free port. Real components throughout; only the process boundary is left out.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { SecurityOverrides } from '../../api/security/security-options.js';
import { startApi, type RunningApi } from '../../api/server.js';
import { createAuthenticator } from '../../infra/auth/principal.js';
import type { AiApi } from '../../infra/ai/ai-api.js';
import { createAi } from '../../infra/ai/create-ai.js';
import type { AttachmentStore } from '../../infra/attachments/attachment-store.js';
import { createLocalDiskStore } from '../../infra/attachments/local-disk-store.js';
import { createDb, type Db } from '../../infra/db.js';
import { createMailer, type Mailer } from '../../infra/email/mailer.js';
import { createTestNamespace } from './test-namespace.js';
import { createPostgresSearch } from '../../infra/search/postgres-search.js';
import { webhookSecretBox } from '../../infra/secrets/webhook-secrets.js';
import type { ConnectionLimitOptions } from '../../realtime/connection-limits.js';
import { createWorker } from '../../worker/create-worker.js';
import { testWorkflowBundle } from './workflow-bundle.js';
import { agentReplyPort } from '../../api/services/agent-reply-port.js';
import type { OutboundEmailOptions } from '../../activities/email-activities.js';
import { createApiClient, type ApiResponse, type RequestOptions } from './api-client.js';
import type { TestSocket } from './socket-client.js';
import { cloneTemplateDatabase } from './test-database.js';

export type { ApiResponse, RequestOptions } from './api-client.js';

export interface TestSystem {
  url: string;
  db: Db;
  databaseUrl: string;
  temporal: Client;
  taskQueue: string;
  /** This file's own Temporal namespace (test/support/test-namespace.ts). */
  namespace: string;
  /** The attachment store the API and the worker share (a temporary folder). */
  attachments: AttachmentStore;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** Logs a demo user in and returns the bearer token. */
  login(email: string): Promise<string>;
  /** A new widget visitor: token and customer id. */
  visitor(name?: string): Promise<{ token: string; customerId: string }>;
  socket(token: string, after?: string, xmin?: string): Promise<TestSocket>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

export interface SystemOptions {
  consoleDir?: string;
  /** false: no worker here; the test runs one itself (as a child process) on `taskQueue`. */
  inProcessWorker?: boolean;
  /** The worker's AI layer; default the local fallback, as without a model endpoint. */
  ai?: AiApi;
  /** A Temporal server of the test's own (fault tests restart it); default the shared one. */
  temporalAddress?: string;
  /** The worker's outgoing mail; default none configured (nothing is sent, as without SMTP_URL). */
  mailer?: Mailer;
  /** The worker's email replies (MAIL_FROM, retry policy); the system's secret is added. Default none: each is "not delivered". */
  outboundEmail?: Omit<OutboundEmailOptions, 'secret'>;
  /** The API's rate limits, lockout, allowed origins and clock; default as in production. */
  security?: SecurityOverrides;
  /** The WebSocket server's bounds (sockets per token and address, frames per socket); default as in production. */
  realtimeLimits?: Partial<ConnectionLimitOptions>;
  /** Signs visitor tokens; default a random one. Share it with an API child process so both accept the same visitors. */
  secret?: string;
  /** Internal hosts rule webhooks may call (OUTBOUND_ALLOWED_HOSTS), for the API and the worker; default none, as in production. */
  outboundAllowedHosts?: string[];
  /** false: the in-process API leaves workflow outbox rows to other API processes (a fault test's child); default true. */
  inProcessRelay?: boolean;
}

export async function startSystem(options: SystemOptions = {}): Promise<TestSystem> {
  if (!runtimeInstalled) {
    // Worker lifecycle and bundling logs would bury test output; warnings and errors still show.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const databaseUrl = await cloneTemplateDatabase(inject('postgresAdminUrl'));
  const db = createDb(databaseUrl, { poolSize: 5 });
  const address = options.temporalAddress ?? inject('temporalAddress');
  const taskQueue = `test-${randomUUID()}`;

  const connection = await Connection.connect({ address });
  const namespace = await createTestNamespace(connection);
  const temporal = new Client({ connection, namespace });
  const ai = options.ai ?? createAi();
  // The API seals webhook secrets with a key from this secret and the worker opens them: one secret for both.
  const secret = options.secret ?? randomBytes(48).toString('base64url');
  const outboundAllowedHosts = options.outboundAllowedHosts;
  // One attachment store for the API and the worker, as DATA_DIR is in production.
  const attachmentsDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-system-attachments-'));
  const attachments = createLocalDiskStore({ root: attachmentsDir });
  let stopWorker = async () => {};
  if (options.inProcessWorker ?? true) {
    const workerConnection = await NativeConnection.connect({ address });
    const worker: Worker = await createWorker({
      connection: workerConnection,
      namespace,
      taskQueue,
      db,
      temporal,
      ai,
      search: createPostgresSearch(db),
      mailer: options.mailer ?? createMailer({ MAIL_FROM: 'Seamless <support@seamless.local>' }),
      webhookSecrets: webhookSecretBox(secret),
      outboundAllowedHosts,
      ...(options.outboundEmail ? { outboundEmail: { ...options.outboundEmail, secret } } : {}),
      attachments,
      agentReplies: agentReplyPort(),
      tuning: { workflowBundlePath: testWorkflowBundle().codePath },
    });
    const workerRun = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await workerRun;
      await workerConnection.close();
    };
  }
  const api: RunningApi = await startApi({
    db,
    temporal,
    taskQueue,
    secret,
    outboundAllowedHosts,
    authenticate: createAuthenticator(db, secret),
    ai,
    log: () => {}, // unexpected errors surface as 500s, which tests assert against
    consoleDir: options.consoleDir,
    attachments: { store: attachments },
    security: options.security,
    realtimeLimits: options.realtimeLimits,
    relay: options.inProcessRelay === false ? { claim: () => null, deliverNow: async () => {}, close: async () => {} } : undefined,
    databaseUrl,
    host: '127.0.0.1',
    port: 0,
  });
  const client = createApiClient(api.url);

  return {
    url: api.url,
    db,
    databaseUrl,
    temporal,
    taskQueue,
    namespace,
    attachments,
    request: client.request,
    login: client.login,
    visitor: client.visitor,
    socket: client.socket,
    async stop() {
      await client.closeSockets();
      await api.close();
      await stopWorker();
      await connection.close();
      await db.$disconnect();
      await rm(attachmentsDir, { recursive: true, force: true });
    },
  };
}
