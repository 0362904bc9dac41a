// PostgreSQL for local runs and tests: the server at DATABASE_URL when given, else an embedded
// server whose data stays in `dataDir`. The binaries come from the `embedded-postgres` package's
// platform package (@embedded-postgres/<platform>-<arch>); this module runs them itself rather
// than through embedded-postgres's class, which cannot start the server in its own process
// group, reports an early exit as `undefined`, and installs exit hooks that take over SIGINT and
// SIGTERM of the whole process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Env } from '../env.js';
import { assertPortFree, commandOf, describeExit, exitOf, processExists, stopChild, stopOnExit, type ExitInfo } from './child-process.js';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/** An embedded server can also be started again after stop() (fault tests take it away; the supervisor restarts it). */
export interface EmbeddedRunningPostgres extends RunningPostgres {
  start(): Promise<void>;
  /** The server's (postmaster's) pid while it runs, else null. */
  pid(): number | null;
  /** Resolves when the server started last exits, however it ends (stop() included). */
  exited(): Promise<ExitInfo>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Quiet by default: the supervisor prints what matters. Gets every line PostgreSQL logs. */
  log?: (line: string) => void;
  /**
   * Run the server in a process group of its own, so the terminal's Ctrl-C (sent to the whole
   * foreground group) does not reach it and whoever started it stops it in order (`npm start`).
   * Off by default: a plain script's Ctrl-C then stops PostgreSQL along with the script. (Its
   * backends call setsid() themselves, so a signal to the group reaches the postmaster only.)
   */
  ownProcessGroup?: boolean;
  /** How long start() waits for the server to accept connections (default 60 s). */
  startTimeoutMs?: number;
}

const user = 'seamless';
const password = 'seamless';
// A hot standby (a read replica: test/read-replica.integration-test.ts) says "read-only connections".
const readyLine = /database system is ready to accept (read-only )?connections/;

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(`no PostgreSQL binaries for ${process.platform}-${process.arch}: ${name} is not installed (set DATABASE_URL to use another PostgreSQL)`, {
      cause: error,
    });
  }
}

/** PostgreSQL refuses to run as root: as root, it runs as the system user `postgres` (created when missing). */
async function runAs(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['postgres']);
    const added = spawnSync('useradd', ['-g', 'postgres', 'postgres'], { encoding: 'utf8' });
    if (added.status !== 0 && id('-u').status !== 0)
      throw new Error(`running as root, PostgreSQL needs a system user "postgres" and it could not be created: ${added.stderr.trim()}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** English server messages whatever the machine's locale: the ready line is recognised by its text. */
const serverEnv = () => ({ ...process.env, LC_MESSAGES: 'C' });

async function initialise(dataDir: string, owner: { uid: number; gid: number } | null): Promise<void> {
  const { initdb } = await binaries();
  await mkdir(dataDir, { recursive: true });
  if (owner) await chown(dataDir, owner.uid, owner.gid);
  const passwordFile = path.join(os.tmpdir(), `seamless-pg-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o644 });
  try {
    const result = spawnSync(
      initdb,
      [`--pgdata=${dataDir}`, '--auth=password', `--username=${user}`, `--pwfile=${passwordFile}`, '--lc-messages=C', '--encoding=UTF8', '--locale=C.UTF-8'],
      { ...(owner ?? {}), env: serverEnv(), encoding: 'utf8' },
    );
    if (result.status !== 0) {
      const reason = (result.stderr || result.error?.message || '').trim();
      const hint =
        owner && /Permission denied/.test(reason)
          ? ` (running as root, PostgreSQL runs as the user "postgres", which must be able to enter every folder above ${dataDir})`
          : '';
      throw new Error(`initdb could not create ${dataDir} (${describeExit({ code: result.status, signal: result.signal })}): ${reason}${hint}`);
    }
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/**
 * A server of an earlier run still holding the data folder (an `npm start` killed without
 * stopping it): named here, rather than left to PostgreSQL's lock-file error.
 */
function assertDataDirFree(dataDir: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !processExists(pid)) return;
  const command = commandOf(pid);
  if (command !== null && !command.includes('postgres')) return; // a stale file whose pid now belongs to something else
  throw new Error(
    `the PostgreSQL data folder ${dataDir} is in use by a running PostgreSQL (pid ${pid}), perhaps left by an earlier start: stop it (kill -INT ${pid}) or use another DATA_DIR`,
  );
}

