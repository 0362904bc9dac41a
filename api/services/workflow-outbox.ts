// The WorkflowOutbox table as the relay (workflow-relay.ts) uses it: every statement here is
// short and none is held open across a call to Temporal. Rows are written by the transaction that
// stores what they are about (message-store.ts, conversation-service.ts); this module reads,
// leases, settles and deletes them.
//
// Ordering and leases: a conversation's rows are delivered one at a time in id order (the id is
// assigned under the conversation's row lock, so it follows the order the messages were stored).
// Whoever delivers them holds the conversation's lease (WorkflowOutboxLease, one row per
// conversation being delivered, taken by a single INSERT … ON CONFLICT, so two API processes can
// never both hold it). A lease ends when its holder settles, or by itself at `until` when the
// holder died; its rows are then delivered again (the workflow ignores a repeated signal, a
// repeated start is refused by Temporal).
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
  /** Takes the conversation's lease for `leaseMs` unless someone holds it; true when taken. */
  acquire(conversationId: string, holder: string, leaseMs: number): Promise<boolean>;
  /** The conversation's oldest rows, in the order they must reach its workflow. */
  rows(conversationId: string, limit: number): Promise<OutboxRow[]>;
  /** Deletes what was delivered, records a failure and gives the lease back, in one statement. */
  settle(conversationId: string, holder: string, settlement: Settlement): Promise<void>;
  /** Whether any row of the conversation waits (asked after settling, with a fresh snapshot). */
  pending(conversationId: string): Promise<boolean>;
  /** How many rows wait, for the relay's log. */
  count(): Promise<number>;
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
      // ON CONFLICT … WHERE sees the lease row's latest version (it waits for a concurrent
      // holder's statement to finish), so of two processes asking at once exactly one gets it.
      const taken = await db.$queryRaw<unknown[]>`
        INSERT INTO "WorkflowOutboxLease" ("conversationId", holder, "until")
        VALUES (${conversationId}::uuid, ${holder}, now() + make_interval(secs => ${leaseMs / 1000}))
        ON CONFLICT ("conversationId") DO UPDATE SET holder = EXCLUDED.holder, "until" = EXCLUDED."until"
        WHERE "WorkflowOutboxLease"."until" <= now()
        RETURNING 1`;
      return taken.length === 1;
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
      await db.$queryRaw`
        WITH done AS (
          DELETE FROM "WorkflowOutbox" WHERE id = ANY(${delivered.map(String)}::text[]::bigint[]) RETURNING id
        ), failed AS (
          UPDATE "WorkflowOutbox"
          SET attempts = attempts + 1, "lastError" = ${failed?.error ?? null},
              "nextAttemptAt" = CASE WHEN ${failed?.retryInMs ?? 0}::int > 0 THEN now() + make_interval(secs => ${(failed?.retryInMs ?? 0) / 1000}) END
          WHERE id = ${failed ? String(failed.id) : null}::bigint
          RETURNING id
        ), released AS (
          DELETE FROM "WorkflowOutboxLease" WHERE "conversationId" = ${conversationId}::uuid AND holder = ${holder} RETURNING 1
        )
        SELECT (SELECT count(*) FROM done) AS done, (SELECT count(*) FROM failed) AS failed, (SELECT count(*) FROM released) AS released`;
    },

    async pending(conversationId) {
      const [row] = await db.$queryRaw<{ pending: boolean }[]>`
        SELECT EXISTS (SELECT 1 FROM "WorkflowOutbox" WHERE "conversationId" = ${conversationId}::uuid) AS pending`;
      return row?.pending ?? false;
    },

    async count() {
      const [row] = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM "WorkflowOutbox"`;
      return Number(row?.count ?? 0);
    },
  };
}
