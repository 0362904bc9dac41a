// What the local launchers (postgres.ts, temporal.ts) and the `npm start` supervisor share about
// the processes they start: how one ended, stopping one, never leaving one behind when this
// process exits, and naming whoever holds a port we need.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

/** How a process ended: an exit code, or the signal that killed it. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export const describeExit = (exit: ExitInfo): string => (exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code ?? '?'}`);

const exits = new WeakMap<ChildProcess, Promise<ExitInfo>>();

/**
 * Resolves once the child has exited (at once if it already has). Call it right after spawn: it
 * also takes the 'error' of a child that could not be started (no such file…), which would
 * otherwise be thrown, and counts that as an exit with neither code nor signal.
 */
export function exitOf(child: ChildProcess): Promise<ExitInfo> {
  let exit = exits.get(child);
  if (!exit) {
    exit =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
        : new Promise<ExitInfo>((resolve) => {
            child.once('exit', (code, signal) => resolve({ code, signal }));
            child.once('error', () => {
              if (child.pid === undefined) resolve({ code: null, signal: null });
            });
          });
    exits.set(child, exit);
  }
  return exit;
}

const running = (child: ChildProcess) => child.pid !== undefined && child.exitCode === null && child.signalCode === null;

/**
 * Sends `signal` (SIGTERM by default), then `force` if the child is still there after `graceMs`
 * (and SIGKILL 5 s after that, when `force` is gentler); resolves once it has exited.
 */
export async function stopChild(child: ChildProcess, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM', force: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!running(child)) return;
  const exited = exitOf(child);
  const timers = [setTimeout(() => child.kill(force), graceMs)];
  if (force !== 'SIGKILL') timers.push(setTimeout(() => child.kill('SIGKILL'), graceMs + 5_000));
  child.kill(signal);
  await exited;
  for (const timer of timers) clearTimeout(timer);
}

/**
 * Children started in their own process group (`detached`) no longer get the terminal's Ctrl-C:
 * whoever started them must stop them. As a last resort, when this process exits while one of
 * them still runs (an uncaught error, a `process.exit` on the way out), it is sent its stop signal
 * here — synchronously, all that an 'exit' listener may do. A SIGKILL of this process still
 * leaves them running: nothing can run then.
 */
const tracked = new Map<ChildProcess, NodeJS.Signals>();
let exitHookInstalled = false;

export function stopOnExit(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const [candidate, stopSignal] of tracked) if (running(candidate)) candidate.kill(stopSignal);
    });
  }
  tracked.set(child, signal);
  child.once('exit', () => tracked.delete(child));
}

/** A port this machine cannot give us, with whoever holds it when that can be found. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    what: string,
    readonly holder: { pid: number; command: string } | null,
  ) {
    super(`port ${port} (${what}) is in use${holder ? ` by pid ${holder.pid} (${holder.command})` : ' by another process'}`);
    this.name = 'PortInUseError';
  }
}

/** Rejects with PortInUseError when `port` on `host` cannot be listened on right now; `what` names it in the message (e.g. the variable that sets it). */
export function assertPortFree(port: number, what: string, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') reject(new PortInUseError(port, what, whoListensOn(port)));
      else reject(error);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** The process listening on a TCP port (Linux, from /proc; null elsewhere or when it cannot be told). */
export function whoListensOn(port: number): { pid: number; command: string } | null {
  try {
    const inodes = new Set<string>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      let text: string;
      try {
        text = readFileSync(table, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        // local_address is ADDR:PORT in hex; state 0A is LISTEN; field 9 is the socket's inode.
        if (fields.length > 9 && fields[3] === '0A' && Number.parseInt(fields[1]!.split(':')[1]!, 16) === port) inodes.add(fields[9]!);
      }
    }
    if (inodes.size === 0) return null;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let fds: string[];
      try {
        fds = readdirSync(`/proc/${entry}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        let target: string;
        try {
          target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        } catch {
          continue;
        }
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return { pid: Number(entry), command: commandOf(Number(entry)) ?? '?' };
      }
    }
  } catch {
    // Best effort: the message then says "another process".
  }
  return null;
}

/** A process's command line, shortened (Linux); null when it is gone or cannot be read. */
export function commandOf(pid: number): string | null {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return command.length > 120 ? `${command.slice(0, 117)}...` : command;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
