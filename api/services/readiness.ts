// Whether this API process can serve requests now: the database answers a query through the
// process's own pool within a short limit (a frozen server, a full pool or a refused connection
// all count as not ready), and — reported, never required — whether Temporal answers: the API
// accepts messages and conversations while Temporal is down (they wait in the workflow outbox).
import type { Client } from '@temporalio/client';
import { databaseOutage, type DatabaseOutage } from '../../infra/database-errors.js';
import type { Db } from '../../infra/db.js';

export interface Readiness {
  ready: boolean;
  database: { ok: true } | { ok: false; problem: DatabaseOutage | 'error' };
  temporal: { ok: boolean };
}

/** How long each check may take: well under a load balancer's probe timeout (often 5 s). */
export const readinessLimitMs = 2_000;

class CheckTimeout extends Error {}

/** Resolves with `work`'s value, or rejects with CheckTimeout after `ms` (the work itself goes on). */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

async function checkDatabase(db: Db, limitMs: number): Promise<Readiness['database']> {
  try {
    await within(limitMs, db.$queryRaw`SELECT 1`);
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: error instanceof CheckTimeout ? 'timeout' : (databaseOutage(error) ?? 'error') };
  }
}

async function checkTemporal(temporal: Client, limitMs: number): Promise<Readiness['temporal']> {
  try {
    // Cheap, needs no namespace, and connects a lazy connection; the deadline bounds gRPC's wait.
    await within(
      limitMs,
      temporal.connection.withDeadline(Date.now() + limitMs, () => temporal.connection.workflowService.getSystemInfo({})),
    );
    return { ok: true };
  } catch {
    return { ok: false };
  }
}

/**
 * Checks both at once. Probes arriving while a check runs share it, so a flood of probes costs
 * one query at a time.
 */
export function createReadinessCheck(deps: { db: Db; temporal: Client }, limitMs = readinessLimitMs): () => Promise<Readiness> {
  let running: Promise<Readiness> | null = null;
  return () => {
    running ??= Promise.all([checkDatabase(deps.db, limitMs), checkTemporal(deps.temporal, limitMs)])
      .then(([database, temporal]) => ({ ready: database.ok, database, temporal }))
      .finally(() => {
        running = null;
      });
    return running;
  };
}
