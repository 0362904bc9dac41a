// `npm start` (and `npm run dev`): the whole system from one command.
// PostgreSQL → migrations → demo seed → Temporal dev server → console build (or Vite dev server)
// → worker and API as child processes. Every child runs in a process group of its own, so the
// terminal's Ctrl-C reaches only this supervisor, which stops them in order (Vite, API, worker,
// Temporal, PostgreSQL) on SIGINT, SIGTERM or SIGHUP. A child that dies is logged and restarted
// with a back-off that starts over after a healthy run (scripts/supervisor.ts).
// With NODE_ENV=production: no demo data (only the organisation and channels), and no start at
// all without SEAMLESS_SECRET; while no user exists the API prints a one-time link to create the first admin.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { MissingSecretError } from '../infra/auth/secret.js';
import { createDb } from '../infra/db.js';
import { isProduction, parseEnv, projectRoot } from '../infra/env.js';
import { assertPortFree, exitOf, stopChild, stopOnExit } from '../infra/local/child-process.js';
import { startEmbeddedPostgres, type EmbeddedRunningPostgres } from '../infra/local/postgres.js';
import { findTemporalCli, startDevServer } from '../infra/local/temporal.js';
import { applyMigrations } from '../prisma/migrate/migrations.js';
import { demoPassword, demoUsers } from '../prisma/demo-data.js';
import { seedForStart } from '../prisma/seed.js';
import { messageOf, Supervisor, type RunningPart } from './supervisor.js';

const devMode = process.argv.includes('--dev');
const env = parseEnv();
const production = isProduction(env);
const say = (line: string) => console.log(`[seamless] ${line}`);
/** `npm start`'s inbound SMTP port for the demo when SMTP_LISTEN_PORT is not set (not in production). */
const demoSmtpPort = 2525;
if (production && !env.SEAMLESS_SECRET) {
  // Before anything starts: nothing to stop, nothing half-written.
  say(`could not start: ${new MissingSecretError().message}`);
  process.exit(1);
}
/** Node runs the TypeScript entrypoints itself (tsx as a loader, not tsx's CLI, which would sit
 * between us and the child and swallow the stop signal). */
const typescript = ['--import', 'tsx'];
/** The API gives itself 25 s to finish its requests (api/main.ts); the worker 10 s to drain. */
const nodeStopGraceMs = 30_000;

const supervisor = new Supervisor({
  restartDelayMs: env.SUPERVISOR_RESTART_DELAY_MS,
  maxRestartDelayMs: env.SUPERVISOR_RESTART_MAX_DELAY_MS,
  healthyAfterMs: env.SUPERVISOR_HEALTHY_AFTER_MS,
  log: say,
});
let stopping = false;

async function shutdown(code: number, signal?: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    say(`stopping${signal ? ` (${signal})` : ''} ...`);
    await supervisor.stopAll((name, error) => say(error ? `${name} did not stop cleanly: ${messageOf(error)}` : `${name} stopped`));
  }
  process.exit(code);
}
// Our own listeners only: tsx's CLI, which runs this file under `npm start`, listens too (hidden)
// and relays the signal to us as long as we handle it; removing every listener made it SIGKILL
// this process ~60 ms after the signal, leaving every child running.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) say(`${signal} again: still stopping, in order`);
    else void shutdown(0, signal);
  });
}

