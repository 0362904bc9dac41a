// Whether the database answers this process now: one `SELECT 1` through its own pool within a
// short limit. A frozen server, a full pool and a refused connection all count as not answering.
// The API's and the worker's readiness both ask it.
import { databaseOutage, type DatabaseOutage } from './database-errors.js';
import type { Db } from './db.js';

export type DatabaseHealth = { ok: true } | { ok: false; problem: DatabaseOutage | 'error' };

/** How long a readiness check may take: well under a load balancer's probe timeout (often 5 s). */
export const readinessLimitMs = 2_000;

class CheckTimeout extends Error {}

/** Resolves with `work`'s value, or rejects with CheckTimeout after `ms` (the work itself goes on). */
export function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

export async function checkDatabase(db: Db, limitMs = readinessLimitMs): Promise<DatabaseHealth> {
  try {
    await within(limitMs, db.$queryRaw`SELECT 1`);
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: error instanceof CheckTimeout ? 'timeout' : (databaseOutage(error) ?? 'error') };
  }
}
