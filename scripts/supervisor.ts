// The restart and stop logic behind `npm start` (scripts/start.ts): every part (PostgreSQL, the
// Temporal dev server, the worker, the API, Vite) is started once in order; when one dies on its
// own, its death is logged with its exit code or signal and it is started again after a back-off
// (1 s, 2 s, 4 s … up to 30 s by default), which starts over once the part has run for a healthy
// period (30 s by default), so deaths minutes apart are each restarted after the first delay.
// Stopping stops the parts in the reverse order of their start: the API and the worker finish
// their work while Temporal and PostgreSQL are still there.
import { describeExit, type ExitInfo } from '../infra/local/child-process.js';

/** A started part: its process, how it ends, and how to stop it (resolves once it has exited). */
export interface RunningPart {
  pid: number;
  exited: Promise<ExitInfo>;
  stop(): Promise<void>;
}

export interface Part {
  name: string;
  /** Starts the part; resolves once it is up (PostgreSQL accepts connections…). Called again for each restart. */
  start(): Promise<RunningPart>;
}

export interface BackOff {
  /** The delay before the first restart of a run of deaths; doubled for each further death in a row. */
  restartDelayMs: number;
  maxRestartDelayMs: number;
  /** A part that ran this long before dying was healthy: its back-off starts over. */
  healthyAfterMs: number;
}

/** The delay before restarting after the `deathsInARow`-th death in a row (1 = the first). */
export function restartDelay(deathsInARow: number, backOff: Pick<BackOff, 'restartDelayMs' | 'maxRestartDelayMs'>): number {
  return Math.min(backOff.maxRestartDelayMs, backOff.restartDelayMs * 2 ** Math.max(0, Math.min(deathsInARow - 1, 30)));
}

/** Deaths in a row after a death that followed `uptimeMs` of running: a healthy run starts the count over. */
export function deathsAfter(previousDeathsInARow: number, uptimeMs: number, backOff: Pick<BackOff, 'healthyAfterMs'>): number {
  return (uptimeMs >= backOff.healthyAfterMs ? 0 : previousDeathsInARow) + 1;
}

type State =
  | { kind: 'starting'; started: Promise<RunningPart | null> }
  | { kind: 'running'; running: RunningPart; since: number }
  | { kind: 'waiting'; timer: NodeJS.Timeout }
  | { kind: 'stopped' };

interface Entry {
  part: Part;
  state: State;
  deathsInARow: number;
}

export interface SupervisorOptions extends BackOff {
  log(line: string): void;
  now?(): number;
}

export class Supervisor {
  private readonly entries: Entry[] = [];
  private stopping = false;
  private readonly now: () => number;

  constructor(private readonly options: SupervisorOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts `part` for the first time and supervises it from then on; a failure to start is thrown (nothing is retried before the system has come up once). */
  async add(part: Part): Promise<RunningPart> {
    if (this.stopping) throw new Error(`not starting ${part.name}: stopping`);
    const entry: Entry = { part, state: { kind: 'stopped' }, deathsInARow: 0 };
    this.entries.push(entry);
    const started = part.start();
    entry.state = { kind: 'starting', started: started.catch(() => null) };
    let running: RunningPart;
    try {
      running = await started;
    } catch (error) {
      entry.state = { kind: 'stopped' };
      throw error;
    }
    this.run(entry, running);
    return running;
  }

  private run(entry: Entry, running: RunningPart): void {
    if (this.stopping) {
      // Came up while everything is being stopped: stopAll() stops it (it awaits the start).
      entry.state = { kind: 'running', running, since: this.now() };
      return;
    }
    entry.state = { kind: 'running', running, since: this.now() };
    void running.exited.then((exit) => this.died(entry, running, exit));
  }

  private died(entry: Entry, running: RunningPart, exit: ExitInfo): void {
    if (this.stopping || entry.state.kind !== 'running' || entry.state.running !== running) return;
    const uptimeMs = this.now() - entry.state.since;
    entry.deathsInARow = deathsAfter(entry.deathsInARow, uptimeMs, this.options);
    const delayMs = restartDelay(entry.deathsInARow, this.options);
    this.options.log(
      `${entry.part.name} (pid ${running.pid}) exited (${describeExit(exit)}) after ${(uptimeMs / 1000).toFixed(1)} s; restarting in ${delayMs} ms (${ordinal(entry.deathsInARow)} time in a row)`,
    );
    this.schedule(entry, delayMs);
  }

  private schedule(entry: Entry, delayMs: number): void {
    entry.state = { kind: 'waiting', timer: setTimeout(() => void this.restart(entry), delayMs) };
  }

  private async restart(entry: Entry): Promise<void> {
    if (this.stopping) return;
    const started = entry.part.start();
    entry.state = { kind: 'starting', started: started.catch(() => null) };
    try {
      const running = await started;
      if (!this.stopping) this.options.log(`${entry.part.name} restarted (pid ${running.pid})`);
      this.run(entry, running);
    } catch (error) {
      if (this.stopping) return;
      // A failed start counts as a death without uptime: the back-off keeps growing.
      entry.deathsInARow += 1;
      const delayMs = restartDelay(entry.deathsInARow, this.options);
      this.options.log(
        `${entry.part.name} could not be restarted: ${messageOf(error)}; trying again in ${delayMs} ms (${ordinal(entry.deathsInARow)} time in a row)`,
      );
      this.schedule(entry, delayMs);
    }
  }

  /** Stops every part, the last started first; `stopped(name)` after each one. Restarts stop at once. */
  async stopAll(stopped: (name: string, error?: unknown) => void): Promise<void> {
    this.stopping = true;
    for (const entry of [...this.entries].reverse()) {
      const state = entry.state;
      entry.state = { kind: 'stopped' };
      let running: RunningPart | null = null;
      if (state.kind === 'waiting') clearTimeout(state.timer);
      if (state.kind === 'starting') running = await state.started;
      if (state.kind === 'running') running = state.running;
      if (!running) continue;
      try {
        await running.stop();
        stopped(entry.part.name);
      } catch (error) {
        stopped(entry.part.name, error);
      }
    }
  }
}

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
