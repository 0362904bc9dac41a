// Fault test of `npm start`'s supervisor (scripts/start.ts) as a real process tree: package.json's
// script in the shell npm runs it in (which `exec`s tsx's CLI), tsx's CLI running the supervisor,
// which runs PostgreSQL, the Temporal dev server, the worker, the API and Vite, on free ports
// with a data folder of its own (issue 15 item 6, issue 21 item 1).
// - The ready banner comes once the worker polls, not before.
// - A killed Temporal server and a killed PostgreSQL are logged (with the signal) and restarted,
//   and the system serves again; a part that dies again young waits longer, one that ran a healthy
//   period starts the back-off over.
// - A second start on a busy data folder or a busy port says which, and starts nothing.
// - SIGTERM to the script's shell (npm passes on what a process manager or an IDE's stop button
//   sends it) and the terminal's Ctrl-C (SIGINT to the whole foreground process group) stop every
//   part, in order (API, worker, Temporal, PostgreSQL), leaving no process behind; a start on the
//   same data folder then works. Neither the worker nor the API prints a stack trace or pg's
//   "client is already executing a query" warning (issue 21 item 13).
import { rm } from 'node:fs/promises';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { descendantsOf, isRunning, waitUntilGone, type ProcessInfo } from './support/process-tree.js';
import { spawnSupervisor, supervisorDataDir, type SupervisorProcess } from './support/supervisor-process.js';
import { waitUntil } from './support/wait-until.js';

/** Short enough for a test: a healthy run of 6 s starts the back-off (1 s, 2 s, 4 s …) over. */
const backOffEnv = { SUPERVISOR_RESTART_DELAY_MS: '1000', SUPERVISOR_RESTART_MAX_DELAY_MS: '30000', SUPERVISOR_HEALTHY_AFTER_MS: '6000' };
const banner = 'Seamless is running';

const seen = new Set<number>();
const dataDirs: string[] = [];

/** The supervisor's parts by what they run; every pid is remembered, so nothing outlives the file. */
function parts(supervisor: SupervisorProcess) {
  const tree = descendantsOf(supervisor.pid);
  for (const info of tree) seen.add(info.pid);
  const find = (label: string, test: (info: ProcessInfo) => boolean) => {
    const found = tree.filter(test);
    if (found.length !== 1)
      throw new Error(`expected one ${label} below the supervisor, found ${found.length}:\n${tree.map((info) => `${info.pid} ${info.command}`).join('\n')}`);
    return found[0]!;
  };
  return {
    tree,
    // The postmaster: the postgres whose parent is not a postgres (a backend just forked shows the same command line).
    postgres: find(
      'PostgreSQL server',
      (info) => /bin\/postgres -D/.test(info.command) && !tree.some((parent) => parent.pid === info.ppid && /postgres/.test(parent.command)),
    ),
    temporal: find('Temporal server', (info) => info.command.includes('server start-dev')),
    worker: find('worker', (info) => info.command.includes('worker/main.ts')),
    api: find('API', (info) => info.command.includes('api/main.ts')),
  };
}

async function temporalServes(port: number): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 2_000 });
    await connection.healthService.check({});
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

const ready = (supervisor: SupervisorProcess) =>
  fetch(`${supervisor.apiUrl}/api/health/ready`).then(
    (response) => response.status,
    () => 0,
  );

/** The lines after "stopping", in order, naming which part stopped. */
function stopOrder(output: string): string[] {
  return output
    .slice(output.lastIndexOf('[seamless] stopping'))
    .split('\n')
    .map((line) => /^\[seamless\] (\S+) stopped$/.exec(line.trim())?.[1])
    .filter((name): name is string => Boolean(name));
}

