// Delivers what the API promised the workflows: their starts and the signals they must not miss
// (workflow-intents.ts). The promise is durable before anyone hears of it — each is a
// WorkflowOutbox row written in the transaction that stores what it is about — and this relay
// hands the rows to Temporal, then deletes them (workflow-outbox.ts). Callers reach it through
// the gateway (workflow-gateway.ts).
//
// - Fast path: the statement that writes a row also takes the workflow's lease (`claim`),
//   or rings its holder; right after the commit the request delivers (`deliverNow`) and waits
//   for it at most `requestWaitMs`. While Temporal is known to be away the request takes no lease
//   and does not wait at all: its row waits for the loop below.
// - The loop (one per process, one round at a time) delivers what is left: rows whose request
//   gave up, rows a killed process left behind, rows written while Temporal was away. Once
//   Temporal answers it goes round after round without pausing until nothing is due; it backs off
//   (doubling, capped) only while Temporal does not answer.
// - Order: a workflow's rows are delivered one at a time, in the order they were written,
//   under its lease, whether by a request or by the loop, in this process or another. The
//   direct path of a request is the same path, so it can never overtake an older row.
// - The database pool: no transaction is ever open while Temporal is called (lease, read, call,
//   then one statement to delete and release), and at most `databaseSlots` of the loop's
//   statements run at a time, so the backlog never takes more of the pool than that, however
//   many workflows it delivers at once (`parallel`). A request's delivery of its own rows
//   runs its few statements like the rest of its work.
// - Wake-ups (`webhook_lane`): a burst of rows that only say "look again" reaches the workflow as
//   one signal per pass (wakeUpKinds, below), not one per row.
import { randomUUID } from 'node:crypto';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import type { Db } from '../../infra/db.js';
import { deliverRow } from './workflow-intents.js';
import { createOutboxStore, type OutboxKind, type OutboxRow, type OutboxStore } from './workflow-outbox.js';

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
   * After a commit that wrote (or a replay that found) outbox rows for these workflows: deliver
   * them now, each workflow's in order. `taken`: the claim the writing statement used and whether
   * it got the lease (when not, it rang the holder, who delivers the row). Resolves when they are
   * delivered, or after `requestWaitMs`, or at once while Temporal is away; the rows are
   * delivered later in those cases. More than `directWorkflows` are left to the loop (woken at
   * once): a request does not call Temporal for a whole policy's worth of workflows. Never throws.
   */
  deliverNow(workflows: readonly Written[]): Promise<void>;
  /** Stops the loop; resolves once deliveries in flight have settled (rows not delivered stay). */
  close(): Promise<void>;
}

/** Outbox rows a request wrote (or found) for a workflow; `taken`: the lease its statement asked for. */
export interface Written {
  workflowId: string;
  taken?: { claim: LeaseClaim; acquired: boolean };
  /**
   * The workflow's rows as its writing statement returned them, when that statement took the lease
   * and they are all the workflow has (a new conversation's start): delivered without reading them again.
   */
  rows?: OutboxRow[];
}

export interface RelayOptions {
  /** How long a workflow's lease lasts: how long rows wait after their holder died. */
  leaseMs: number;
  /** Deadline of one call to Temporal. */
  deliveryWaitMs: number;
  /** How long a request waits for its rows to be delivered before answering anyway. */
  requestWaitMs: number;
  /** Rows of one workflow read per lease. */
  batchSize: number;
  /** Rows read per lease once a pass found only wake-ups (they cost one call however many). */
  wakeUpBatchSize: number;
  /** Workflows one round of the loop looks at. */
  workflowsPerRound: number;
  /** Workflows the loop delivers at once (calls to Temporal in flight). */
  parallel: number;
  /** Workflows a request delivers itself, at most; beyond that the loop delivers them all. */
  directWorkflows: number;
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
  wakeUpBatchSize: 1_000,
  workflowsPerRound: 100,
  parallel: 8,
  directWorkflows: 8,
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

/**
 * Kinds whose rows only wake their workflow to look at the database again (a webhook lane: a
 * delivery was written). Each row's delivery would say the same thing, so of those read together
 * only the first is handed to Temporal and the rest are settled with it: the rows were written
 * before the call, and the workflow looks again after it.
 */
const wakeUpKinds: ReadonlySet<string> = new Set<OutboxKind>(['webhook_lane']);

/** Back-off of a row that failed on its own: 1 s, 2 s, 4 s … up to 5 minutes. */
const rowRetryMs = (attempts: number) => Math.min(1_000 * 2 ** attempts, 300_000);

/** Delivery through the Temporal client, each call under its deadline. */
export function temporalDelivery(temporal: Client, taskQueue: string, deadlineMs: number, log: RelayDeps['log']): Deliver {
  return (row) => temporal.withDeadline(Date.now() + deadlineMs, () => deliverRow(temporal, taskQueue, row, log));
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
      if (next)
        next(); // the slot passes on
      else running -= 1;
    }
  };
}

