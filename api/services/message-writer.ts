// Group commit for the message hot path. Every transaction that NOTIFYs (each stored message's
// event does, realtime/event-stream.ts) takes PostgreSQL's one notify lock at commit and holds it
// through the commit's WAL flush, so such commits cannot share a flush: the message rate is capped
// by one fsync per message. The writer stores messages that arrive while earlier ones are being
// written in one transaction — one commit, one flush, one lock for all of them — and answers each
// caller only after that commit, so a 201 still means the message is stored durably. A lone
// message (an idle system) is written at once on its own, as before: batches form only under load.
// It writes on the pg pool under the Prisma client (infra/db.ts poolOf), as message-store.ts's storeMessageOn.
import type pg from 'pg';
import { poolOf, type Db } from '../../infra/db.js';
import { messagesStored } from '../../infra/metrics/metrics.js';
import {
  canStoreTogether,
  storeMessage,
  storeMessageOn,
  storeMessagesOn,
  type NewMessage,
  type QueuedMessage,
  type OutboxClaim,
  type StoreResult,
} from './message-store.js';

export interface MessageWriter {
  /** Stores the message (message-store.ts) in the next transaction that has room; resolves after its commit. */
  store(input: NewMessage, claim: OutboxClaim | null): Promise<StoreResult>;
}

export interface MessageWriterOptions {
  /** Messages in one transaction at most. */
  maxBatch: number;
  /** Transactions writing at the same time (pool connections the writer may hold). */
  maxConcurrent: number;
}

/** A few connections keep both cores busy while a batch waits for its flush; the rest of the pool stays free for other work. */
export const defaultWriterOptions: MessageWriterOptions = { maxBatch: 32, maxConcurrent: 3 };

interface Pending extends QueuedMessage {
  resolve(result: StoreResult): void;
  reject(error: unknown): void;
}

/**
 * The batch (ordered by conversation) in rounds: the first message of each conversation, then the
 * second of those that have one, and so on; one statement can store a round (message-store.ts
 * storeMessagesOn), and a conversation's messages are still stored in their order.
 */
function roundsOf(batch: readonly Pending[]): Pending[][] {
  const rounds: Pending[][] = [];
  const counts = new Map<string, number>();
  for (const pending of batch) {
    const round = counts.get(pending.input.conversationId) ?? 0;
    counts.set(pending.input.conversationId, round + 1);
    (rounds[round] ??= []).push(pending);
  }
  return rounds;
}

/** Stores the messages in one transaction on one connection; `committing` is called once every statement has run. */
async function storeInOneTransaction(pool: pg.Pool, batch: readonly Pending[], committing: () => void): Promise<StoreResult[]> {
  const client = await pool.connect();
  let failed = false;
  try {
    // Generic plans from the first execution: PostgreSQL otherwise plans the first five of each
    // statement per connection for their parameters (several ms each for these large statements),
    // and keeps doing so for a round's statement when small arrays make custom plans look cheaper.
    await client.query('BEGIN; SET LOCAL plan_cache_mode = force_generic_plan');
    const stored = new Map<Pending, StoreResult>();
    for (const round of roundsOf(batch)) {
      if (round.length > 1 && canStoreTogether(round)) {
        const results = await storeMessagesOn(client, round);
        round.forEach((pending, index) => stored.set(pending, results[index]!));
      } else for (const pending of round) stored.set(pending, await storeMessageOn(client, pending.input, pending.claim));
    }
    committing();
    await client.query('COMMIT');
    return batch.map((pending) => stored.get(pending)!);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A connection whose transaction failed is closed rather than rolled back and reused: the
    // server ends the transaction with it, and a broken connection cannot be reused anyway.
    client.release(failed);
  }
}

export function createMessageWriter(pool: pg.Pool, options: MessageWriterOptions = defaultWriterOptions): MessageWriter {
  const queue: Pending[] = [];
  let writing = 0;

  const storeAlone = (pending: Pending) => storeMessageOn(pool, pending.input, pending.claim).then(pending.resolve, pending.reject);

  const storeTogether = async (batch: Pending[]) => {
    // One lock order for every batch (by conversation; a conversation's messages keep their
    // arrival order): two batches locking the same conversations cannot deadlock each other.
    const ordered = batch
      .map((pending, arrival) => ({ pending, arrival }))
      .sort((a, b) =>
        a.pending.input.conversationId < b.pending.input.conversationId
          ? -1
          : a.pending.input.conversationId > b.pending.input.conversationId
            ? 1
            : a.arrival - b.arrival,
      )
      .map(({ pending }) => pending);
    let committing = false;
    try {
      const results = await storeInOneTransaction(pool, ordered, () => (committing = true));
      ordered.forEach((pending, index) => pending.resolve(results[index]!));
    } catch (error) {
      // A failed COMMIT may or may not have stored the batch: each caller gets the error, as a
      // lone statement's caller would. A statement that failed (an unexpected error, a deadlock
      // with other work) rolled everything back: each message is stored on its own instead, so
      // only the one at fault fails.
      if (committing) for (const pending of ordered) pending.reject(error);
      else for (const pending of ordered) await storeAlone(pending);
    }
  };

  /** Conversations that a running transaction writes to. */
  const busy = new Set<string>();

  /**
   * The next batch: the queued messages, in arrival order, of conversations no running transaction
   * writes to, up to maxBatch. A conversation's later messages wait for the transaction holding its
   * earlier ones: a second transaction would wait on the conversation's row lock until that commit,
   * then run its statement again over the new row (EvalPlanQual), for nothing.
   */
  const takeBatch = (): Pending[] => {
    const batch: Pending[] = [];
    const waiting: Pending[] = [];
    for (const pending of queue) {
      if (batch.length < options.maxBatch && !busy.has(pending.input.conversationId)) batch.push(pending);
      else waiting.push(pending);
    }
    queue.splice(0, queue.length, ...waiting);
    return batch;
  };

  const pump = () => {
    while (writing < options.maxConcurrent) {
      const batch = takeBatch();
      if (batch.length === 0) return;
      const conversations = batch.map((pending) => pending.input.conversationId);
      for (const id of conversations) busy.add(id);
      writing += 1;
      void (batch.length === 1 ? storeAlone(batch[0]!) : storeTogether(batch)).finally(() => {
        for (const id of conversations) busy.delete(id);
        writing -= 1;
        pump();
      });
    }
  };

  return {
    store: (input, claim) =>
      new Promise<StoreResult>((resolve, reject) => {
        queue.push({ input, claim, resolve, reject });
        pump();
      }).then((result) => {
        // Resolved only once committed: what counts is what a 201 reports.
        if (result.outcome === 'stored') messagesStored.inc({ sender: result.message.authorKind });
        return result;
      }),
  };
}

const writers = new WeakMap<Db, MessageWriter>();

/**
 * The writer of this database client: one per connection pool, shared by every request of the
 * process. A client not made by createDb (it has no pool to share) stores each message alone.
 */
export function messageWriterOf(db: Db): MessageWriter {
  let writer = writers.get(db);
  if (!writer) {
    const pool = poolOf(db);
    writer = pool ? createMessageWriter(pool) : { store: (input, claim) => storeMessage(db, input, claim) };
    writers.set(db, writer);
  }
  return writer;
}