afterAll(async () => {
  // Whatever a failed run left behind (the old supervisor orphaned its children).
  for (const pid of seen) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

describe('npm start supervising its parts', () => {
  let dataDir: string;
  let supervisor: SupervisorProcess;

  it('prints the ready banner only once the worker polls its task queue', { timeout: 180_000 }, async () => {
    dataDir = await supervisorDataDir();
    dataDirs.push(dataDir);
    supervisor = await spawnSupervisor({ dataDir, env: backOffEnv });
    await supervisor.waitForOutput(banner, 150_000);
    const output = supervisor.output();
    expect(output.indexOf('worker polling task queue')).toBeGreaterThan(-1);
    expect(output.indexOf('worker polling task queue')).toBeLessThan(output.indexOf(banner));
    // The demo receives mail: the API's SMTP listener runs on the port the banner names.
    const smtpUrl = /Inbound email +(smtp:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(smtpUrl).toBeDefined();
    await supervisor.waitForOutput(`inbound SMTP listening on ${smtpUrl}`, 30_000);
    // Each part leads a process group of its own: the terminal's Ctrl-C reaches only the supervisor.
    const { postgres, temporal, worker, api } = parts(supervisor);
    for (const part of [postgres, temporal, worker, api]) expect(part.pgid).toBe(part.pid);
  });

  it('logs a killed Temporal server and a killed PostgreSQL with the signal, and restarts both', { timeout: 120_000 }, async () => {
    const before = parts(supervisor);
    let from = supervisor.output().length;
    process.kill(before.temporal.pid, 'SIGKILL');
    await supervisor.waitForOutput(`Temporal (pid ${before.temporal.pid}) exited (signal SIGKILL)`, 10_000, from);
    await supervisor.waitForOutput(/Temporal \(pid \d+\) exited \(signal SIGKILL\) after [\d.]+ s; restarting in 1000 ms \(1st time in a row\)/, 10_000, from);
    const temporalBack = (await supervisor.waitForOutput(/Temporal restarted \(pid (\d+)\)/, 60_000, from)) as RegExpMatchArray;
    expect(Number(temporalBack[1])).not.toBe(before.temporal.pid);
    expect(await temporalServes(supervisor.ports.temporal)).toBe(true);

    from = supervisor.output().length;
    process.kill(before.postgres.pid, 'SIGKILL');
    await supervisor.waitForOutput(`PostgreSQL (pid ${before.postgres.pid}) exited (signal SIGKILL)`, 10_000, from);
    await supervisor.waitForOutput(
      /PostgreSQL \(pid \d+\) exited \(signal SIGKILL\) after [\d.]+ s; restarting in 1000 ms \(1st time in a row\)/,
      10_000,
      from,
    );
    // PostgreSQL may refuse the first restart while the killed server's sessions are still exiting; it is retried.
    const postgresBack = (await supervisor.waitForOutput(/PostgreSQL restarted \(pid (\d+)\)/, 60_000, from)) as RegExpMatchArray;
    expect(Number(postgresBack[1])).not.toBe(before.postgres.pid);
    // The API, never restarted, serves from the new server: its pool reconnects by itself.
    await waitUntil(async () => ((await ready(supervisor)) === 200 ? true : null), 30_000);
    expect(parts(supervisor).api.pid).toBe(before.api.pid);
  });

  it('waits longer for a part that dies again young, and starts the back-off over after a healthy run', { timeout: 120_000 }, async () => {
    const restarted = async (from: number) => Number(((await supervisor.waitForOutput(/worker restarted \(pid (\d+)\)/, 30_000, from)) as RegExpMatchArray)[1]);
    const first = parts(supervisor).worker.pid;
    let from = supervisor.output().length;
    process.kill(first, 'SIGKILL');
    await supervisor.waitForOutput(`worker (pid ${first}) exited (signal SIGKILL) after`, 10_000, from);
    await supervisor.waitForOutput(/worker \(pid \d+\) exited \(signal SIGKILL\) after [\d.]+ s; restarting in 1000 ms \(1st time in a row\)/, 10_000, from);
    const second = await restarted(from);

    // At once, young: the second time in a row, twice the delay.
    from = supervisor.output().length;
    process.kill(second, 'SIGKILL');
    await supervisor.waitForOutput(
      new RegExp(`worker \\(pid ${second}\\) exited \\(signal SIGKILL\\) after [\\d.]+ s; restarting in 2000 ms \\(2nd time in a row\\)`),
      30_000,
      from,
    );
    const third = await restarted(from);

    // The one wait on time: the healthy period itself (6 s here, 30 s by default).
    await new Promise((resolve) => setTimeout(resolve, Number(backOffEnv.SUPERVISOR_HEALTHY_AFTER_MS) + 500));
    from = supervisor.output().length;
    process.kill(third, 'SIGKILL');
    await supervisor.waitForOutput(
      new RegExp(`worker \\(pid ${third}\\) exited \\(signal SIGKILL\\) after [\\d.]+ s; restarting in 1000 ms \\(1st time in a row\\)`),
      10_000,
      from,
    );
    await restarted(from);
  });

  it('refuses a second start on the same data folder or a busy port, naming it, and starts nothing', { timeout: 120_000 }, async () => {
    const running = parts(supervisor);
    // The same data folder (as after an earlier start left PostgreSQL running), other ports.
    const sameFolder = await spawnSupervisor({ dataDir, env: backOffEnv });
    expect(await sameFolder.waitForExit(60_000)).toBe(1);
    expect(sameFolder.output()).toContain(
      `could not start: the PostgreSQL data folder ${dataDir}/postgres is in use by a running PostgreSQL (pid ${running.postgres.pid})`,
    );

    // A fresh folder, but the running PostgreSQL's port.
    const otherDir = await supervisorDataDir();
    dataDirs.push(otherDir);
    const busyPort = await spawnSupervisor({ dataDir: otherDir, ports: { postgres: supervisor.ports.postgres }, env: backOffEnv });
    expect(await busyPort.waitForExit(60_000)).toBe(1);
    expect(busyPort.output()).toContain(`could not start: port ${supervisor.ports.postgres} (EMBEDDED_POSTGRES_PORT) is in use by pid ${running.postgres.pid}`);

    // The API's port in use.
    const busyApiPort = await spawnSupervisor({ dataDir: otherDir, ports: { api: supervisor.ports.api }, env: backOffEnv });
    expect(await busyApiPort.waitForExit(60_000)).toBe(1);
    expect(busyApiPort.output()).toContain(`could not start: port ${supervisor.ports.api} (PORT) is in use by pid ${running.api.pid}`);
    for (const refused of [sameFolder, busyPort, busyApiPort]) expect(descendantsOf(refused.pid)).toEqual([]);
  });

  it('stops every part in order on SIGTERM and leaves no process behind', { timeout: 120_000 }, async () => {
    const { tree } = parts(supervisor);
    process.kill(supervisor.pid, 'SIGTERM'); // to the script's shell, as npm passes on a process manager's
    expect(await supervisor.waitForExit(90_000)).toBe(0);
    expect(stopOrder(supervisor.output())).toEqual(['vite', 'api', 'worker', 'Temporal', 'PostgreSQL']);
    await waitUntilGone(tree.map((info) => info.pid));
  });

  it("starts again on the same data folder, and stops in order on the terminal's Ctrl-C without a stack trace", { timeout: 180_000 }, async () => {
    // The same data folder and ports: what the next `npm start` does.
    const again = await spawnSupervisor({ dataDir, ports: supervisor.ports, env: backOffEnv });
    supervisor = again;
    await again.waitForOutput(banner, 150_000);
    expect(again.output()).toContain('database schema is up to date');
    const { tree } = parts(again);
    const stoppingAt = again.output().length;

    // Ctrl-C: the terminal sends SIGINT to its whole foreground process group (tsx and the supervisor).
    process.kill(-again.pid, 'SIGINT');
    expect(await again.waitForExit(90_000)).toBe(0);
    const shutdown = again.output().slice(stoppingAt);
    expect(stopOrder(shutdown)).toEqual(['vite', 'api', 'worker', 'Temporal', 'PostgreSQL']);
    // The API finished cleanly before PostgreSQL went away: no error, no stack.
    expect(shutdown).toContain('api: shut down cleanly');
    expect(shutdown).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
    expect(shutdown).not.toMatch(/database unavailable|terminating connection|Error:/);
    expect(again.output()).not.toMatch(/already executing a query/);
    await waitUntilGone(tree.map((info) => info.pid));
  });
});
