// The relay's policy over an in-memory outbox and a fake Temporal: order per workflow, one
// holder per workflow across processes, no pause while Temporal takes rows, back-off only while
// it does not, and a bounded share of the database. The SQL behind the store is exercised by the
// fault tests in test/ (real PostgreSQL, real Temporal).
import type { Client } from '@temporalio/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../infra/db.js';
import { createWorkflowRelay, temporalIsAway, type Deliver, type LeaseClaim, type RelayOptions, type WorkflowRelay } from './workflow-relay.js';
import type { OutboxKind, OutboxRow, OutboxStore, Settlement } from './workflow-outbox.js';

interface StoredRow {
  id: bigint;
  kind: OutboxKind;
  workflowId: string;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
}

/** The WorkflowOutbox and WorkflowOutboxLease tables in memory, with the store's semantics. */
function memoryOutbox() {
  const rows: StoredRow[] = [];
  const leases = new Map<string, { holder: string; until: number; rang: boolean }>();
  let nextId = 1n;
  let calls = 0;
  let maxCalls = 0;
  const emptied: (() => void)[] = [];
  /** Counts calls in progress, as connections the store would hold. */
  const call = async <T>(work: () => T): Promise<T> => {
    calls += 1;
    maxCalls = Math.max(maxCalls, calls);
    try {
      await Promise.resolve(); // a round trip: lets other callers interleave
      return work();
    } finally {
      calls -= 1;
    }
  };
  const due = (row: StoredRow) => row.nextAttemptAt === null || row.nextAttemptAt <= Date.now();
  /** The lease upsert: taken when free or expired, else the holder is rung. */
  const takeOrRing = (workflowId: string, holder: string, leaseMs: number) => {
    const lease = leases.get(workflowId);
    if (lease && lease.until > Date.now()) {
      lease.rang = true;
      return false;
    }
    leases.set(workflowId, { holder, until: Date.now() + leaseMs, rang: false });
    return true;
  };
  const ofWorkflow = (workflowId: string) => rows.filter((row) => row.workflowId === workflowId);
  const store: OutboxStore = {
    dueWorkflows: (limit) =>
      call(() => {
        const heads = new Map<string, StoredRow>();
        for (const row of rows) if (!heads.has(row.workflowId)) heads.set(row.workflowId, row);
        return [...heads.values()]
          .filter((head) => due(head) && !((leases.get(head.workflowId)?.until ?? 0) > Date.now()))
          .slice(0, limit)
          .map((head) => head.workflowId);
      }),
    acquire: (workflowId, holder, leaseMs) => call(() => takeOrRing(workflowId, holder, leaseMs)),
    rows: (workflowId, limit) =>
      call(() =>
        ofWorkflow(workflowId)
          .slice(0, limit)
          .map((row): OutboxRow => ({ id: row.id, kind: row.kind, workflowId: row.workflowId, payload: {}, attempts: row.attempts, due: due(row) })),
      ),
    settle: (workflowId, holder, { delivered, failed }: Settlement) =>
      call(() => {
        for (const id of delivered)
          rows.splice(
            rows.findIndex((row) => row.id === id),
            1,
          );
        const row = failed && rows.find((candidate) => candidate.id === failed.id);
        if (row && failed)
          Object.assign(row, {
            attempts: row.attempts + 1,
            lastError: failed.error,
            nextAttemptAt: failed.retryInMs > 0 ? Date.now() + failed.retryInMs : null,
          });
        const lease = leases.get(workflowId);
        const rang = lease?.holder === holder && lease.rang;
        if (lease?.holder === holder) leases.delete(workflowId);
        if (rows.length === 0) emptied.splice(0).forEach((resolve) => resolve());
        return { rang };
      }),
    count: () => call(() => rows.length),
  };
  return {
    store,
    rows,
    leases,
    add(workflowId: string, kind: OutboxKind = 'message_posted') {
      const row = { id: nextId++, kind, workflowId, attempts: 0, nextAttemptAt: null, lastError: null };
      rows.push(row);
      return row.id;
    },
    /** A row written by a statement that also asks for the lease with `claim`, as message-store.ts does. */
    write(workflowId: string, claim: LeaseClaim | null) {
      const id = this.add(workflowId);
      return { id, taken: claim ? { claim, acquired: takeOrRing(workflowId, claim.holder, claim.leaseMs) } : undefined };
    },
    /** Resolves once every row is gone. */
    empty: () => new Promise<void>((resolve) => (rows.length === 0 ? resolve() : emptied.push(resolve))),
    maxConcurrentCalls: () => maxCalls,
  };
}

