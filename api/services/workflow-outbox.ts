// The WorkflowOutbox table as the relay (workflow-relay.ts) uses it: every statement here is
// short and none is held open across a call to Temporal. Rows are written by the transaction that
// stores what they are about (`writeOutboxRows` through the gateway, workflow-gateway.ts; the
// message statement of message-store.ts writes its own); this module reads, leases, settles and
// deletes them.
//
// Ordering and leases: a workflow's rows are delivered one at a time in id order (a
// conversation's ids are assigned under its row lock, so they follow the order the messages were
// stored). Whoever delivers them holds the workflow's lease (WorkflowOutboxLease, one row per
// workflow being delivered, taken by a single INSERT … ON CONFLICT, so two API processes can
// never both hold it). The statement that writes a row takes the lease too when it is free; when
// it is held, it rings (`rang`) and leaves its row to the holder, who learns of it in the
// statement that releases the lease and reads again. A lease ends when its holder settles, or by
// itself at `until` when the holder died; its rows are then delivered again (the workflow ignores
// a repeated signal, a repeated start is refused by Temporal).
import type { Db, Tx } from '../../infra/db.js';
import { payloadOf, workflowIdOf, type WorkflowIntent } from './workflow-intents.js';

export type { OutboxKind } from './workflow-intents.js';

export interface OutboxRow {
  id: bigint;
  /** An OutboxKind, or a kind of a newer version of the API (left for it). */
  kind: string;
  workflowId: string;
  payload: unknown;
  attempts: number;
  /** False while a row that failed on its own (not because Temporal was away) waits to be retried. */
  due: boolean;
}

export interface Settlement {
  /** Rows Temporal accepted: deleted. */
  delivered: bigint[];
  /** The row that failed, if one did; it stays, with its error, retried no sooner than `retryInMs` (0: whenever the relay retries). */
  failed?: { id: bigint; error: string; retryInMs: number };
}

export interface OutboxStore {
  /** Workflows whose oldest row is due and whose lease is free, the longest waiting first. */
  dueWorkflows(limit: number): Promise<string[]>;
  /** Takes the workflow's lease for `leaseMs` unless someone holds it (then rings); true when taken. */
  acquire(workflowId: string, holder: string, leaseMs: number): Promise<boolean>;
  /** The workflow's oldest rows, in the order they must reach it. */
  rows(workflowId: string, limit: number): Promise<OutboxRow[]>;
  /**
   * Deletes what was delivered, records a failure and gives the lease back, in one statement;
   * `rang`: rows were written meanwhile and left to this holder.
   */
  settle(workflowId: string, holder: string, settlement: Settlement): Promise<{ rang: boolean }>;
  /** How many rows wait, for the relay's log. */
  count(): Promise<number>;
}

/**
 * The lease as one statement, given three SQL expressions (parameters or a CTE's columns): takes
 * it when free or expired, else rings the holder. `acquired` says which. ON CONFLICT … DO UPDATE
 * works on the lease row's latest version (it waits for a concurrent holder's statement), so of
 * two processes asking at once exactly one gets it, and a ring is never lost: either the holder's
 * release sees it, or the release came first and the ringer takes the lease itself.
 * `returning` replaces `acquired` when the holder is a column of `from` (RETURNING cannot name
 * it): `'holder'` returns the lease's holder, for the caller to compare.
 */
export function leaseUpsert(
  select: { workflowId: string; holder: string; leaseSeconds: string },
  from = '',
  returning = `holder = ${select.holder} AS acquired`,
): string {
  return `INSERT INTO "WorkflowOutboxLease" ("workflowId", holder, "until")
    SELECT ${select.workflowId}, ${select.holder}, now() + make_interval(secs => ${select.leaseSeconds}) ${from}
    ON CONFLICT ("workflowId") DO UPDATE SET
      holder = CASE WHEN "WorkflowOutboxLease"."until" <= now() THEN EXCLUDED.holder ELSE "WorkflowOutboxLease".holder END,
      "until" = CASE WHEN "WorkflowOutboxLease"."until" <= now() THEN EXCLUDED."until" ELSE "WorkflowOutboxLease"."until" END,
      rang = "WorkflowOutboxLease"."until" > now()
    RETURNING "workflowId", ${returning}`;
}

