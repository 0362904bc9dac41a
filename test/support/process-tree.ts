// The processes below a pid, read from /proc (Linux): what a fault test kills, and checks are
// gone once their parent has stopped. Processes in a process group of their own are still
// children of the process that started them, so they are found too.
import { readdirSync, readFileSync } from 'node:fs';
import { waitUntil } from './wait-until.js';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The process group: a child started `detached` leads its own. */
  pgid: number;
  command: string;
}

function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after its last ')'.
    const [, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return { pid, ppid: Number(ppid), pgid: Number(pgid), command };
  } catch {
    return null; // gone meanwhile
  }
}

/** Every live process below `pid` (children, their children …). */
export function descendantsOf(pid: number): ProcessInfo[] {
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readProcess(Number(entry)))
    .filter((info): info is ProcessInfo => info !== null);
  const found: ProcessInfo[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const children = all.filter((info) => parents.has(info.ppid) && !found.includes(info));
    found.push(...children);
    parents = new Set(children.map((child) => child.pid));
  }
  return found;
}

/** Whether a process with this pid is running (a zombie counts as gone: it has exited). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves once none of `pids` runs; rejects naming the survivors after `timeoutMs`. A process that is not our child sends us no event: polled. */
export async function waitUntilGone(pids: number[], timeoutMs = 30_000): Promise<void> {
  try {
    await waitUntil(async () => (pids.some(isRunning) ? null : true), timeoutMs);
  } catch {
    const survivors = pids.filter(isRunning).map((pid) => `${pid} (${readProcess(pid)?.command ?? '?'}, parent ${readProcess(pid)?.ppid ?? '?'})`);
    throw new Error(`still running ${timeoutMs} ms later: ${survivors.join('; ')}`);
  }
}