/** What Temporal saw: each delivered row, in order. `slow`: each call takes a turn of the event loop, like a network call. */
function fakeTemporal({ slow = false } = {}) {
  const seen: OutboxRow[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let failing: ((row: OutboxRow) => Error | null) | null = null;
  const deliver: Deliver = async (row) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await (slow ? new Promise((resolve) => setImmediate(resolve)) : Promise.resolve());
      const error = failing?.(row);
      if (error) throw error;
      seen.push(row);
    } finally {
      inFlight -= 1;
    }
  };
  return {
    deliver,
    seen,
    failWith(decide: ((row: OutboxRow) => Error | null) | null) {
      failing = decide;
    },
    maxInFlight: () => maxInFlight,
  };
}

/** The error the Temporal client throws when the server cannot be reached (gRPC UNAVAILABLE). */
function unavailable(): Error {
  const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'No connection established', metadata: {} });
  return new Error('Failed to signal workflow', { cause: grpc });
}

function refusedRow(): Error {
  const grpc = Object.assign(new Error('3 INVALID_ARGUMENT: bad input'), { code: 3, details: 'bad input', metadata: {} });
  return new Error('Failed to signal workflow', { cause: grpc });
}

const relays: WorkflowRelay[] = [];
const logs: string[] = [];
function relay(outbox: ReturnType<typeof memoryOutbox>, temporal: ReturnType<typeof fakeTemporal>, options: Partial<RelayOptions> = {}) {
  const created = createWorkflowRelay({
    db: {} as Db,
    temporal: {} as Client,
    taskQueue: 'unused',
    log: (message) => logs.push(message),
    store: outbox.store,
    deliver: temporal.deliver,
    // Pauses long enough that a test waiting on one would time out: each test says which it allows.
    options: { firstRetryMs: 3_600_000, maxRetryMs: 3_600_000, idlePollMs: 3_600_000, ...options },
  });
  relays.push(created);
  return created;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(relays.splice(0).map((created) => created.close()));
  logs.length = 0;
});

const idsOf = (rows: OutboxRow[], workflowId: string) => rows.filter((row) => row.workflowId === workflowId).map((row) => row.id);