/** Starts the server and resolves once it accepts connections; rejects with PostgreSQL's own last words if it exits first. */
async function spawnServer(options: EmbeddedPostgresOptions, owner: { uid: number; gid: number } | null): Promise<ChildProcess> {
  const { postgres } = await binaries();
  assertDataDirFree(options.dataDir);
  await assertPortFree(options.port, 'EMBEDDED_POSTGRES_PORT');
  const log = options.log ?? (() => {});
  const child = spawn(postgres, ['-D', options.dataDir, '-p', String(options.port), '-c', 'max_connections=200', '-c', 'fsync=on', '-c', 'lc_messages=C'], {
    ...(owner ?? {}),
    env: serverEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  const exited = exitOf(child);
  // SIGINT: PostgreSQL's fast shutdown (it finishes on its own once told).
  stopOnExit(child, 'SIGINT');
  const recent: string[] = [];
  let ready = false;
  let signalReady: () => void = () => {};
  const readyNow = new Promise<void>((resolve) => (signalReady = resolve));
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      // Always read, or PostgreSQL blocks once the pipe is full.
      log(line);
      recent.push(line);
      if (recent.length > 12) recent.shift();
      if (!ready && readyLine.test(line)) {
        ready = true;
        signalReady();
      }
    }
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    readyNow.then(() => 'ready' as const),
    exited,
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome === 'ready') return child;
  if (outcome === 'timeout') await stopChild(child, 5_000, 'SIGQUIT');
  if (child.pid === undefined) throw new Error(`PostgreSQL could not be run (${postgres})`);
  const why = recent.filter((line) => /FATAL|PANIC|ERROR|HINT|DETAIL/.test(line)).join(' ') || recent.slice(-3).join(' ');
  throw new Error(
    outcome === 'timeout'
      ? `PostgreSQL (data ${options.dataDir}, port ${options.port}) did not accept connections within ${timeoutMs} ms: ${why}`
      : `PostgreSQL (data ${options.dataDir}, port ${options.port}) exited (${describeExit(outcome)}) before accepting connections: ${why || 'it printed nothing'}`,
  );
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedRunningPostgres> {
  const owner = await runAs();
  // Checked again before each start; first here, before initdb spends seconds on a folder or port that cannot be used.
  assertDataDirFree(options.dataDir);
  await assertPortFree(options.port, 'EMBEDDED_POSTGRES_PORT');
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await initialise(options.dataDir, owner);
  let server: ChildProcess | null = await spawnServer(options, owner);
  let lastExit = exitOf(server);
  await createDatabaseIfMissing(`postgresql://${user}:${password}@127.0.0.1:${options.port}/postgres`, options.database);
  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${options.port}/${options.database}`,
    pid: () => (server && server.exitCode === null && server.signalCode === null ? server.pid! : null),
    exited: () => lastExit,
    // Fast shutdown (SIGINT): open sessions are ended, the data is consistent on disk. Immediate
    // shutdown (SIGQUIT) only if that takes over 30 s.
    stop: async () => {
      if (server) await stopChild(server, 30_000, 'SIGINT', 'SIGQUIT');
      server = null;
    },
    start: async () => {
      if (server && server.exitCode === null && server.signalCode === null) return;
      server = await spawnServer(options, owner);
      lastExit = exitOf(server);
    },
  };
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** DATABASE_URL when set (left running on stop), else the embedded server. */
export async function ensurePostgres(databaseUrl: string | undefined, embedded: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  if (databaseUrl) return { url: databaseUrl, stop: async () => {} };
  return startEmbeddedPostgres(embedded);
}

/**
 * The database a command-line tool (db:migrate, db:migration, db:seed, admin:create) works on:
 * DATABASE_URL when set, else the embedded server the local run uses (its data directory, port
 * and database), so the tools and `npm run dev` see the same data.
 */
export function ensureConfiguredPostgres(env: Pick<Env, 'DATABASE_URL' | 'DATA_DIR' | 'EMBEDDED_POSTGRES_PORT'>): Promise<RunningPostgres> {
  return ensurePostgres(env.DATABASE_URL, { dataDir: path.join(env.DATA_DIR, 'postgres'), port: env.EMBEDDED_POSTGRES_PORT, database: 'seamless' });
}

/** Runs `work` on that database's URL, then stops the embedded server if one was started for it. */
export async function withConfiguredPostgres<T>(
  env: Pick<Env, 'DATABASE_URL' | 'DATA_DIR' | 'EMBEDDED_POSTGRES_PORT'>,
  work: (url: string) => Promise<T>,
): Promise<T> {
  const postgres = await ensureConfiguredPostgres(env);
  try {
    return await work(postgres.url);
  } finally {
    await postgres.stop();
  }
}
