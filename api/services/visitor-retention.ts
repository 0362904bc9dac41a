// Widget visitors who never wrote anything are deleted once unseen for a retention period (no
// request with their token since: `lastSeenAt`, else since they were created), so visitor rows
// do not grow without bound (every widget open makes one, and anyone may make them). A visitor
// is a customer the widget created: no email, no phone, no external id (the widget keeps a given
// email as an attribute, `providedEmail`, never in `email`; a host site's verified user is a known
// person, kept like a known address), with no conversation, ticket or event — so
// nothing of the support history is ever deleted. Their token then names no customer and is
// refused (401), and the widget starts afresh as a new visitor. The retention period is an admin
// setting (GET/PATCH /api/settings/privacy, Organization.settings.privacy), read at each sweep;
// VISITOR_RETENTION_DAYS is the deployment's default until an admin sets it.
//
// Every API process runs the sweep on a timer; a transaction-scoped advisory lock lets one
// process sweep at a time (the others skip that round), and each batch is one DELETE whose
// conditions are checked in the statement itself, so a visitor who starts a conversation at that
// moment either keeps the row (the conversation's foreign key holds it) or gets a 401.
import type { Db } from '../../infra/db.js';
import { readPrivacySettings } from './settings-service.js';

/** pg_try_advisory_xact_lock key of the sweep (a fixed number no other lock uses). */
export const visitorSweepLock = 0x5ea3_1e55_7615_17n;

const dayMs = 24 * 60 * 60 * 1000;

export interface VisitorSweep {
  /** Whether this process swept (false: another held the lock). */
  ran: boolean;
  deleted: number;
}

/**
 * Deletes silent visitors last seen (or, never seen, created) before `now - retentionDays`, in
 * batches of `batchSize`; at most `maxBatches` batches per call, so one run never holds the
 * connection for long (the next run goes on).
 */
export async function deleteSilentVisitors(
  db: Db,
  options: { retentionDays: number; now?: Date; batchSize?: number; maxBatches?: number },
): Promise<VisitorSweep> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionDays * dayMs);
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 100;
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${visitorSweepLock}) AS locked`;
      if (!lock?.locked) return { ran: false, deleted: 0 };
      let deleted = 0;
      for (let batch = 0; batch < maxBatches; batch++) {
        // SKIP LOCKED: a row some request holds (e.g. a conversation being created for it) is
        // left for a later run rather than waited for.
        const count = await tx.$executeRaw`
          DELETE FROM "Customer" WHERE id IN (
            SELECT c.id FROM "Customer" c
            WHERE COALESCE(c."lastSeenAt", c."createdAt") < ${cutoff}
              AND c.email IS NULL AND c.phone IS NULL AND c."externalId" IS NULL
              AND NOT EXISTS (SELECT 1 FROM "Conversation" WHERE "customerId" = c.id)
              AND NOT EXISTS (SELECT 1 FROM "Ticket" WHERE "customerId" = c.id)
              AND NOT EXISTS (SELECT 1 FROM "Event" WHERE "customerId" = c.id)
            LIMIT ${batchSize}
            FOR UPDATE SKIP LOCKED)`;
        deleted += count;
        if (count < batchSize) break;
      }
      return { ran: true, deleted };
    },
    { timeout: 5 * 60_000 },
  );
}

export interface VisitorRetention {
  stop(): void;
}

/** The retention in force: the admins' setting (Organization.settings.privacy), else the deployment's default. */
export async function visitorRetentionDays(db: Db, deploymentDefault: number): Promise<number> {
  return (await readPrivacySettings(db)).visitorRetentionDays ?? deploymentDefault;
}

/**
 * Sweeps every `everyMs` (first after `firstAfterMs`) with the retention in force at that moment
 * (visitorRetentionDays: the admins' setting, else `retentionDays`, the deployment's default);
 * a run with 0 days deletes nothing. Failures are logged and the next run tries again.
 */
export function startVisitorRetention(
  db: Db,
  options: { retentionDays: number; log: (message: string, error?: unknown) => void; everyMs?: number; firstAfterMs?: number },
): VisitorRetention {
  const everyMs = options.everyMs ?? 60 * 60_000;
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    let days = 0;
    visitorRetentionDays(db, options.retentionDays)
      .then((inForce) => {
        days = inForce;
        return days > 0 ? deleteSilentVisitors(db, { retentionDays: days }) : { ran: false, deleted: 0 };
      })
      .then(({ deleted }) => {
        if (deleted > 0) options.log(`deleted ${deleted} widget visitor${deleted === 1 ? '' : 's'} silent for over ${days} days`);
      })
      .catch((error: unknown) => options.log('could not delete silent widget visitors', error))
      .finally(() => {
        running = false;
      });
  };
  const first = setTimeout(run, options.firstAfterMs ?? 60_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