try {
  // Every port named before anything starts, so a busy one (an earlier start still running?) is a
  // clear message rather than a crash loop.
  const apiHost = env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST;
  if (!env.DATABASE_URL) await assertPortFree(env.EMBEDDED_POSTGRES_PORT, 'EMBEDDED_POSTGRES_PORT');
  if (!env.TEMPORAL_ADDRESS) {
    await assertPortFree(env.TEMPORAL_PORT, 'TEMPORAL_PORT');
    await assertPortFree(env.TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT');
  }
  await assertPortFree(env.PORT, 'PORT', env.HOST);
  // The demo receives mail on a local port (the API's SMTP listener); production only when configured.
  const smtpListenPort = env.SMTP_LISTEN_PORT ?? (production ? undefined : demoSmtpPort);
  if (smtpListenPort !== undefined && smtpListenPort !== 0) await assertPortFree(smtpListenPort, 'SMTP_LISTEN_PORT', env.SMTP_LISTEN_HOST ?? env.HOST);
  if (devMode) await assertPortFree(env.VITE_PORT, 'VITE_PORT');

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = path.join(env.DATA_DIR, 'postgres');
    let postgres: EmbeddedRunningPostgres | null = null;
    const options = { dataDir, port: env.EMBEDDED_POSTGRES_PORT, database: 'seamless', ownProcessGroup: true, log: postgresLog };
    const started = await supervisor.add({
      name: 'PostgreSQL',
      async start() {
        if (postgres) await postgres.start();
        else postgres = await startEmbeddedPostgres(options);
        return { pid: postgres.pid()!, exited: postgres.exited(), stop: postgres.stop };
      },
    });
    databaseUrl = postgres!.url;
    say(`PostgreSQL ready (embedded, data in ${dataDir}, pid ${started.pid})`);
  }
  await haltIfStopping();

  const applied = await applyMigrations(databaseUrl, { onWaiting: () => say('another process is applying migrations; waiting for it') });
  say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
  const db = createDb(databaseUrl, { poolSize: 2 });
  await seedForStart(db, production ? 'production' : 'demo');
  say(production ? 'production mode: no demo data' : 'demo data is in place');
  const users = await db.user.count();
  await db.$disconnect();

  let temporalAddress = env.TEMPORAL_ADDRESS;
  let temporalUi: string | null = null;
  if (!temporalAddress) {
    const cliPath = findTemporalCli(env.TEMPORAL_CLI, say) ?? undefined;
    const options = {
      dbFile: path.join(env.DATA_DIR, 'temporal.sqlite'),
      port: env.TEMPORAL_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      cliPath,
      ownProcessGroup: true,
    };
    const started = await supervisor.add({
      name: 'Temporal',
      async start() {
        const temporal = await startDevServer(options);
        temporalAddress = temporal.address;
        temporalUi = temporal.uiUrl;
        // The downloaded fallback (no CLI found) is not a process of ours to watch: pid 0.
        return { pid: temporal.process?.pid ?? 0, exited: temporal.process?.exited ?? new Promise(() => {}), stop: temporal.stop };
      },
    });
    say(`Temporal ready on ${temporalAddress}${started.pid ? ` (pid ${started.pid})` : ''}`);
  }
  await haltIfStopping();

  if (!devMode) {
    say('building the console ...');
    const build = spawnSync(process.execPath, [bin('vite'), 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], {
      cwd: projectRoot,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('the console build failed');
  }

  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    ...(smtpListenPort === undefined ? {} : { SMTP_LISTEN_PORT: String(smtpListenPort) }),
  };
  // The banner waits for the worker's first poll: a message sent earlier would wait for it.
  let workerPolling: () => void = () => {};
  const polling = new Promise<void>((resolve) => (workerPolling = resolve));
  await supervisor.add(
    nodePart('worker', [...typescript, 'worker/main.ts'], childEnv, (line) => line.includes('worker polling task queue') && workerPolling()),
  );
  await supervisor.add(nodePart('api', [...typescript, 'api/main.ts'], childEnv));
  const apiUrl = `http://${apiHost}:${env.PORT}`;
  if (devMode) await supervisor.add(nodePart('vite', [bin('vite'), '--config', 'console/vite.config.ts'], { ...childEnv, API_URL: apiUrl }));

  await waitForHealth(`${apiUrl}/api/health`);
  const workerUp = await Promise.race([polling.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 120_000).unref())]);
  await haltIfStopping();
  if (!workerUp) say('the worker is not polling its task queue yet: conversations are accepted but wait for it (see its lines above)');
  const consoleUrl = devMode ? `http://127.0.0.1:${env.VITE_PORT}` : apiUrl;
  const agent = demoUsers.find((user) => user.role === 'agent');
  const admin = demoUsers.find((user) => user.role === 'admin');
  const logins = production ? '' : `\n    Demo logins      ${agent?.email} / ${demoPassword}   (admin: ${admin?.email} / ${demoPassword})`;
  const smtpLine =
    smtpListenPort === undefined
      ? ''
      : `\n    Inbound email    smtp://${env.SMTP_LISTEN_HOST ?? apiHost}:${smtpListenPort}   (to an enabled email channel's address: Admin → Channels)`;
  console.log(`
  Seamless is running${production ? ' in production mode' : ''} (Ctrl-C stops everything)
    Agent console    ${consoleUrl}/
    Customer widget  ${consoleUrl}/widget.html
    REST API         ${apiUrl}/api   (WebSocket ${apiUrl.replace('http', 'ws')}/ws)
    Temporal UI      ${temporalUi ?? '(external Temporal: use its own UI)'}${smtpLine}${logins}
`);
  // The API printed the one-time setup link above (once: it is not stored in clear anywhere).
  if (users === 0) say('no user exists yet: open the one-time setup link the API printed above to create the first admin (or npm run admin:create)');
} catch (error) {
  if (!stopping) {
    say(`could not start: ${messageOf(error)}`);
    await shutdown(1);
  }
}

/** After a signal, the start sequence goes no further: shutdown() stops what has started and exits. */
function haltIfStopping(): Promise<void> {
  return stopping ? new Promise(() => {}) : Promise.resolve();
}

/** PostgreSQL's own log is quiet here but for what says it is in trouble. */
function postgresLog(line: string): void {
  if (/\b(FATAL|PANIC)\b/.test(line) && !/the database system is (shutting down|starting up|not yet accepting connections)/.test(line))
    say(`[postgres] ${line.trim()}`);
}

/** The API answers once it listens (it connects to Temporal lazily). */
async function waitForHealth(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  if (!stopping) throw new Error(`the API did not answer ${url} within ${timeoutMs / 1000} s`);
}

function bin(name: 'vite'): string {
  return path.join(projectRoot, 'node_modules', name, 'bin', `${name}.js`);
}

/**
 * A Node child with its output prefixed, in a process group of its own (no Ctrl-C from the
 * terminal: it is stopped in order, with SIGTERM). `onLine` sees each line it prints.
 */
function nodePart(name: string, args: string[], childEnv: NodeJS.ProcessEnv, onLine?: (line: string) => void) {
  return {
    name,
    start(): Promise<RunningPart> {
      const child = spawn(process.execPath, args, { cwd: projectRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const exited = exitOf(child);
      stopOnExit(child, 'SIGTERM');
      createInterface({ input: child.stdout! }).on('line', (line) => {
        console.log(`[${name}] ${line}`);
        onLine?.(line);
      });
      createInterface({ input: child.stderr! }).on('line', (line) => console.error(`[${name}] ${line}`));
      if (child.pid === undefined) return exited.then(() => Promise.reject(new Error(`${name} could not be run`)));
      return Promise.resolve({ pid: child.pid, exited, stop: () => stopChild(child, nodeStopGraceMs) });
    },
  };
}
