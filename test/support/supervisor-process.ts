// `npm start` as a real child process for fault tests: tsx's CLI running scripts/start.ts, as the
// npm script runs it (npm and `db:generate` in front of it are left out), with its own data
// folder and free ports. With `--dev` (the default here) it runs Vite's dev server instead of
// building the console first, which takes a minute on a busy machine and is not under test.
// Started in a process group of its own, so a test can send the group the terminal's Ctrl-C.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
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
  const child = spawn(
    process.execPath,
    [path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/start.ts', ...(options.dev === false ? [] : ['--dev'])],
    {
      cwd: projectRoot,
      env: {
        ...inherited,
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
    },
  );
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
