// `npm start` as a real child process for fault tests: package.json's own `start` / `dev` script
// run by `sh -c`, as npm runs it, with the `npm run db:generate …` in front replaced by `true` (it
// rewrites prisma/generated/, which test files running beside this one import) and npm itself
// left out: npm passes a SIGTERM or SIGINT it gets on to that shell, whose pid is `pid` here. With
// `--dev` (the default here) it runs Vite's dev server instead of building the console first,
// which takes a minute on a busy machine and is not under test. Its own data folder and free
// ports; started in a process group of its own, so a test can send the group the terminal's Ctrl-C.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../infra/env.js';
import { freePort } from './free-port.js';
import { watchOutput } from './process-output.js';

export interface SupervisorPorts {
  postgres: number;
  temporal: number;
  temporalUi: number;
  api: number;
  vite: number;
}

export interface SupervisorProcess {
  pid: number;
  dataDir: string;
  ports: SupervisorPorts;
  apiUrl: string;
  output(): string;
  /**
   * Resolves once the output from offset `after` on (all of it by default; `output().length` for
   * "from now on") matches; rejects after timeoutMs or when the process exits first.
   */
  waitForOutput(pattern: string | RegExp, timeoutMs?: number, after?: number): Promise<RegExpMatchArray | string>;
  /** Resolves with the exit code (or the signal that ended it). */
  exited: Promise<number | NodeJS.Signals>;
  /** Resolves with the exit code, rejecting if the process is still running after timeoutMs. */
  waitForExit(timeoutMs?: number): Promise<number | NodeJS.Signals>;
}

export interface SupervisorProcessOptions {
  /** Kept across runs to start again on the same data; a new temporary folder when absent. */
  dataDir?: string;
  ports?: Partial<SupervisorPorts>;
  env?: Record<string, string>;
  dev?: boolean;
}

/** A data folder the `postgres` system user can enter (PostgreSQL runs as that user when the tests run as root). */
export async function supervisorDataDir(): Promise<string> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-supervisor-'));
  await chmod(dataDir, 0o755);
  return dataDir;
}

export async function spawnSupervisor(options: SupervisorProcessOptions = {}): Promise<SupervisorProcess> {
  const dataDir = options.dataDir ?? (await supervisorDataDir());
  const ports: SupervisorPorts = {
    postgres: options.ports?.postgres ?? (await freePort()),
    temporal: options.ports?.temporal ?? (await freePort()),
    temporalUi: options.ports?.temporalUi ?? (await freePort()),
    api: options.ports?.api ?? (await freePort()),
    vite: options.ports?.vite ?? (await freePort()),
  };
  // The test runner's own settings stay out: the supervisor starts its own PostgreSQL and Temporal.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DATABASE_URL|TEMPORAL_ADDRESS|NODE_ENV|VITEST.*|SEAMLESS_SECRET|PORT|HOST)$/.test(name)),
  );
  const child = spawn('sh', ['-c', await npmScript(options.dev === false ? 'start' : 'dev')], {
    cwd: projectRoot,
    env: {
      ...inherited,
      // As npm runs a script: the project's binaries (tsx) first on the PATH.
      PATH: `${path.join(projectRoot, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(ports.postgres),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.temporalUi),
      HOST: '127.0.0.1',
      PORT: String(ports.api),
      VITE_PORT: String(ports.vite),
      // The demo's inbound SMTP listener on a port of its own (not the default 2525).
      SMTP_LISTEN_PORT: String(await freePort()),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? 0)));
  const output = watchOutput(child, exited, 'the supervisor');
  const waitForOutput = output.waitFor;

  const waitForExit = async (timeoutMs = 60_000) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the supervisor was still running ${timeoutMs} ms later:\n${output.text()}`)), timeoutMs);
    });
    try {
      return await Promise.race([exited, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };

  return { pid: child.pid!, dataDir, ports, apiUrl: `http://127.0.0.1:${ports.api}`, output: output.text, waitForOutput, exited, waitForExit };
}

/** package.json's script `name`, the client generation in front of it replaced by `true` (see the top of the file). */
async function npmScript(name: 'start' | 'dev'): Promise<string> {
  const { scripts } = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const script = scripts[name];
  const generate = /^npm run db:generate\b.*?&&\s*/;
  if (!script || !generate.test(script)) throw new Error(`package.json's ${name} script has changed shape: ${script}`);
  // `true &&` keeps the script's shape: a shell running a list stays the parent of what it runs unless told to `exec` it.
  return script.replace(generate, 'true && ');
}
