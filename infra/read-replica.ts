// Where report reads go: a read replica of PostgreSQL (DATABASE_READ_URL) when one is configured,
// else the primary. Only reads that may lag behind the last writes by a moment use it — reports
// over past periods, their CSV exports — never a read that must see what the same person just
// changed (the inbox, a conversation, settings): a streaming replica replays the primary's writes
// milliseconds to seconds later (README, "Running at scale").
import { databaseOutage } from './database-errors.js';
import { checkDatabase, type DatabaseHealth } from './database-health.js';
import type { Db } from './db.js';

export interface ReportReader {
  /**
   * Runs a report's reads on the replica. When the replica cannot serve (down, frozen, out of
   * resources) or cancels the query for a conflict with its replay, the same reads run on the
   * primary instead: a report is never refused for the replica's sake. Errors of the query itself
   * are thrown as they are.
   */
  read<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** The replica's health for readiness (null without a replica); a check also tells `read` whether to try it. */
  check(limitMs?: number): Promise<DatabaseHealth | null>;
}

export interface ReadReplicaOptions {
  /** After the replica failed, reads skip it this long before trying it again (default 30 s). */
  retryAfterMs?: number;
  now?: () => number;
}

/** Reports read the primary: no replica configured. */
export const primaryReports = (primary: Db): ReportReader => ({ read: (work) => work(primary), check: async () => null });

/**
 * SQLSTATE 40001 from a hot standby: "canceling statement due to conflict with recovery" (its
 * replay needed a row version the query still read; max_standby_streaming_delay). The primary has
 * no such conflict, so the report runs there.
 */
function isRecoveryConflict(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const candidate = error as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: { cause?: unknown } } };
  if (candidate.code === '40001' || candidate.originalCode === '40001') return true;
  return isRecoveryConflict(candidate.meta?.driverAdapterError?.cause, depth + 1) || isRecoveryConflict(candidate.cause, depth + 1);
}

export function createReportReader(primary: Db, replica: Db, options: ReadReplicaOptions = {}): ReportReader {
  const retryAfterMs = options.retryAfterMs ?? 30_000;
  const now = options.now ?? Date.now;
  // While the replica is down, each report would first wait for it (up to the connect timeout, or
  // the query timeout when it froze): after one failure they skip it for a while.
  let skipUntil = 0;
  return {
    async read(work) {
      if (now() < skipUntil) return work(primary);
      try {
        return await work(replica);
      } catch (error) {
        if (databaseOutage(error)) skipUntil = now() + retryAfterMs;
        else if (!isRecoveryConflict(error)) throw error;
        return work(primary);
      }
    },
    async check(limitMs) {
      const health = await checkDatabase(replica, limitMs);
      // Probes come every few seconds: reads learn of an outage (and of the recovery) from them first.
      skipUntil = health.ok ? 0 : now() + retryAfterMs;
      return health;
    },
  };
}
