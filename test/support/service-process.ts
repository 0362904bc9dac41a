// A service of this repository as a real child process (`node --import tsx <entry>`, as
// `npm start` runs it), for fault tests that kill it or stop it: the API (api-process.ts) and the
// worker (worker-process.ts). The process boundary is the point: nothing of it survives a SIGKILL
// but what Temporal and PostgreSQL stored.
import { spawn } from 'node:child_process';
import { projectRoot } from '../../infra/env.js';
import { watchOutput } from './process-output.js';

export interface ServiceProcess {
  pid: number;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Whether it is still running. */
  alive(): boolean;
  /** Resolves when it has exited, with the exit code (or the signal that ended it). */
  exited: Promise<number | NodeJS.Signals>;
  /** Resolves once the process has printed `text` (already or later); rejects after timeoutMs. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** SIGKILL, no drain; resolves once the process has exited. Safe to call twice. */
  kill(): Promise<void>;
  /** Sends `signal` (SIGTERM: a clean shutdown) and resolves with the exit code (or the signal that ended it). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | NodeJS.Signals>;
}

export interface ServiceOptions {
  /** The entrypoint, relative to the project root (`api/main.ts`). */
  entry: string;
  env: Record<string, string>;
  /** A line the process prints once it is ready. */
  readyLine: string;
  readyTimeoutMs?: number;
}

/** Starts the service and resolves once it printed `readyLine`; rejects if it exits or stays silent too long. */
export async function startServiceProcess(options: ServiceOptions): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry], {
    cwd: projectRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? 0)));
  const output = watchOutput(child, exited, options.entry);
  // If the test process dies first, the child must not outlive it.
  const killOnExit = () => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const alive = () => child.exitCode === null && child.signalCode === null;

  const kill = async () => {
    process.removeListener('exit', killOnExit);
    if (alive()) child.kill('SIGKILL');
    await exited;
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000) => {
    if (alive()) child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${options.entry} did not exit within ${timeoutMs} ms of ${signal}:\n${output.text()}`)), timeoutMs);
    });
    try {
      return await Promise.race([exited, timedOut]);
    } finally {
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      await kill(); // only if it hung
    }
  };

  const waitForOutput = async (text: string, timeoutMs?: number) => void (await output.waitFor(text, timeoutMs));

  try {
    await waitForOutput(options.readyLine, options.readyTimeoutMs);
  } catch (error) {
    await kill();
    throw error;
  }
  return { pid: child.pid!, output: output.text, alive, exited, waitForOutput, kill, stop };
}
