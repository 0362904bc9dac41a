// The worker as a real child process (`node --import tsx worker/main.ts`, as `npm start` runs
// it), for fault tests that kill it the hard way. The process boundary is the point: nothing of
// it survives a SIGKILL but what Temporal and PostgreSQL stored.
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../infra/env.js';

export interface WorkerProcessOptions {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  namespace: string;
  dataDir: string;
}

export interface WorkerProcess {
  pid: number;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGKILL, no drain; resolves once the process has exited. Safe to call twice. */
  kill(): Promise<void>;
}

/** main.ts prints this once the worker polls its task queue. */
const readyLine = 'worker polling task queue';

/** Starts the worker and resolves when it polls; rejects if it exits or stays silent too long. */
export async function startWorkerProcess(options: WorkerProcessOptions, readyTimeoutMs = 60_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      TEMPORAL_NAMESPACE: options.namespace,
      DATA_DIR: options.dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If the test process dies first, the worker must not outlive it and keep polling.
  const killOnExit = () => void child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const kill = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };

  try {
    await waitForLine(child, () => output, readyTimeoutMs);
  } catch (error) {
    await kill();
    throw error;
  }
  return { pid: child.pid!, output: () => output, kill };
}

function waitForLine(child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!output().includes(readyLine)) return;
      cleanup();
      resolve();
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`the worker exited (${signal ?? code}) before polling:\n${output()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`the worker did not poll within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}
