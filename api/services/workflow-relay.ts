// Delivers what the API promised the workflows: a conversation's workflow start and the signals
// of messages that change its state. The promise is durable before anyone hears of it — each is a
// WorkflowOutbox row written in the transaction that stores the conversation or the message — and
// this relay hands the rows to Temporal, then deletes them (workflow-outbox.ts).
//
// - Fast path: the statement that writes a row also takes the conversation's lease (`claim`),
//   or rings its holder; right after the commit the request delivers (`deliverNow`) and waits
//   for it at most `requestWaitMs`. While Temporal is known to be away the request takes no lease
//   and does not wait at all: its row waits for the loop below.
// - The loop (one per process, one round at a time) delivers what is left: rows whose request
//   gave up, rows a killed process left behind, rows written while Temporal was away. Once
//   Temporal answers it goes round after round without pausing until nothing is due; it backs off
//   (doubling, capped) only while Temporal does not answer.
// - Order: a conversation's rows are delivered one at a time, in the order they were written,
//   under its lease, whether by a request or by the loop, in this process or another. The
//   direct path of a request is the same path, so it can never overtake an older row.
// - The database pool: no transaction is ever open while Temporal is called (lease, read, call,
//   then one statement to delete and release), and at most `databaseSlots` of the loop's
//   statements run at a time, so the backlog never takes more of the pool than that, however
//   many conversations it delivers at once (`parallel`). A request's delivery of its own rows
//   runs its few statements like the rest of its work.
import { randomUUID } from 'node:crypto';
import { isGrpcServiceError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { conversationWorkflowId } from '../../domain/workflow-ids.js';
import type { Db } from '../../infra/db.js';
import { conversationWorkflowName, messagePostedSignal, type ConversationWorkflowInput, type MessagePostedInput } from '../../workflows/conversation.messages.js';
import { createOutboxStore, type OutboxRow, type OutboxStore } from './workflow-outbox.js';

/** A lease a statement that writes outbox rows takes in the same transaction (workflow-outbox.ts, leaseUpsert). */
export interface LeaseClaim {
  holder: string;
  leaseMs: number;
  /** When it was asked for: the lease ends no earlier than this plus leaseMs. */
  askedAt: number;
}

export interface WorkflowRelay {
  /**
   * A lease for the statement about to write outbox rows, or null while Temporal is away (then
   * the rows are left to the loop and nobody waits for them).
   */
  claim(): LeaseClaim | null;
  /**
   * After a commit that wrote (or a replay that found) outbox rows for this conversation: deliver
   * them now, in order. `taken`: the claim the writing statement used and whether it got the
   * lease (when not, it rang the holder, who delivers the row). Resolves when they are delivered,
   * or after `requestWaitMs`, or at once while Temporal is away; the rows are delivered later in
   * those cases. Never throws.
   */
  deliverNow(conversationId: string, taken?: { claim: LeaseClaim; acquired: boolean }): Promise<void>;
  /** Stops the loop; resolves once deliveries in flight have settled (rows not delivered stay). */
  close(): Promise<void>;
}

export interface RelayOptions {
  /** How long a conversation's lease lasts: how long rows wait after their holder died. */
  leaseMs: number;
  /** Deadline of one call to Temporal. */
  deliveryWaitMs: number;
  /** How long a request waits for its rows to be delivered before answering anyway. */
  requestWaitMs: number;
  /** Rows of one conversation read per lease. */
  batchSize: number;
  /** Conversations one round of the loop looks at. */
  conversationsPerRound: number;
  /** Conversations the loop delivers at once (calls to Temporal in flight). */
  parallel: number;
  /** The relay's statements running at once: its share of the database pool. */
  databaseSlots: number;
  /** Back-off while Temporal does not answer: first wait, doubled up to the cap. */
  firstRetryMs: number;
  maxRetryMs: number;
  /** With nothing due, the loop still looks this often (rows a dead process's lease held). */
  idlePollMs: number;
}

export const defaultRelayOptions: RelayOptions = {
  leaseMs: 10_000,
  deliveryWaitMs: 5_000,
  requestWaitMs: 3_000,
  batchSize: 20,
  conversationsPerRound: 100,
  parallel: 8,
  databaseSlots: 2,
  firstRetryMs: 250,
  maxRetryMs: 4_000,
  idlePollMs: 2_000,
};

/** Hands one row to Temporal; throws when Temporal did not take it. */
export type Deliver = (row: OutboxRow) => Promise<void>;

export interface RelayDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  log: (message: string, error?: unknown) => void;
  options?: Partial<RelayOptions>;
  /** For tests: the table and Temporal, replaced. */
  store?: OutboxStore;
  deliver?: Deliver;
}