describe('workflow relay', () => {
  it("delivers a workflow's rows in the order they were written, once each, and deletes them", async () => {
    const outbox = memoryOutbox();
    const temporal = fakeTemporal();
    const written = [outbox.add('c1', 'start_conversation'), outbox.add('c1'), outbox.add('c2'), outbox.add('c1')];
    const relayed = relay(outbox, temporal);
    await relayed.deliverNow([{ workflowId: 'c1' }]);
    expect(idsOf(temporal.seen, 'c1')).toEqual([written[0], written[1], written[3]]);
    await outbox.empty(); // c2 by the loop
    expect(temporal.seen.map((row) => row.id).sort()).toEqual([...written].sort());
  });

  it('hands a burst of webhook wake-ups to Temporal once per pass, not once per row, and still every other row', async () => {
    const outbox = memoryOutbox();
    const temporal = fakeTemporal();
    for (let i = 0; i < 500; i += 1) outbox.add('webhook-e1-unordered', 'webhook_lane');
    outbox.add('webhook-e1-unordered', 'message_posted');
    outbox.add('webhook-e1-unordered', 'webhook_lane');
    for (let i = 0; i < 3; i += 1) outbox.add('c1');
    relay(outbox, temporal, { batchSize: 20 });
    await outbox.empty();
    // The first read of 20 (one call), then the rest in one larger read: the 480 wake-ups, the
    // other row, and the wake-up after it (that one is news to the workflow: it is delivered).
    expect(temporal.seen.filter((row) => row.workflowId === 'webhook-e1-unordered').map((row) => row.kind)).toEqual([
      'webhook_lane',
      'webhook_lane',
      'message_posted',
      'webhook_lane',
    ]);
    expect(temporal.seen.filter((row) => row.workflowId === 'c1')).toHaveLength(3);
  });

  it('drains a backlog larger than a round holds without pausing between rounds while Temporal takes rows', async () => {
    const outbox = memoryOutbox();
    const temporal = fakeTemporal();
    for (let i = 0; i < 250; i += 1) {
      outbox.add(`c${i}`);
      outbox.add(`c${i}`);
    }
    // Every pause is an hour long: a pause after a successful round would stall the drain.
    relay(outbox, temporal, { workflowsPerRound: 40 });
    await outbox.empty();
    expect(temporal.seen).toHaveLength(500);
  });

  it('backs off only while Temporal does not answer, doubling up to the cap, and drains at once when it answers', async () => {
    vi.useFakeTimers();
    const outbox = memoryOutbox();
    const temporal = fakeTemporal();
    for (let i = 0; i < 30; i += 1) outbox.add(`c${i % 10}`);
    const attempts: number[] = [];
    let up = false;
    temporal.failWith(() => {
      attempts.push(Date.now());
      return up ? null : unavailable();
    });
    const start = Date.now();
    const relayed = relay(outbox, temporal, { firstRetryMs: 100, maxRetryMs: 400, idlePollMs: 3_600_000, parallel: 2 });
    await vi.advanceTimersByTimeAsync(1_500);
    // The first round tries `parallel` (2) workflows; once Temporal is known to be away, one
    // probe per round, after 100, 200, 400, 400… ms.
    expect(attempts.map((at) => at - start)).toEqual([0, 0, 100, 300, 700, 1_100, 1_500]);
    // While Temporal is away a request does not wait for it: its row waits for the loop.
    outbox.add('c-new');
    await relayed.deliverNow([{ workflowId: 'c-new' }]);
    expect(temporal.seen).toHaveLength(0);

    up = true;
    await vi.advanceTimersByTimeAsync(400); // the next probe succeeds, and the loop goes on without pausing
    expect(outbox.rows).toHaveLength(0);
    expect(temporal.seen).toHaveLength(31);
    expect(logs.some((line) => line.includes('Temporal answers again'))).toBe(true);
  });

  it('holds back a row refused on its own while the other workflows go on', async () => {
    const outbox = memoryOutbox();
    const temporal = fakeTemporal();
    const poisoned = outbox.add('bad');
    const behind = outbox.add('bad');
    for (let i = 0; i < 5; i += 1) outbox.add(`ok${i}`);
    temporal.failWith((row) => (row.workflowId === 'bad' ? refusedRow() : null));
    relay(outbox, temporal);
    await vi.waitFor(() => expect(outbox.rows.map((row) => row.id)).toEqual([poisoned, behind]));
    expect(temporal.seen).toHaveLength(5);
    const head = outbox.rows[0]!;
    expect(head.attempts).toBe(1);
    expect(head.nextAttemptAt).toBeGreaterThan(Date.now()); // retried later, on its own schedule
    expect(head.lastError).toContain('INVALID_ARGUMENT');
  });

  it('lets one holder at a time deliver a workflow, across requests and processes, so its order holds', async () => {
    const outbox = memoryOutbox();
    const temporal = fakeTemporal({ slow: true });
    const first = relay(outbox, temporal);
    const second = relay(outbox, temporal); // another API process on the same table
    const written: bigint[] = [];
    const requests: Promise<void>[] = [];
    for (let i = 0; i < 40; i += 1) {
      // Each writer takes the lease with its row, or rings the holder (message-store.ts).
      const via = i % 2 ? first : second;
      const { id, taken } = outbox.write('busy', via.claim());
      written.push(id);
      requests.push(via.deliverNow([{ workflowId: 'busy', taken }]));
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve)); // some writes land mid-delivery
    }
    await Promise.all(requests);
    // Every row is delivered by a request's holder (the loop's poll is an hour away) …
    await outbox.empty();
    // … in the order written, once each.
    expect(idsOf(temporal.seen, 'busy')).toEqual(written);
  });

  it('drains a backlog with at most `databaseSlots` statements at a time and `parallel` calls to Temporal', async () => {
    const outbox = memoryOutbox();
    for (let i = 0; i < 200; i += 1) outbox.add(`c${i}`);
    const temporal = fakeTemporal({ slow: true });
    relay(outbox, temporal, { parallel: 6, databaseSlots: 2 });
    await outbox.empty();
    expect(temporal.seen).toHaveLength(200);
    expect(outbox.maxConcurrentCalls()).toBe(2);
    expect(temporal.maxInFlight()).toBeGreaterThan(2); // the slots bound the database, not Temporal
    expect(temporal.maxInFlight()).toBeLessThanOrEqual(6);
  });

  it('delivers the few workflows a request wrote to itself, and leaves a large batch to the loop at once', async () => {
    const outbox = memoryOutbox();
    const temporal = fakeTemporal();
    const relayed = relay(outbox, temporal, { directWorkflows: 2, requestWaitMs: 3_600_000 });
    outbox.add('ticket-1', 'start_ticket');
    outbox.add('conversation-1', 'conversation_tags_added');
    await relayed.deliverNow([{ workflowId: 'ticket-1' }, { workflowId: 'conversation-1' }]);
    expect(temporal.seen.map((row) => row.workflowId).sort()).toEqual(['conversation-1', 'ticket-1']);

    // A policy's worth of workflows: the request returns without delivering, the loop does it.
    const many = Array.from({ length: 20 }, (_, i) => `conversation-${i + 2}`);
    for (const workflowId of many) outbox.add(workflowId, 'conversation_sla_policy_changed');
    await relayed.deliverNow(many.map((workflowId) => ({ workflowId })));
    await outbox.empty();
    expect(temporal.seen).toHaveLength(22);
  });

  it('answers the request once Temporal has its rows, before they are deleted, and does not read again the rows its statement returned', async () => {
    const outbox = memoryOutbox();
    const temporal = fakeTemporal();
    const relayed = relay(outbox, temporal, { requestWaitMs: 3_600_000 });
    // The delete-and-release statement waits until the test lets it go; reads are counted.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const settle = outbox.store.settle;
    outbox.store.settle = async (...args) => {
      await released;
      return settle(...args);
    };
    const reads = vi.spyOn(outbox.store, 'rows');
    const { id, taken } = outbox.write('conversation-new', relayed.claim());
    const row: OutboxRow = { id, kind: 'start_conversation', workflowId: 'conversation-new', payload: {}, attempts: 0, due: true };
    await relayed.deliverNow([{ workflowId: 'conversation-new', taken, rows: [row] }]);
    expect(temporal.seen).toEqual([row]);
    expect(reads).not.toHaveBeenCalled();
    expect(outbox.rows).toHaveLength(1); // not deleted yet: the request did not wait for it
    release();
    await outbox.empty();
    expect(temporal.seen).toHaveLength(1);
  });

  it('tells Temporal being away from a refusal of one row', () => {
    expect(temporalIsAway(unavailable())).toBe(true);
    expect(temporalIsAway(refusedRow())).toBe(false);
    expect(temporalIsAway(new Error('not a gRPC error'))).toBe(false);
  });
});
