// A database that cannot serve answers 503 with Retry-After, never 500 and never a hang (issue 15,
// items 7 and 8), and the readiness endpoint says so while liveness stays cheap.
// - Disk full: PostgreSQL raising SQLSTATE 53100 on a real write, through the real error handler.
//   (Filling a real disk is not done here: PostgreSQL's error on a full disk is this SQLSTATE, and
//   the test proves what the API makes of it; the fault-injection run in issue 15 saw it on a real
//   full disk.)
// - Frozen: a PostgreSQL of this file's own, every one of its processes stopped with SIGSTOP under
//   an API child process configured with short timeouts (DATABASE_*_TIMEOUT_MS): requests get 503
//   within the configured timeout, readiness reports not ready, liveness stays 200; after SIGCONT
//   the same process serves again.
// - Readiness reports Temporal without requiring it: an API whose Temporal is down is ready.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../infra/db.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../infra/local/postgres.js';
import { applyMigrations } from '../prisma/migrate/migrations.js';
import { demoPassword } from '../prisma/demo-data.js';
import { seedDemoData } from '../prisma/seed.js';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { freePort } from './support/free-port.js';
import { descendantsOf } from './support/process-tree.js';
import { startSystem, type TestSystem } from './support/system.js';
import { createTestNamespace } from './support/test-namespace.js';
import { waitUntil } from './support/wait-until.js';

interface Answer {
  status: number;
  retryAfter: string | null;
  cacheControl: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * One request; a request still unanswered after `limitMs` fails the test as the hang it is (the
 * limit is well above the timeouts configured below, so it never decides a passing run).
 */
async function call(baseUrl: string, method: string, route: string, options: { token?: string; body?: unknown; limitMs?: number } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const limitMs = options.limitMs ?? 20_000;
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${route}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(limitMs),
    });
  } catch (error) {
    throw new Error(`${method} ${route} got no answer within ${limitMs} ms (${(error as Error).name})`, { cause: error });
  }
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    cacheControl: response.headers.get('cache-control'),
    body: text ? JSON.parse(text) : null,
  };
}

const unavailable = { status: 503, retryAfter: '5', body: { error: { code: 'service_unavailable', message: expect.any(String) } } };

