// Reports on a real read replica (DATABASE_READ_URL, infra/read-replica.ts): a primary and a
// streaming hot standby of it, both from the embedded PostgreSQL binaries
// (infra/local/postgres-replica.ts). Pausing the standby's replay shows which server a report
// read: what the primary has and the replica has not replayed yet is missing from the report.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../infra/auth/passwords.js';
import { createDb, type Db } from '../infra/db.js';
import { startEmbeddedPostgres, type EmbeddedRunningPostgres } from '../infra/local/postgres.js';
import { startStreamingReplica } from '../infra/local/postgres-replica.js';
import { createReportReader } from '../infra/read-replica.js';
import { demoPassword } from '../prisma/demo-data.js';
import { applyMigrations } from '../prisma/migrate/migrations.js';
import { freePort } from './support/free-port.js';
import { startInProcessApi, type InProcessApi } from './support/in-process-api.js';
import { waitUntil } from './support/wait-until.js';

const email = 'lead@replica.test';
const period = `from=${encodeURIComponent('2026-04-01T00:00:00Z')}&to=${encodeURIComponent('2026-04-02T00:00:00Z')}&timeZone=UTC`;

let primaryDir: string;
let replicaDir: string;
let primary: EmbeddedRunningPostgres;
let replica: EmbeddedRunningPostgres;
let primaryDb: Db;
let replicaDb: Db;
let api: InProcessApi;
let token: string;

beforeAll(async () => {
  primaryDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-test-primary-'));
  replicaDir = `${primaryDir}-replica`;
  primary = await startEmbeddedPostgres({ dataDir: primaryDir, port: await freePort(), database: 'seamless' });
  await applyMigrations(primary.url);
  const setup = createDb(primary.url, { poolSize: 1 });
  // The demo password (the test client signs in with it), which the first-admin policy would refuse.
  await setup.user.create({ data: { email, name: 'Replica Lead', passwordHash: await hashPassword(demoPassword), role: 'admin', tier: 'expert' } });
  await setup.$disconnect();
  replica = await startStreamingReplica(primary, primaryDir, { dataDir: replicaDir, port: await freePort() });

  primaryDb = createDb(primary.url, { poolSize: 2 });
  replicaDb = createDb(replica.url, { poolSize: 2 });
  api = await startInProcessApi({ databaseUrl: primary.url, reports: createReportReader(primaryDb, replicaDb) });
  token = await api.login(email);
}, 60_000);

afterAll(async () => {
  await api?.stop();
  await primaryDb?.$disconnect();
  await replicaDb?.$disconnect();
  await replica?.stop();
  await primary?.stop();
  for (const dir of [primaryDir, replicaDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

/** A statement on the replica's server itself (replay control needs a superuser session). */
async function onReplica<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: replica.url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const aiCall = (at: string) => ({ operation: 'answer', provider: 'openai', model: 'gpt-4o-mini', latencyMs: 300, ok: true, createdAt: new Date(at) });

async function reportedCalls(): Promise<number> {
  const answer = await api.request('GET', `/api/reports/ai-cost?${period}`, { token });
  expect(answer.status).toBe(200);
  return answer.body.total.calls as number;
}

it('reads a report from the replica: a call the primary has is missing from it while the replay is paused, and there once it resumes', async () => {
  await onReplica('SELECT pg_wal_replay_pause()');
  await waitUntil(async () => ((await onReplica<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state'))[0]!.state === 'paused' ? true : null));

  await primaryDb.aiCall.create({ data: aiCall('2026-04-01T10:00:00Z') });
  expect(await primaryDb.aiCall.count()).toBe(1);
  expect(await reportedCalls()).toBe(0);

  await onReplica('SELECT pg_wal_replay_resume()');
  await waitUntil(async () => ((await reportedCalls()) === 1 ? true : null));
});

it('reads reports from the primary while the replica is down, and readiness reports the replica without failing', async () => {
  await replica.stop();
  // Only the primary has this one: the report can count it only by reading there.
  await primaryDb.aiCall.create({ data: aiCall('2026-04-01T11:00:00Z') });
  expect(await reportedCalls()).toBe(2);
  const down = await api.request('GET', '/api/health/ready');
  expect(down).toMatchObject({ status: 200, body: { ready: true, database: { ok: true }, readReplica: { ok: false, problem: 'unreachable' } } });

  await replica.start();
  expect(await api.request('GET', '/api/health/ready')).toMatchObject({ status: 200, body: { ready: true, readReplica: { ok: true } } });
});
