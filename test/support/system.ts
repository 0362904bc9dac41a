// The system under test, in-process: its own database (cloned from the seeded template), a worker
// on its own task queue of the shared Temporal dev server, and the API + WebSocket server on a
// free port. Real components throughout; only the process boundary is left out.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { SecurityOverrides } from '../../api/security/security-options.js';
import { startApi, type RunningApi } from '../../api/server.js';
import { createAuthenticator } from '../../infra/auth/principal.js';
import type { AiApi } from '../../infra/ai/ai-api.js';
import { createAi } from '../../infra/ai/create-ai.js';
import { createDb, type Db } from '../../infra/db.js';
import { createMailer, type Mailer } from '../../infra/email/mailer.js';
import { createTestNamespace } from './test-namespace.js';
import { createPostgresSearch } from '../../infra/search/postgres-search.js';
import { demoPassword } from '../../prisma/demo-data.js';
import { createWorker } from '../../worker/create-worker.js';
import { openSocket, type TestSocket } from './socket-client.js';
import { cloneTemplateDatabase } from './test-database.js';

// Response bodies are JSON the tests inspect field by field; their assertions are the type check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, for malformed bodies. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestSystem {
  url: string;
  db: Db;
  databaseUrl: string;
  temporal: Client;
  taskQueue: string;
  /** This file's own Temporal namespace (test/support/test-namespace.ts). */
  namespace: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** Logs a demo user in and returns the bearer token. */
  login(email: string): Promise<string>;
  /** A new widget visitor: token and customer id. */
  visitor(name?: string): Promise<{ token: string; customerId: string }>;
  socket(token: string, after?: string): Promise<TestSocket>;
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
  /** The API's rate limits, lockout, allowed origins and clock; default as in production. */
  security?: SecurityOverrides;
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
  let stopWorker = async () => {};
  if (options.inProcessWorker ?? true) {
    const workerConnection = await NativeConnection.connect({ address });
    const worker: Worker = await createWorker({ connection: workerConnection, namespace, taskQueue, db, temporal, ai, search: createPostgresSearch(db), mailer: options.mailer ?? createMailer({ MAIL_FROM: 'Seamless <support@seamless.local>' }) });
    const workerRun = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await workerRun;
      await workerConnection.close();
    };
  }
  const secret = randomBytes(48).toString('base64url');
  const api: RunningApi = await startApi({
    db,
    temporal,
    taskQueue,
    secret,
    authenticate: createAuthenticator(db, secret),
    ai,
    log: () => {}, // unexpected errors surface as 500s, which tests assert against
    consoleDir: options.consoleDir,
    security: options.security,
    databaseUrl,
    host: '127.0.0.1',
    port: 0,
  });
  const sockets: TestSocket[] = [];

  const request = async (method: string, path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${api.url}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  return {
    url: api.url,
    db,
    databaseUrl,
    temporal,
    taskQueue,
    namespace,
    request,
    async login(email) {
      const response = await request('POST', '/api/auth/login', { body: { email, password: demoPassword } });
      if (response.status !== 200) throw new Error(`login of ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.token as string;
    },
    async visitor(name = 'Test Visitor') {
      const response = await request('POST', '/api/widget/visitors', { body: { name } });
      if (response.status !== 201) throw new Error(`visitor creation failed: ${response.status}`);
      return { token: response.body.token as string, customerId: response.body.customer.id as string };
    },
    async socket(token, after) {
      const socket = await openSocket(api.url, token, after);
      sockets.push(socket);
      return socket;
    },
    async stop() {
      await Promise.all(sockets.map((socket) => socket.close()));
      await api.close();
      await stopWorker();
      await connection.close();
      await db.$disconnect();
    },
  };
}
