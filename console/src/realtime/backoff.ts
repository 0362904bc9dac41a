// How long to wait before reconnecting. Exponential so a down server is not hammered, capped so
// a client comes back within half a minute of recovery, and jittered so a restart of the API
// does not bring every browser back in the same millisecond.

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * Delay for the given retry (0 for the first), between half and all of the exponential step
 * ("equal jitter"): never near zero, so a flapping server still gets breathing room.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = defaultBackoff, random: () => number = Math.random): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}