describe('a full disk (SQLSTATE 53100)', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ inProcessWorker: false });
  });
  afterAll(async () => {
    await system?.db.$executeRawUnsafe('DROP TRIGGER IF EXISTS disk_full ON "Customer"').catch(() => {});
    await system?.stop();
  });

  it('answers a write PostgreSQL refuses for want of space with 503 and Retry-After, stores nothing, and serves once space is back', async () => {
    // What PostgreSQL raises when it cannot extend a table's file, on a real INSERT through the app's own query.
    await system.db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION seamless_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'could not extend file "base/16384/16385": No space left on device' USING ERRCODE = '53100'; END $$`);
    await system.db.$executeRawUnsafe('CREATE TRIGGER disk_full BEFORE INSERT ON "Customer" FOR EACH ROW EXECUTE FUNCTION seamless_test_disk_full()');
    const customers = await system.db.customer.count();

    const refused = await call(system.url, 'POST', '/api/widget/visitors', { body: { name: 'No room' } });
    expect(refused).toMatchObject(unavailable);
    expect(await system.db.customer.count()).toBe(customers);
    // Reads still work: the server is up, and it is ready for them.
    expect((await call(system.url, 'GET', '/api/health/ready')).status).toBe(200);

    await system.db.$executeRawUnsafe('DROP TRIGGER disk_full ON "Customer"');
    expect((await call(system.url, 'POST', '/api/widget/visitors', { body: { name: 'Room again' } })).status).toBe(201);
  });

  it('says the process is ready when the database, its event stream and Temporal answer, uncached', async () => {
    const answer = await call(system.url, 'GET', '/api/health/ready');
    expect(answer).toMatchObject({
      status: 200,
      cacheControl: 'no-store',
      body: { ready: true, database: { ok: true }, temporal: { ok: true }, eventStream: { ok: true } },
    });
  });
});

describe('a frozen PostgreSQL (every process SIGSTOPped) under a running API', () => {
  let dataDir: string;
  let postgres: RunningPostgres | undefined;
  let db: Db | undefined;
  let api: ApiProcess | undefined;
  let apiWithoutTemporal: ApiProcess | undefined;
  let frozen = false;
  const freeze = (signal: 'SIGSTOP' | 'SIGCONT') => {
    // The postmaster first (it forks no new backend while stopped), then every process below it:
    // each backend leads a process group of its own (PostgreSQL calls setsid()), so one signal to
    // a group would not reach them.
    const postmaster = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    for (const pid of [postmaster, ...descendantsOf(postmaster).map((info) => info.pid)]) process.kill(pid, signal);
    frozen = signal === 'SIGSTOP';
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-frozen-'));
    await chmod(dataDir, 0o755); // PostgreSQL runs as the user `postgres` when the tests run as root
    postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: await freePort(), database: 'seamless' });
    await applyMigrations(postgres.url);
    db = createDb(postgres.url, { poolSize: 2 });
    await seedDemoData(db);
    await db.$disconnect();

    const temporalAddress = inject('temporalAddress');
    const connection = await Connection.connect({ address: temporalAddress });
    const namespace = await createTestNamespace(connection);
    await connection.close();
    const shared = { databaseUrl: postgres.url, taskQueue: 'seamless-frozen', namespace, dataDir, secret: randomBytes(48).toString('base64url') };
    // Short limits so the test is quick; the defaults are 5 s to connect, 30 s per statement, 35 s per query.
    const timeouts = { DATABASE_CONNECT_TIMEOUT_MS: '1500', DATABASE_STATEMENT_TIMEOUT_MS: '2000', DATABASE_QUERY_TIMEOUT_MS: '3000' };
    [api, apiWithoutTemporal] = await Promise.all([
      startApiProcess({ ...shared, temporalAddress, port: await freePort(), env: timeouts }),
      // Nothing listens there: Temporal is down for this one.
      startApiProcess({ ...shared, temporalAddress: `127.0.0.1:${await freePort()}`, port: await freePort(), env: timeouts }),
    ]);
  });
  afterAll(async () => {
    if (frozen) freeze('SIGCONT');
    await Promise.all([api?.kill(), apiWithoutTemporal?.kill()]);
    await postgres?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('is ready without Temporal: the API accepts work while Temporal is down, and readiness says which is missing', async () => {
    const answer = await call(apiWithoutTemporal!.url, 'GET', '/api/health/ready');
    expect(answer).toMatchObject({ status: 200, body: { ready: true, database: { ok: true }, temporal: { ok: false } } });
  });

  it(
    'answers 503 with Retry-After within the configured timeouts, reports not ready, stays alive, and serves again after SIGCONT',
    { timeout: 90_000 },
    async () => {
      const url = api!.url;
      const login = await call(url, 'POST', '/api/auth/login', { body: { email: 'agent@seamless.local', password: demoPassword } });
      expect(login.status).toBe(200);
      const agent = login.body.token as string;
      const visitor = (await call(url, 'POST', '/api/widget/visitors', { body: { name: 'Before the freeze' } })).body.token as string;
      // Open pool connections: requests below meet both a query sent on an open connection that
      // never answers (the query timeout) and a wait for a free connection (the connect timeout).
      const warm = await Promise.all([1, 2, 3, 4].map(() => call(url, 'GET', '/api/conversations', { token: agent })));
      expect(warm.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);

      freeze('SIGSTOP');
      const during = await Promise.all([
        call(url, 'GET', '/api/conversations', { token: agent }),
        call(url, 'GET', '/api/conversations', { token: agent }),
        call(url, 'GET', '/api/conversations?status=open', { token: agent }),
        call(url, 'GET', '/api/widget/conversations', { token: visitor }),
        call(url, 'POST', '/api/widget/conversations', { token: visitor, body: { body: 'Is anyone there?' } }),
        call(url, 'POST', '/api/widget/visitors', { body: { name: 'During the freeze' } }),
        call(url, 'GET', '/api/health/ready'),
        call(url, 'GET', '/api/health'),
      ]);
      const ready = during.at(-2)!;
      const live = during.at(-1)!;
      for (const answer of during.slice(0, -2)) expect(answer).toMatchObject(unavailable);
      expect(ready).toMatchObject({
        status: 503,
        retryAfter: '5',
        body: { ready: false, database: { ok: false, problem: 'timeout' }, temporal: { ok: true } },
      });
      expect(live).toMatchObject({ status: 200, body: { ok: true } });
      expect(api!.alive()).toBe(true);
      expect(api!.output()).toMatch(/database unavailable \(timeout\)/);

      freeze('SIGCONT');
      // No event announces the thaw to the API: poll readiness until it answers.
      await waitUntil(async () => ((await call(url, 'GET', '/api/health/ready')).status === 200 ? true : null), 30_000);
      expect((await call(url, 'GET', '/api/conversations', { token: agent })).status).toBe(200);
      const started = await call(url, 'POST', '/api/widget/conversations', { token: visitor, body: { body: 'Back again?' } });
      expect(started.status).toBe(201);
      expect(api!.alive()).toBe(true);
    },
  );
});