/** gRPC codes that refuse this one request (its input, its workflow), not Temporal being away. */
const refusalsOfOneRow = new Set([3 /* INVALID_ARGUMENT */, 6 /* ALREADY_EXISTS */, 9 /* FAILED_PRECONDITION */, 11 /* OUT_OF_RANGE */]);

/**
 * Whether an error says Temporal cannot be reached (down, unreachable, too slow): every row would
 * fail alike, so the relay stops and backs off. Anything else is about the row: only it waits.
 */
export function temporalIsAway(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (isGrpcServiceError(cause)) return !refusalsOfOneRow.has(cause.code);
  }
  return false;
}

/** The error with its causes, one line, for the row's lastError (the client's own message says little). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let cause: unknown = error; cause !== undefined && parts.length < 4; cause = cause instanceof Error ? cause.cause : undefined) {
    parts.push(cause instanceof Error ? cause.message : String(cause));
  }
  return parts.join(' ← ').slice(0, 500);
}

/** Whether the workflow has completed (or does not exist at all); false while it runs. */
async function hasEnded(handle: WorkflowHandle): Promise<boolean> {
  try {
    return (await handle.describe()).status.name !== 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError && !/namespace/i.test(error.message)) return true;
    throw error;
  }
}

/** Back-off of a row that failed on its own: 1 s, 2 s, 4 s … up to 5 minutes. */
const rowRetryMs = (attempts: number) => Math.min(1_000 * 2 ** attempts, 300_000);

