// Fault test with real processes (issue 15, item 9): a snooze timer comes due while the worker
// restarts after a SIGKILL, the way the supervisor restarts it (at once). The fired timer's
// workflow task is first offered to the dead worker's sticky queue; it must time out there and
// run on the new worker, which fires the snooze and writes it down. How late it fires is measured
// by `npm run bench:worker-restart` (bench/README.md), not asserted here. SLA warnings and
// breaches wake the same main-loop timer as a snooze (workflows/conversation-entity.ts, nextWake).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { defaultStickyQueueTimeoutMs } from '../worker/options.js';
import { stateQuery } from '../workflows/conversation.messages.js';
import { startSystem, type TestSystem } from './support/system.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

const { EventType, TimeoutType } = proto.temporal.api.enums.v1;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

let system: TestSystem;
let dataDir: string;
const workers: WorkerProcess[] = [];

const startWorker = async () => {
  const worker = await startWorkerProcess({
    databaseUrl: system.databaseUrl,
    temporalAddress: inject('temporalAddress'),
    taskQueue: system.taskQueue,
    namespace: system.namespace,
    dataDir,
  });
  workers.push(worker);
  return worker;
};

beforeAll(async () => {
  system = await startSystem({ inProcessWorker: false });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-worker-timer-'));
});
afterAll(async () => {
  for (const worker of workers) await worker.kill(); // also on failure: no worker outlives the file
  await system?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Polls `read` until `done` holds for its result (an event to wait for, with a deadline). */
async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const lastIndexOf = (events: HistoryEvent[], type: proto.temporal.api.enums.v1.EventType) => events.findLastIndex((event) => event.eventType === type);

describe('a timer due while the worker restarts after SIGKILL', () => {
  // Two worker processes boot here (each bundles the workflows): more than the default minute on a busy machine.
  it("fires on the new worker once its task times out on the dead worker's sticky queue", { timeout: 180_000 }, async () => {
    const first = await startWorker();
    const agentToken = await system.login('agent@seamless.local'); // online; skills: cards
    const agentSocket = await system.socket(agentToken);
    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'My card was declined at the shop' } });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    await agentSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId, 30_000);

    // Due a few seconds from now: after the kill, well inside the server's window (10 s after the
    // dead worker's last poll) in which it still sends this workflow's tasks to its sticky queue.
    const due = Date.now() + 4_000;
    const snoozed = await system.request('POST', `/api/conversations/${conversationId}/snooze`, {
      token: agentToken,
      body: { until: new Date(due).toISOString() },
    });
    expect(snoozed.status).toBe(200);

    // The first worker has taken the snooze and started the timer for it, and has no task left:
    // the next task (the timer firing) belongs to its sticky queue.
    const handle = system.temporal.workflow.getHandle(`conversation-${conversationId}`);
    const before = await waitUntil(
      async () => ({ events: (await handle.fetchHistory()).events ?? [], pending: (await handle.describe()).raw.pendingWorkflowTask }),
      ({ events, pending }) =>
        !pending &&
        lastIndexOf(events, EventType.EVENT_TYPE_TIMER_STARTED) > lastIndexOf(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) &&
        lastIndexOf(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) >= 0,
      10_000,
      'the snooze timer started on the first worker',
    );
    const firstIdentity = before.events.findLast((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)?.workflowTaskStartedEventAttributes
      ?.identity;
    expect(firstIdentity).toBeTruthy();

    await first.kill();
    const killedBeforeDue = Date.now() < due; // the premise: the timer comes due with no worker alive
    const second = await startWorker(); // at once, as the supervisor restarts it
    expect(second.output()).toContain(`sticky queue timeout ${defaultStickyQueueTimeoutMs} ms`);

    const woke = await agentSocket.waitForEvent((event) => event.type === 'conversation.unsnoozed' && event.conversationId === conversationId, 30_000);
    expect(killedBeforeDue).toBe(true);
    expect(woke.payload.conversation).toMatchObject({ status: 'open', snoozedUntil: null });
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('open');
    expect(await handle.query(stateQuery)).toMatchObject({ status: 'open', snoozedUntil: null });

    // The path the fired timer took: offered to the dead worker's sticky queue, timed out there
    // (schedule-to-start), then started by the new worker from the normal queue.
    const events = (await handle.fetchHistory()).events ?? [];
    const afterFired = events.slice(lastIndexOf(events, EventType.EVENT_TYPE_TIMER_FIRED) + 1);
    const timedOut = afterFired.findIndex(
      (event) =>
        event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT &&
        event.workflowTaskTimedOutEventAttributes?.timeoutType === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START,
    );
    const startedAfter = afterFired.findIndex((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
    expect(timedOut).toBeGreaterThanOrEqual(0);
    expect(startedAfter).toBeGreaterThan(timedOut);
    const secondIdentity = afterFired[startedAfter]!.workflowTaskStartedEventAttributes?.identity;
    expect(secondIdentity).toBeTruthy();
    expect(secondIdentity).not.toBe(firstIdentity);
  });
});
