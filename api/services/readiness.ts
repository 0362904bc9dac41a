// Whether this API process can serve requests now: the database answers a query through the
// process's own pool within a short limit (a frozen server, a full pool or a refused connection
// all count as not ready), its event stream (the LISTEN connection that brings live events to its
// sockets) is up, and — reported, never required — whether Temporal answers: the API accepts
// messages and conversations while Temporal is down (they wait in the workflow outbox). A read
// replica (DATABASE_READ_URL) is reported, never required either: reports read the primary while
// it is down (infra/read-replica.ts).
import type { Client } from '@temporalio/client';
import { checkDatabase, readinessLimitMs, within, type DatabaseHealth } from '../../infra/database-health.js';
import type { Db } from '../../infra/db.js';
import type { ReportReader } from '../../infra/read-replica.js';

export interface Readiness {
  ready: boolean;
  database: DatabaseHealth;
  temporal: { ok: boolean };
  /** Only for a process with sockets (startApi's). */
  eventStream?: { ok: boolean };
  /** Only with a read replica configured. */
  readReplica?: DatabaseHealth;
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
export function createReadinessCheck(
  deps: { db: Db; temporal: Client; eventStreamListening?: () => boolean; reports?: ReportReader },
  limitMs = readinessLimitMs,
): () => Promise<Readiness> {
  let running: Promise<Readiness> | null = null;
  return () => {
    running ??= Promise.all([checkDatabase(deps.db, limitMs), checkTemporal(deps.temporal, limitMs), deps.reports?.check(limitMs) ?? null])
      .then(([database, temporal, readReplica]): Readiness => {
        const replica = readReplica ? { readReplica } : {};
        if (!deps.eventStreamListening) return { ready: database.ok, database, temporal, ...replica };
        const eventStream = { ok: deps.eventStreamListening() };
        return { ready: database.ok && eventStream.ok, database, temporal, eventStream, ...replica };
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
}