/** The store with at most `slots` statements in flight. */
function limitedStore(store: OutboxStore, slots: number): OutboxStore {
  const limit = limiter(slots);
  return {
    dueWorkflows: (count) => limit(() => store.dueWorkflows(count)),
    acquire: (workflowId, holder, leaseMs) => limit(() => store.acquire(workflowId, holder, leaseMs)),
    rows: (workflowId, batch) => limit(() => store.rows(workflowId, batch)),
    settle: (workflowId, holder, settlement) => limit(() => store.settle(workflowId, holder, settlement)),
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
   * Delivers the workflow's rows in order under its lease (`held`: taken already, by the
   * statement that wrote the row, with the rows it wrote when it knows them all). Returns when
   * none is left, when one fails, or when someone else holds the lease (we rang: they deliver ours
   * too). `handedOver` is called once the first lease's rows are all in Temporal's hands, before
   * the statement that deletes them: the request waits no longer than that (a holder that dies
   * before deleting leaves rows that are delivered again, which a start and the signals allow).
   */
  const deliverWorkflow = async (
    workflowId: string,
    store: OutboxStore,
    held?: { claim: LeaseClaim; rows?: OutboxRow[] },
    handedOver?: () => void,
  ): Promise<Delivered> => {
    let delivered = 0;
    let onlyWakeUps = false;
    let notify = handedOver;
    for (let claim = held?.claim, known = held?.rows; ; claim = undefined, known = undefined) {
      const holder = claim?.holder ?? nextHolder();
      // Measured before the lease was asked for: never later than the database's own end.
      const leaseEnds = (claim?.askedAt ?? Date.now()) + options.leaseMs;
      if (!claim && !(await store.acquire(workflowId, holder, options.leaseMs))) return { delivered, away: false };
      const done: bigint[] = [];
      let failure: { row: OutboxRow; error: unknown; startedAt: number } | null = null;
      let waiting = false;
      let more: boolean;
      let rang: boolean;
      try {
        const limit = onlyWakeUps ? options.wakeUpBatchSize : options.batchSize;
        const rows: OutboxRow[] = known ?? (await store.rows(workflowId, limit));
        more = !known && rows.length === limit;
        onlyWakeUps = rows.length > 0 && rows.every((row) => wakeUpKinds.has(row.kind));
        let woken: string | null = null;
        for (const row of rows) {
          if (!row.due || closed) {
            waiting = true;
            break;
          }
          if (woken === row.kind) {
            done.push(row.id); // said already by the wake-up delivered in this pass
            continue;
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
            woken = wakeUpKinds.has(row.kind) ? row.kind : null;
          } catch (error) {
            failure = { row, error, startedAt };
            break;
          }
        }
        if (!failure && !waiting && !more) {
          notify?.();
          notify = undefined;
        }
      } finally {
        const away = failure !== null && temporalIsAway(failure.error);
        ({ rang } = await store.settle(workflowId, holder, {
          delivered: done,
          failed: failure ? { id: failure.row.id, error: describeError(failure.error), retryInMs: away ? 0 : rowRetryMs(failure.row.attempts) } : undefined,
        }));
      }
      delivered += done.length;
      if (done.length > 0) markBack();
      if (recovery) recovery.delivered += done.length;
      if (failure) {
        const away = awayNow(failure.error, failure.startedAt);
        if (away) markAway(failure.error);
        else if (!temporalIsAway(failure.error)) log(`Temporal refused ${failure.row.kind} for ${workflowId} (retried later)`, failure.error);
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

  /** One round: the due workflows, `parallel` at a time; stops early once Temporal is away. */
  const round = async (): Promise<Delivered & { full: boolean }> => {
    const workflows = await loopStore.dueWorkflows(options.workflowsPerRound);
    let delivered = 0;
    let away = false;
    let next = 0;
    const deliverNext = async () => {
      const outcome = await deliverWorkflow(workflows[next++]!, loopStore);
      delivered += outcome.delivered;
      away ||= outcome.away;
    };
    const worker = async () => {
      while (!away && !closed && next < workflows.length) await deliverNext();
    };
    // While Temporal is away, one workflow probes it; the round widens once it answers.
    if (awaySince !== null && workflows.length > 0) await deliverNext();
    await Promise.all(Array.from({ length: Math.min(options.parallel, workflows.length) }, worker));
    return { delivered, away, full: workflows.length === options.workflowsPerRound };
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
    async deliverNow(workflows) {
      if (workflows.length === 0) return;
      const direct = !closed && awaySince === null && workflows.length <= options.directWorkflows;
      if (!direct) {
        // Leases the writing statements took are given back at once; the loop delivers.
        await Promise.all(
          workflows.map(({ workflowId, taken }) =>
            taken?.acquired ? table.settle(workflowId, taken.claim.holder, { delivered: [] }).catch(() => undefined) : undefined,
          ),
        );
        wake();
        return;
      }
      const ours = workflows.filter(({ taken }) => !taken || taken.acquired); // rang: the holder delivers it
      let waitingFor = ours.length;
      let allHandedOver!: () => void;
      const handedOver = new Promise<void>((resolve) => (allHandedOver = resolve));
      const oneHandedOver = () => {
        waitingFor -= 1;
        if (waitingFor === 0) allHandedOver();
      };
      const work = Promise.all(
        ours.map(({ workflowId, taken, rows }) =>
          deliverWorkflow(workflowId, table, taken && { claim: taken.claim, rows }, oneHandedOver)
            .then((outcome) => {
              if (outcome.away) wake();
            })
            .catch((error: unknown) => {
              log(`could not deliver the outbox rows of ${workflowId}; the relay retries`, error);
              wake();
            }),
        ),
      );
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([work, handedOver, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.requestWaitMs)))]);
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