/** Delivery through the Temporal client. */
export function temporalDelivery(temporal: Client, taskQueue: string, deadlineMs: number, log: RelayDeps['log']): Deliver {
  const call = async (row: OutboxRow) => {
    const workflowId = conversationWorkflowId(row.conversationId);
    if (row.kind === 'start_conversation') {
      const input: ConversationWorkflowInput = { conversationId: row.conversationId };
      try {
        // Started once: a repeated delivery (a lease that ran out) must not start a conversation
        // whose workflow has already completed again.
        await temporal.workflow.start(conversationWorkflowName, { taskQueue, workflowId, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      return;
    }
    // `seq` orders the conversation's signals: the workflow ignores one it has already had.
    const input: MessagePostedInput = { ...(row.payload as Omit<MessagePostedInput, 'seq'>), seq: Number(row.id) };
    const handle = temporal.workflow.getHandle(workflowId);
    try {
      await handle.signal(messagePostedSignal, input);
    } catch (error) {
      // A workflow that has ended (closed conversation) has nothing left to learn. But NOT_FOUND
      // is not proof of that (a server may answer it for a namespace it has not loaded yet):
      // the row is dropped only once the workflow is seen ended, or never started.
      if (!(error instanceof WorkflowNotFoundError) || !(await hasEnded(handle))) throw error;
      log(`${workflowId} has ended: message ${input.messageId} (outbox row ${row.id}) is not signalled`);
    }
  };
  return (row) => temporal.withDeadline(Date.now() + deadlineMs, () => call(row));
}

/** Names this process in lease holders (the database only compares them). */
const processTag = randomUUID().slice(0, 8);

/** At most `slots` of the calls run at once; the others wait their turn, in order. */
function limiter(slots: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(call: () => Promise<T>): Promise<T> => {
    if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await call();
    } finally {
      const next = waiting.shift();
      if (next) next(); // the slot passes on
      else running -= 1;
    }
  };
}

/** The store with at most `slots` statements in flight. */
function limitedStore(store: OutboxStore, slots: number): OutboxStore {
  const limit = limiter(slots);
  return {
    dueConversations: (count) => limit(() => store.dueConversations(count)),
    acquire: (conversationId, holder, leaseMs) => limit(() => store.acquire(conversationId, holder, leaseMs)),
    rows: (conversationId, batch) => limit(() => store.rows(conversationId, batch)),
    settle: (conversationId, holder, settlement) => limit(() => store.settle(conversationId, holder, settlement)),
    count: () => limit(() => store.count()),
  };
}

export function createWorkflowRelay(deps: RelayDeps): WorkflowRelay {
  const options: RelayOptions = { ...defaultRelayOptions, ...deps.options };
  const table = deps.store ?? createOutboxStore(deps.db);
  /** The loop's statements share `databaseSlots`; a request's own run like the rest of its work. */
  const loopStore = limitedStore(table, options.databaseSlots);
  const deliver = deps.deliver ?? temporalDelivery(deps.temporal, deps.taskQueue, options.deliveryWaitMs, deps.log);
  const { log } = deps;
  let leases = 0;
  /** Each lease has a holder of its own, so a holder never releases a lease it no longer holds. */
  const nextHolder = () => `${processTag}:${(leases += 1)}`;

  let closed = false;
  /** Temporal failed to answer and has not answered since: requests leave their rows to the loop. */
  let awaySince: number | null = null;
  /** Since Temporal answered again after being away, until the loop finds nothing left: for the log. */
  let recovery: { since: number; delivered: number } | null = null;
  /** When a delivery last succeeded: a call begun before it that fails afterwards says nothing new. */
  let lastAnswerAt = 0;
  /** Whether a call begun at `startedAt` that failed with `error` means Temporal is away now. */
  const awayNow = (error: unknown, startedAt: number) => temporalIsAway(error) && startedAt >= lastAnswerAt;
  const markAway = (error: unknown) => {
    if (awaySince !== null) return;
    awaySince = Date.now();
    recovery = null;
    log(`Temporal does not answer (${describeError(error)}); workflow starts and signals wait in the outbox until it does`);
  };
  const markBack = () => {
    if (awaySince === null) return;
    log(`Temporal answers again after ${Date.now() - awaySince} ms away; delivering what waits in the outbox`);
    awaySince = null;
    recovery = { since: Date.now(), delivered: 0 };
  };

  interface Delivered {
    delivered: number;
    away: boolean;
  }

  /**
   * Delivers the conversation's rows in order under its lease (`held`: taken already, by the
   * statement that wrote the row). Returns when none is left, when one fails, or when someone else
   * holds the lease (we rang: they deliver ours too).
   */
  const deliverConversation = async (conversationId: string, store: OutboxStore, held?: LeaseClaim): Promise<Delivered> => {
    let delivered = 0;
    for (let claim = held; ; claim = undefined) {
      const holder = claim?.holder ?? nextHolder();
      // Measured before the lease was asked for: never later than the database's own end.
      const leaseEnds = (claim?.askedAt ?? Date.now()) + options.leaseMs;
      if (!claim && !(await store.acquire(conversationId, holder, options.leaseMs))) return { delivered, away: false };
      const done: bigint[] = [];
      let failure: { row: OutboxRow; error: unknown; startedAt: number } | null = null;
      let waiting = false;
      let more: boolean;
      let rang: boolean;
      try {
        const rows = await store.rows(conversationId, options.batchSize);
        more = rows.length === options.batchSize;
        for (const row of rows) {
          if (!row.due || closed) {
            waiting = true;
            break;
          }
          // A call that could outlast the lease waits for the next lease (taken at once below).
          if (Date.now() + options.deliveryWaitMs >= leaseEnds) {
            more = true;
            break;
          }
          const startedAt = Date.now();
          try {
            await deliver(row);
            done.push(row.id);
            lastAnswerAt = Date.now();
          } catch (error) {
            failure = { row, error, startedAt };
            break;
          }
        }
      } finally {
        const away = failure !== null && temporalIsAway(failure.error);
        ({ rang } = await store.settle(conversationId, holder, {
          delivered: done,
          failed: failure
            ? { id: failure.row.id, error: describeError(failure.error), retryInMs: away ? 0 : rowRetryMs(failure.row.attempts) }
            : undefined,
        }));
      }
      delivered += done.length;
      if (done.length > 0) markBack();
      if (recovery) recovery.delivered += done.length;
      if (failure) {
        const away = awayNow(failure.error, failure.startedAt);
        if (away) markAway(failure.error);
        else if (!temporalIsAway(failure.error)) log(`Temporal refused ${failure.row.kind} for conversation ${conversationId} (retried later)`, failure.error);
        return { delivered, away };
      }
      if (waiting) return { delivered, away: false };
      // Rows came in while we held the lease (their writers rang), or we read only a batch.
      if (!rang && !more) return { delivered, away: false };
    }
  };

  // --- The loop -------------------------------------------------------------------------------
  let wakeRequested = false;
  let interrupt: (() => void) | null = null;
  /** Waits `ms`, or less when woken (`wakeable`) or closed. */
  const pause = (ms: number, wakeable: boolean) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        interrupt = null;
        resolve();
      }
      interrupt = wakeable ? done : () => closed && done();
    });
  const wake = () => {
    wakeRequested = true;
    interrupt?.();
  };

  /** One round: the due conversations, `parallel` at a time; stops early once Temporal is away. */
  const round = async (): Promise<Delivered & { full: boolean }> => {
    const conversations = await loopStore.dueConversations(options.conversationsPerRound);
    let delivered = 0;
    let away = false;
    let next = 0;
    const deliverNext = async () => {
      const outcome = await deliverConversation(conversations[next++]!, loopStore);
      delivered += outcome.delivered;
      away ||= outcome.away;
    };
    const worker = async () => {
      while (!away && !closed && next < conversations.length) await deliverNext();
    };
    // While Temporal is away, one conversation probes it; the round widens once it answers.
    if (awaySince !== null && conversations.length > 0) await deliverNext();
    await Promise.all(Array.from({ length: Math.min(options.parallel, conversations.length) }, worker));
    return { delivered, away, full: conversations.length === options.conversationsPerRound };
  };

  const run = async () => {
    let retryMs = options.firstRetryMs;
    while (!closed) {
      wakeRequested = false;
      let outcome;
      try {
        outcome = await round();
      } catch (error) {
        log('the workflow relay could not reach the database', error);
        outcome = null;
      }
      if (closed) return;
      if (!outcome || outcome.away) {
        // Temporal (or the database) does not answer: the next round is the next probe.
        await pause(retryMs, false);
        retryMs = Math.min(retryMs * 2, options.maxRetryMs);
        continue;
      }
      retryMs = options.firstRetryMs;
      // As fast as Temporal takes them: another round at once while there was work.
      if (outcome.delivered > 0 || outcome.full || wakeRequested) continue;
      // Said once nothing waits at all (rows may still be under other holders' leases); a row
      // that keeps failing on its own ends the watch after a minute.
      if (recovery) {
        const left = await loopStore.count().catch(() => -1);
        const took = Date.now() - recovery.since;
        if (left === 0) log(`the outbox is drained: ${recovery.delivered} rows delivered in ${took} ms since Temporal answered`);
        else if (took > 60_000) log(`${recovery.delivered} rows delivered in ${took} ms since Temporal answered; ${left} still wait (see their lastError)`);
        if (left === 0 || took > 60_000) recovery = null;
      }
      await pause(recovery ? options.firstRetryMs : options.idlePollMs, true);
    }
  };
  const loop = run();

  const inFlight = new Set<Promise<unknown>>();
  return {
    claim() {
      return awaySince === null && !closed ? { holder: nextHolder(), leaseMs: options.leaseMs, askedAt: Date.now() } : null;
    },
    async deliverNow(conversationId, taken) {
      if (taken && !taken.acquired) return; // rang: the holder delivers it
      if (closed || awaySince !== null) {
        // A lease the writing statement took is given back at once; the loop delivers.
        if (taken) await table.settle(conversationId, taken.claim.holder, { delivered: [] }).catch(() => undefined);
        wake();
        return;
      }
      const work = deliverConversation(conversationId, table, taken?.claim)
        .then((outcome) => {
          if (outcome.away) wake();
        })
        .catch((error: unknown) => {
          log(`could not deliver the outbox rows of conversation ${conversationId}; the relay retries`, error);
          wake();
        });
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.requestWaitMs)))]);
      clearTimeout(timer);
    },
    async close() {
      closed = true;
      interrupt?.();
      await loop;
      await Promise.all(inFlight);
    },
  };
}