export function createOutboxStore(db: Db): OutboxStore {
  return {
    async dueWorkflows(limit) {
      const rows = await db.$queryRaw<{ workflowId: string }[]>`
        SELECT head."workflowId" FROM (
          SELECT DISTINCT ON ("workflowId") "workflowId", id, "nextAttemptAt"
          FROM "WorkflowOutbox" ORDER BY "workflowId", id
        ) head
        WHERE (head."nextAttemptAt" IS NULL OR head."nextAttemptAt" <= now())
          AND NOT EXISTS (
            SELECT 1 FROM "WorkflowOutboxLease" lease WHERE lease."workflowId" = head."workflowId" AND lease."until" > now()
          )
        ORDER BY head.id
        LIMIT ${limit}`;
      return rows.map((row) => row.workflowId);
    },

    async acquire(workflowId, holder, leaseMs) {
      const [lease] = await db.$queryRawUnsafe<{ acquired: boolean }[]>(
        leaseUpsert({ workflowId: '$1::text', holder: '$2::text', leaseSeconds: '$3::float8' }),
        workflowId,
        holder,
        leaseMs / 1000,
      );
      return lease?.acquired ?? false;
    },

    async rows(workflowId, limit) {
      return db.$queryRaw<OutboxRow[]>`
        SELECT id, kind, "workflowId", payload, attempts, ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now()) AS due
        FROM "WorkflowOutbox" WHERE "workflowId" = ${workflowId}
        ORDER BY id LIMIT ${limit}`;
    },

    async settle(workflowId, holder, { delivered, failed }) {
      // The delivered rows go before the lease does (same statement): a row is never both
      // delivered and free for another holder to deliver again.
      const [row] = await db.$queryRaw<{ rang: boolean | null }[]>`
        WITH done AS (
          DELETE FROM "WorkflowOutbox" WHERE id = ANY(${delivered.map(String)}::text[]::bigint[]) RETURNING id
        ), failed AS (
          UPDATE "WorkflowOutbox"
          SET attempts = attempts + 1, "lastError" = ${failed?.error ?? null},
              "nextAttemptAt" = CASE WHEN ${failed?.retryInMs ?? 0}::int > 0 THEN now() + make_interval(secs => ${(failed?.retryInMs ?? 0) / 1000}) END
          WHERE id = ${failed ? String(failed.id) : null}::bigint
          RETURNING id
        ), released AS (
          DELETE FROM "WorkflowOutboxLease" WHERE "workflowId" = ${workflowId} AND holder = ${holder} RETURNING rang
        )
        SELECT (SELECT rang FROM released) AS rang, (SELECT count(*) FROM done) AS done, (SELECT count(*) FROM failed) AS failed`;
      return { rang: row?.rang ?? false };
    },

    async count() {
      const [row] = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM "WorkflowOutbox"`;
      return Number(row?.count ?? 0);
    },
  };
}

/** A lease asked for by the statement that writes rows (workflow-relay.ts, LeaseClaim). */
export interface WritingClaim {
  holder: string;
  leaseMs: number;
}

/**
 * Writes the intents' rows in the caller's transaction, in the given order, and — with a claim —
 * takes each of their workflows' leases, or rings its holder (leaseUpsert), in the same statement.
 * Returns the workflows written to, with whether their lease was taken.
 */
export async function writeOutboxRows(
  tx: Tx,
  intents: readonly WorkflowIntent[],
  claim: WritingClaim | null,
): Promise<{ workflowId: string; acquired: boolean }[]> {
  if (intents.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<{ workflowId: string; acquired: boolean | null }[]>(
    `WITH written AS (
       INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
       SELECT intent.kind, intent."workflowId", intent.payload
       FROM unnest($1::text[], $2::text[], $3::jsonb[]) WITH ORDINALITY AS intent(kind, "workflowId", payload, position)
       ORDER BY intent.position
       RETURNING "workflowId"
     ), lease AS (
       ${leaseUpsert({ workflowId: 'w."workflowId"', holder: '$4::text', leaseSeconds: '$5::float8' }, 'FROM (SELECT DISTINCT "workflowId" FROM written) w WHERE $4::text IS NOT NULL')}
     )
     SELECT w."workflowId", bool_or(l.acquired) AS acquired
     FROM (SELECT DISTINCT "workflowId" FROM written) w LEFT JOIN lease l ON l."workflowId" = w."workflowId"
     GROUP BY w."workflowId"`,
    intents.map((intent) => intent.kind),
    intents.map(workflowIdOf),
    intents.map((intent) => JSON.stringify(payloadOf(intent))),
    claim?.holder ?? null,
    (claim?.leaseMs ?? 0) / 1000,
  );
  return rows.map((row) => ({ workflowId: row.workflowId, acquired: row.acquired ?? false }));
}
