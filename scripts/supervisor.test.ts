import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExitInfo } from '../infra/local/child-process.js';
import { deathsAfter, restartDelay, Supervisor, type RunningPart } from './supervisor.js';

const backOff = { restartDelayMs: 1_000, maxRestartDelayMs: 30_000, healthyAfterMs: 30_000 };

describe('restartDelay', () => {
  it('doubles from the first delay for each exit in a row, up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => restartDelay(n, backOff))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe('deathsAfter', () => {
  it('counts exits in a row while the part keeps dying young, and starts over after a healthy run', () => {
    expect(deathsAfter(0, 100, backOff)).toBe(1);
    expect(deathsAfter(3, 29_999, backOff)).toBe(4);
    expect(deathsAfter(5, 30_000, backOff)).toBe(1);
  });
});

/** A part whose processes the test ends by hand. */
function fakePart(name: string) {
  const processes: { pid: number; exit(info: ExitInfo): void; stopped: boolean }[] = [];
  return {
    processes,
    part: {
      name,
      start(): Promise<RunningPart> {
        let exit: (info: ExitInfo) => void = () => {};
        const exited = new Promise<ExitInfo>((resolve) => (exit = resolve));
        const process = { pid: 100 + processes.length, exit, stopped: false };
        processes.push(process);
        return Promise.resolve({
          pid: process.pid,
          exited,
          stop: async () => {
            process.stopped = true;
            exit({ code: 0, signal: null });
          },
        });
      },
    },
  };
}

describe('Supervisor', () => {
  afterEach(() => vi.useRealTimers());

  it('logs each exit with its signal or code, restarts after a growing delay, and starts the delay over after a healthy run', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const supervisor = new Supervisor({ ...backOff, log: (line) => lines.push(line) });
    const worker = fakePart('worker');
    await supervisor.add(worker.part);

    worker.processes[0]!.exit({ code: null, signal: 'SIGKILL' });
    await vi.advanceTimersByTimeAsync(999);
    expect(worker.processes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(worker.processes).toHaveLength(2);

    worker.processes[1]!.exit({ code: 1, signal: null }); // young: the second in a row
    await vi.advanceTimersByTimeAsync(2_000);
    expect(worker.processes).toHaveLength(3);

    await vi.advanceTimersByTimeAsync(30_000); // a healthy run
    worker.processes[2]!.exit({ code: null, signal: 'SIGKILL' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(worker.processes).toHaveLength(4);

    expect(lines).toEqual([
      'worker (pid 100) exited (signal SIGKILL) after 0.0 s; restarting in 1000 ms (1st time in a row)',
      'worker restarted (pid 101)',
      'worker (pid 101) exited (exit code 1) after 0.0 s; restarting in 2000 ms (2nd time in a row)',
      'worker restarted (pid 102)',
      'worker (pid 102) exited (signal SIGKILL) after 30.0 s; restarting in 1000 ms (1st time in a row)',
      'worker restarted (pid 103)',
    ]);
  });

  it('stops the parts in reverse order of their start, and cancels a restart that is waiting', async () => {
    vi.useFakeTimers();
    const supervisor = new Supervisor({ ...backOff, log: () => {} });
    const parts = ['PostgreSQL', 'Temporal', 'worker', 'api'].map(fakePart);
    for (const { part } of parts) await supervisor.add(part);
    parts[2]!.processes[0]!.exit({ code: null, signal: 'SIGKILL' });
    await vi.advanceTimersByTimeAsync(500); // the worker now waits for its restart

    const stopped: string[] = [];
    await supervisor.stopAll((name) => stopped.push(name));
    await vi.advanceTimersByTimeAsync(60_000);

    expect(stopped).toEqual(['api', 'Temporal', 'PostgreSQL']);
    expect(parts.map(({ processes }) => processes.length)).toEqual([1, 1, 1, 1]);
    expect(parts.map(({ processes }) => processes[0]!.stopped)).toEqual([true, true, false, true]);
  });
});
