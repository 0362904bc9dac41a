// Who used the CPU during a phase (Linux /proc; elsewhere only the bench's own usage): the whole
// machine, and the bench's process tree grouped into bench / api / worker / rawServer /
// postgres / temporal. Tells whether the 2 shared cores were the limit and who spent them.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const ticksPerSecond = 100; // USER_HZ on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}

export interface CpuSnapshot {
  at: number;
  machineBusy: number | null;
  machineTotal: number | null;
  /** CPU ticks so far of each process in the bench's tree, with its group. */
  processes: Map<number, { group: string; ticks: number }>;
  benchMicros: number;
}

export interface CpuUsage {
  wallS: number;
  /** Share of all cores busy (0..1), whole machine. */
  machineBusyShare: number | null;
  /** Cores used on average by each group (1.0 = one full core); `otherProcesses` = the machine's busy time outside the bench's tree. */
  coresUsed: Record<string, number>;
  /** CPU time in ms spent by each group of the bench's tree during the phase (not rounded to cores: the per-unit figures divide it). */
  cpuMs: Record<string, number>;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // fields[0] = state, [1] = ppid, [11] = utime, [12] = stime
    return { pid, ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

function machineTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((sum, value) => sum + value, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

export class CpuMonitor {
  /** pid → group for the children the bench started itself. */
  private named = new Map<number, string>();

  name(pid: number | undefined, group: string): void {
    if (pid) this.named.set(pid, group);
  }

  snapshot(): CpuSnapshot {
    const machine = machineTicks();
    const processes = new Map<number, { group: string; ticks: number }>();
    if (machine) {
      const stats = new Map<number, ProcStat>();
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        const stat = readStat(Number(entry));
        if (stat) stats.set(stat.pid, stat);
      }
      for (const stat of stats.values()) {
        const group = this.groupOf(stat, stats);
        if (group) processes.set(stat.pid, { group, ticks: stat.ticks });
      }
    }
    const own = process.cpuUsage();
    return { at: performance.now(), machineBusy: machine?.busy ?? null, machineTotal: machine?.total ?? null, processes, benchMicros: own.user + own.system };
  }

  /** The group of a process in the bench's tree, or null for unrelated processes. */
  private groupOf(stat: ProcStat, stats: Map<number, ProcStat>): string | null {
    if (stat.pid === process.pid) return null; // measured with process.cpuUsage()
    if (stat.comm.startsWith('postgres')) return isDescendant(stat, process.pid, stats) ? 'postgres' : null;
    if (stat.comm.startsWith('temporal')) return isDescendant(stat, process.pid, stats) ? 'temporal' : null;
    for (let current: ProcStat | undefined = stat; current; current = stats.get(current.ppid)) {
      const named = this.named.get(current.pid);
      if (named) return named;
      if (current.ppid === process.pid || current.ppid <= 1) break;
    }
    return null;
  }

  usage(from: CpuSnapshot, to: CpuSnapshot): CpuUsage {
    const wallS = (to.at - from.at) / 1000;
    const cores = (ticks: number) => Math.round((ticks / ticksPerSecond / wallS) * 100) / 100;
    const coresUsed: Record<string, number> = { bench: Math.round(((to.benchMicros - from.benchMicros) / 1e6 / wallS) * 100) / 100 };
    // Per process: a process that started during the phase counts whole; one that ended during
    // it (a PostgreSQL autovacuum worker, a short connection) is lost, never negative.
    const ticksByGroup: Record<string, number> = {};
    for (const [pid, now] of to.processes) {
      const before = from.processes.get(pid);
      ticksByGroup[now.group] = (ticksByGroup[now.group] ?? 0) + Math.max(0, now.ticks - (before?.ticks ?? 0));
    }
    const cpuMs: Record<string, number> = { bench: Math.round((to.benchMicros - from.benchMicros) / 1000) };
    for (const [group, ticks] of Object.entries(ticksByGroup)) {
      coresUsed[group] = cores(ticks);
      cpuMs[group] = Math.round((ticks * 1000) / ticksPerSecond);
    }
    const busyShare =
      from.machineBusy !== null && to.machineBusy !== null && from.machineTotal !== null && to.machineTotal !== null && to.machineTotal > from.machineTotal
        ? (to.machineBusy - from.machineBusy) / (to.machineTotal - from.machineTotal)
        : null;
    if (busyShare !== null) {
      // Whatever ran outside the bench's process tree (other users' builds and tests, ...).
      const ours = Object.values(coresUsed).reduce((sum, cores) => sum + cores, 0);
      coresUsed.otherProcesses = Math.max(0, Math.round((busyShare * os.cpus().length - ours) * 100) / 100);
    }
    return { wallS: Math.round(wallS * 100) / 100, machineBusyShare: busyShare === null ? null : Math.round(busyShare * 100) / 100, coresUsed, cpuMs };
  }
}

function isDescendant(stat: ProcStat, ancestor: number, stats: Map<number, ProcStat>): boolean {
  for (let current: ProcStat | undefined = stat; current; current = stats.get(current.ppid)) {
    if (current.ppid === ancestor) return true;
    if (current.ppid <= 1) return false;
  }
  return false;
}

export const machineInfo = () => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  memoryGb: Math.round(os.totalmem() / 1024 ** 3),
  loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  note: 'the bench client, API, worker, PostgreSQL and Temporal all share these cores',
});
