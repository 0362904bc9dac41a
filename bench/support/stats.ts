// Latency summaries: nearest-rank percentiles over milliseconds.

export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

const round = (value: number) => Math.round(value * 10) / 10;

export function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { count: sorted.length, p50: round(rank(50)), p95: round(rank(95)), p99: round(rank(99)), max: round(sorted.at(-1)!), mean: round(mean) };
}

/** Events (or requests) per second over a window in milliseconds; null for an empty window. */
export function perSecond(count: number, windowMs: number): number | null {
  if (count === 0 || windowMs <= 0) return null;
  return round((count * 1000) / windowMs);
}

/**
 * The smallest and largest of many numbers. `Math.min(...values)` spreads every value onto the
 * stack and throws "Maximum call stack size exceeded" past ~100,000 of them, which a 10-minute
 * soak's sends reach.
 */
export function smallest(values: readonly number[]): number {
  return values.reduce((least, value) => (value < least ? value : least), Infinity);
}

export function largest(values: readonly number[]): number {
  return values.reduce((most, value) => (value > most ? value : most), -Infinity);
}
