// Memory of the API and worker processes during a soak: VmRSS from /proc/<pid>/status every
// few seconds, and how much it grew after the warm-up.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Resident set size of a process in MB, or null when it cannot be read (not Linux, process gone). */
export function rssMb(pid: number): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('VmRSS:'));
    const kb = line ? Number(line.replace(/\D+/g, '')) : NaN;
    return Number.isFinite(kb) ? Math.round(kb / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

export interface RssSample {
  /** Seconds since the sampler started. */
  atS: number;
  rssMb: Record<string, number | null>;
}

export interface RssGrowth {
  /** The first sample at or after the warm-up. */
  afterWarmupMb: number | null;
  endMb: number | null;
  maxMb: number | null;
  /** end ÷ after warm-up − 1, in %. */
  growthPct: number | null;
}

export class RssSampler {
  readonly samples: RssSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;

  constructor(
    private readonly processes: readonly { name: string; pid: number | undefined }[],
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.startedAt = performance.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
  }

  private sample(): void {
    const rss: Record<string, number | null> = {};
    for (const { name, pid } of this.processes) rss[name] = pid ? rssMb(pid) : null;
    this.samples.push({ atS: Math.round((performance.now() - this.startedAt) / 100) / 10, rssMb: rss });
  }

  /** Per process: RSS at the end against the first sample after `warmupS`. */
  growth(warmupS: number): Record<string, RssGrowth> {
    const result: Record<string, RssGrowth> = {};
    for (const { name } of this.processes) {
      const values = this.samples.map((sample) => ({ atS: sample.atS, mb: sample.rssMb[name] ?? null })).filter((sample) => sample.mb !== null);
      const warm = values.find((sample) => sample.atS >= warmupS)?.mb ?? null;
      const end = values.at(-1)?.mb ?? null;
      result[name] = {
        afterWarmupMb: warm,
        endMb: end,
        maxMb: values.length ? Math.max(...values.map((sample) => sample.mb!)) : null,
        growthPct: warm && end !== null ? Math.round((end / warm - 1) * 1000) / 10 : null,
      };
    }
    return result;
  }
}
