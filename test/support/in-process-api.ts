// The Express app in this process, built by the same factory as the API (api/app.ts createApp),
// over a database of its own cloned from the seeded template, with a fake Temporal client
// (fake-temporal.ts) and the real workflow outbox relay delivering to it. No worker and no
// WebSocket server: route behaviour — validation, permissions, filters, what the workflow is
// told — is tested in well under a second per file, without the full stack (system.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { createWorkflowRelay } from '../../api/services/workflow-relay.js';
import { createAuthenticator } from '../../infra/auth/principal.js';
import { createDb, type Db } from '../../infra/db.js';
import { createApiClient, type ApiClient } from './api-client.js';
import { createFakeTemporal, type FakeTemporal } from './fake-temporal.js';
import { cloneTemplateDatabase } from './test-database.js';

export interface InProcessApi extends Pick<ApiClient, 'request' | 'login' | 'visitor'> {
  url: string;
  db: Db;
  temporal: FakeTemporal;
  taskQueue: string;
  /** What the app logged (only unexpected errors are logged). */
  logged: { message: string; error?: unknown }[];
  stop(): Promise<void>;
}

/** Optional dependencies (search, AI, rate limits and clock, …) as the test wants them; defaults as in production. */
export type InProcessOptions = Partial<
  Pick<ApiDeps, 'search' | 'ai' | 'security' | 'outboundAllowedHosts' | 'inboundEmail' | 'attachments' | 'mailer' | 'eventStreamListening' | 'reports'>
> & {
  /** A database of the test's own (a read replica's primary) instead of a clone of the template. */
  databaseUrl?: string;
};

export async function startInProcessApi({ databaseUrl: ownDatabase, ...options }: InProcessOptions = {}): Promise<InProcessApi> {
  const databaseUrl = ownDatabase ?? (await cloneTemplateDatabase(inject('postgresAdminUrl')));
  const db = createDb(databaseUrl, { poolSize: 4 });
  const temporal = createFakeTemporal();
  const taskQueue = `in-process-${randomUUID()}`;
  const secret = randomBytes(48).toString('base64url');
  const logged: InProcessApi['logged'] = [];
  const log = (message: string, error?: unknown) => void logged.push({ message, error });
  const relay = createWorkflowRelay({ db, temporal: temporal.client, taskQueue, log });
  const app = createApp({ db, temporal: temporal.client, taskQueue, secret, authenticate: createAuthenticator(db, secret), log, relay, ...options });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createApiClient(url);
  return {
    url,
    db,
    temporal,
    taskQueue,
    logged,
    request: client.request,
    login: client.login,
    visitor: client.visitor,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await relay.close();
      await db.$disconnect();
    },
  };
}
