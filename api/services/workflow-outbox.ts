// The WorkflowOutbox table as the relay (workflow-relay.ts) uses it: every statement here is
// short and none is held open across a call to Temporal. Rows are written by the transaction that
// stores what they are about (message-store.ts, conversation-service.ts); this module reads,
// leases, settles and deletes them.
//
// Ordering and leases: a conversation's rows are delivered one at a time in id order (the id is
// assigned under the conversation's row lock, so it follows the order the messages were stored).
// Whoever delivers them holds the conversation's lease (WorkflowOutboxLease, one row per
// conversation being delivered, taken by a single INSERT … ON CONFLICT, so two API processes can
// never both hold it). The statement that writes a row takes the lease too when it is free; when
// it is held, it rings (`rang`) and leaves its row to the holder, who learns of it in the
// statement that releases the lease and reads again. A lease ends when its holder settles, or by
// itself at `until` when the holder died; its rows are then delivered again (the workflow ignores
// a repeated signal, a repeated start is refused by Temporal).
import type { Db } from '../../infra/db.js';

export type OutboxKind = 'start_conversation' | 'message_posted';

export interface OutboxRow {
  id: bigint;
  kind: OutboxKind;
  conversationId: string;
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
  /** Conversations whose oldest row is due and whose lease is free, the longest waiting first. */
  dueConversations(limit: number): Promise<string[]>;
  /** Takes the conversation's lease for `leaseMs` unless someone holds it (then rings); true when taken. */
  acquire(conversationId: string, holder: string, leaseMs: number): Promise<boolean>;
  /** The conversation's oldest rows, in the order they must reach its workflow. */
  rows(conversationId: string, limit: number): Promise<OutboxRow[]>;
  /**
   * Deletes what was delivered, records a failure and gives the lease back, in one statement;
   * `rang`: rows were written meanwhile and left to this holder.
   */
  settle(conversationId: string, holder: string, settlement: Settlement): Promise<{ rang: boolean }>;
  /** How many rows wait, for the relay's log. */
  count(): Promise<number>;
}

/**
 * The lease as one statement, given three SQL expressions (parameters or a CTE's columns): takes
 * it when free or expired, else rings the holder. `acquired` says which. ON CONFLICT … DO UPDATE
 * works on the lease row's latest version (it waits for a concurrent holder's statement), so of
 * two processes asking at once exactly one gets it, and a ring is never lost: either the holder's
 * release sees it, or the release came first and the ringer takes the lease itself.
 */
export function leaseUpsert(select: { conversationId: string; holder: string; leaseSeconds: string }, from = ''): string {
  return `INSERT INTO "WorkflowOutboxLease" ("conversationId", holder, "until")
    SELECT ${select.conversationId}, ${select.holder}, now() + make_interval(secs => ${select.leaseSeconds}) ${from}
    ON CONFLICT ("conversationId") DO UPDATE SET
      holder = CASE WHEN "WorkflowOutboxLease"."until" <= now() THEN EXCLUDED.holder ELSE "WorkflowOutboxLease".holder END,
      "until" = CASE WHEN "WorkflowOutboxLease"."until" <= now() THEN EXCLUDED."until" ELSE "WorkflowOutboxLease"."until" END,
      rang = "WorkflowOutboxLease"."until" > now()
    RETURNING holder = ${select.holder} AS acquired`;
}

export function createOutboxStore(db: Db): OutboxStore {
  return {
    async dueConversations(limit) {
      const rows = await db.$queryRaw<{ conversationId: string }[]>`
        SELECT head."conversationId" FROM (
          SELECT DISTINCT ON ("conversationId") "conversationId", id, "nextAttemptAt"
          FROM "WorkflowOutbox" ORDER BY "conversationId", id
        ) head
        WHERE (head."nextAttemptAt" IS NULL OR head."nextAttemptAt" <= now())
          AND NOT EXISTS (
            SELECT 1 FROM "WorkflowOutboxLease" lease WHERE lease."conversationId" = head."conversationId" AND lease."until" > now()
          )
        ORDER BY head.id
        LIMIT ${limit}`;
      return rows.map((row) => row.conversationId);
    },

    async acquire(conversationId, holder, leaseMs) {
      const [lease] = await db.$queryRawUnsafe<{ acquired: boolean }[]>(
        leaseUpsert({ conversationId: '$1::uuid', holder: '$2::text', leaseSeconds: '$3::float8' }),
        conversationId,
        holder,
        leaseMs / 1000,
      );
      return lease?.acquired ?? false;
    },

    async rows(conversationId, limit) {
      return db.$queryRaw<OutboxRow[]>`
        SELECT id, kind, "conversationId", payload, attempts, ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now()) AS due
        FROM "WorkflowOutbox" WHERE "conversationId" = ${conversationId}::uuid
        ORDER BY id LIMIT ${limit}`;
    },

    async settle(conversationId, holder, { delivered, failed }) {
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
          DELETE FROM "WorkflowOutboxLease" WHERE "conversationId" = ${conversationId}::uuid AND holder = ${holder} RETURNING rang
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
