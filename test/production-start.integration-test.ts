// A production start (NODE_ENV=production, as the Docker image sets) never seeds the demo users,
// whose password is published, and never runs without SEAMLESS_SECRET (issue 14, item 2). Real
// child processes: `scripts/start.ts` and `api/main.ts` refuse at once with a clear message and a
// non-zero exit; on an empty production database the API prints once a one-time setup link that
// creates the first admin (issue 18), and `scripts/create-admin.ts` (`npm run admin:create`) does
// too, from the environment or stdin.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyPassword } from '../infra/auth/passwords.js';
import { createDb, type Db } from '../infra/db.js';
import { projectRoot } from '../infra/env.js';
import { applyMigrations } from '../prisma/migrate/migrations.js';
import { demoPassword, demoUsers } from '../prisma/demo-data.js';
import { seedForStart } from '../prisma/seed.js';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { freePort } from './support/free-port.js';

let dataDir: string;
let databaseUrl: string;
let db: Db;
let api: ApiProcess | undefined;

/** A new, empty database with the migrations applied, as a fresh production deployment has. */
async function emptyMigratedDatabase(): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `seamless_production_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = adminUrl.replace(/\/[^/]+$/, `/${name}`);
  await applyMigrations(url);
  return url;
}

/** Runs a script of this repository to its end: exit code and everything it printed. */
function run(entry: string, env: Record<string, string | undefined>, stdin = ''): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: projectRoot, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not exit within 60 s:\n${output}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-production-'));
  databaseUrl = await emptyMigratedDatabase();
  db = createDb(databaseUrl, { poolSize: 2 });
});
afterAll(async () => {
  await api?.kill();
  await db?.$disconnect();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const production = { NODE_ENV: 'production', SEAMLESS_SECRET: undefined };

/** A JSON POST to the API child process: status and body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${api!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => null) };
}

describe('a production start without SEAMLESS_SECRET', () => {
  it('npm start refuses before starting anything, saying what to set', async () => {
    const started = await run('scripts/start.ts', { ...production, DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
    expect(started.code).toBe(1);
    expect(started.output).toContain('SEAMLESS_SECRET is not set');
    expect(started.output).toContain('openssl rand -hex 32');
    expect(await readdir(dataDir)).toEqual([]); // no PostgreSQL, no Temporal file, no secret made up
  });

  it('the API process refuses too, whoever starts it', async () => {
    const started = await run('api/main.ts', { ...production, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: inject('temporalAddress') });
    expect(started.code).toBe(1);
    expect(started.output).toContain('SEAMLESS_SECRET is not set');
    expect(existsSync(path.join(dataDir, 'secret.key'))).toBe(false);
  });

  it('the worker process refuses too: it would seal webhook secrets under a key of its own', async () => {
    const started = await run('worker/main.ts', { ...production, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: inject('temporalAddress') });
    expect(started.code).toBe(1);
    expect(started.output).toContain('SEAMLESS_SECRET is not set');
    expect(existsSync(path.join(dataDir, 'secret.key'))).toBe(false);
  });

  it('npm run db:seed refuses to write the demo users in production', async () => {
    const seeded = await run('scripts/seed.ts', { NODE_ENV: 'production', DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
    expect(seeded.code).toBe(1);
    expect(await db.user.count()).toBe(0);
  });
});

describe('a production start', () => {
  it('writes the organisation and its channels, never a demo user, and changes nothing when run again', async () => {
    await seedForStart(db, 'production');
    await seedForStart(db, 'production');
    expect(await db.user.count()).toBe(0);
    expect(await db.user.count({ where: { email: { in: demoUsers.map((user) => user.email) } } })).toBe(0);
    expect(await db.customer.count()).toBe(0);
    expect(await db.knowledgeArticle.count()).toBe(0);
    const organization = await db.organization.findUniqueOrThrow({ where: { id: 1 } });
    expect(organization.settings).toEqual({}); // the self-service bot stays off until an admin turns it on
    const channels = await db.channel.findMany({ orderBy: { kind: 'asc' } });
    expect(channels.map((channel) => [channel.kind, channel.enabled])).toEqual([
      ['web_chat', true],
      ['email', false],
      ['api', true],
    ]);
  });

  it('prints once a one-time setup link while there is no user; the demo password opens nothing; the link creates the first admin, once', async () => {
    api = await startApiProcess({
      databaseUrl,
      temporalAddress: inject('temporalAddress'),
      taskQueue: `test-${randomUUID()}`,
      namespace: 'default',
      secret: randomBytes(48).toString('base64url'),
      port: await freePort(),
      dataDir,
      env: { NODE_ENV: 'production' },
    });
    await api.waitForOutput('No user exists yet. Open this one-time link', 10_000);
    await api.waitForOutput('npm run admin:create', 10_000);
    const links = [...api.output().matchAll(/https?:\/\/\S+\/#\/set-password\?token=(stp_[\w-]+)/g)];
    expect(links).toHaveLength(1);
    const token = links[0]![1]!;
    // Only its hash is stored.
    expect(JSON.stringify(await db.passwordLink.findMany())).not.toContain(token);
    const admin = demoUsers.find((user) => user.role === 'admin')!;
    const login = await post('/api/auth/login', { email: admin.email, password: demoPassword });
    expect(login.status).toBe(401);

    expect(await post('/api/auth/password-link', { token })).toMatchObject({ status: 200, body: { link: { purpose: 'setup', email: null } } });
    const body = { token, email: 'First@Example.com', name: 'First Admin', password: 'short' };
    expect(await post('/api/auth/password-link/use', body)).toMatchObject({ status: 400, body: { error: { code: 'password_too_short' } } });
    expect(await db.user.count()).toBe(0);
    const password = `lantern-${randomBytes(6).toString('hex')}-meadow`;
    const used = await post('/api/auth/password-link/use', { ...body, password });
    expect(used).toMatchObject({ status: 200, body: { token: expect.stringMatching(/^sst_/), user: { email: 'first@example.com', role: 'admin' } } });
    expect(await post('/api/auth/password-link/use', { ...body, email: 'second@example.net', password })).toMatchObject({
      status: 410,
      body: { error: { code: 'link_used' } },
    });
    expect(await db.user.count()).toBe(1);
    expect((await post('/api/auth/login', { email: 'first@example.com', password })).status).toBe(200);
  });

  it('npm run admin:create creates an admin from the environment, who can sign in', async () => {
    const password = `first-admin-${randomBytes(6).toString('hex')}`;
    const created = await run('scripts/create-admin.ts', {
      ...production,
      DATABASE_URL: databaseUrl,
      ADMIN_EMAIL: 'Owner@Example.com',
      ADMIN_NAME: 'Owner',
      ADMIN_PASSWORD: password,
    });
    expect(created.code, created.output).toBe(0);
    const user = await db.user.findUniqueOrThrow({ where: { email: 'owner@example.com' } });
    expect(user).toMatchObject({ role: 'admin', name: 'Owner', teamId: null });
    expect(await verifyPassword(user.passwordHash, password)).toBe(true);

    const login = await fetch(`${api!.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.com', password }),
    });
    expect(login.status).toBe(200);

    const again = await run('scripts/create-admin.ts', {
      ...production,
      DATABASE_URL: databaseUrl,
      ADMIN_EMAIL: 'owner@example.com',
      ADMIN_NAME: 'Someone else',
      ADMIN_PASSWORD: `another-${randomBytes(6).toString('hex')}`,
    });
    expect(again.code).toBe(1);
    expect(again.output).toContain('exists already');
  });

  it('reads what the environment does not give from stdin, and refuses a short password', async () => {
    const password = 'typed-on-stdin-0123';
    const noEnv = { ADMIN_EMAIL: undefined, ADMIN_NAME: undefined, ADMIN_PASSWORD: undefined };
    const created = await run(
      'scripts/create-admin.ts',
      { ...production, ...noEnv, DATABASE_URL: databaseUrl },
      `second@example.com\nSecond Admin\n${password}\n`,
    );
    expect(created.code, created.output).toBe(0);
    expect(created.output).not.toContain(password);
    expect(await verifyPassword((await db.user.findUniqueOrThrow({ where: { email: 'second@example.com' } })).passwordHash, password)).toBe(true);

    const short = await run('scripts/create-admin.ts', { ...production, ...noEnv, DATABASE_URL: databaseUrl }, 'third@example.com\nThird\nshort\n');
    expect(short.code).toBe(1);
    expect(short.output).toContain('at least 12 characters');
    // The password policy too: long enough but guessable is refused.
    const common = await run('scripts/create-admin.ts', { ...production, ...noEnv, DATABASE_URL: databaseUrl }, 'third@example.com\nThird\npassword1234\n');
    expect(common.code).toBe(1);
    expect(common.output).toContain('too easy to guess');
    expect(await db.user.count({ where: { email: 'third@example.com' } })).toBe(0);
  });
});
