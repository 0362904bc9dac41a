// Fault test with real processes: the worker (a child process, as `npm start` runs it) is killed
// with SIGKILL while conversations are snoozed. The API keeps accepting messages meanwhile, a
// snooze timer comes due while nobody runs workflows, and a new worker process takes over from
// what Temporal and PostgreSQL stored: nothing accepted is lost or doubled, the due timer fires,
// and the signals that piled up are processed.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { stateQuery } from '../workflows/conversation.messages.js';
import type { TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

let system: TestSystem;
let dataDir: string;
let worker: WorkerProcess | undefined;
/** What every worker process of the file printed, the killed one's too. */
const workerOutputs: (() => string)[] = [];

const startWorker = async () => {
  worker = await startWorkerProcess({
    databaseUrl: system.databaseUrl,
    temporalAddress: inject('temporalAddress'),
    taskQueue: system.taskQueue,
    namespace: system.namespace,
    dataDir,
  });
  workerOutputs.push(worker.output);
};

beforeAll(async () => {
  system = await startSystem({ inProcessWorker: false });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-worker-'));
  await startWorker();
});
afterAll(async () => {
  await worker?.kill(); // also on failure: no worker process outlives the file
  await system?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Resolves at `instant` (wall clock). */
const until = (instant: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, instant - Date.now())));

describe('a worker killed with SIGKILL and started again', () => {
  it('loses and doubles no message, fires the snooze timer that came due, and processes the buffered signals', async () => {
    const agentToken = await system.login('agent@seamless.local'); // online; skills: cards
    const agentSocket = await system.socket(agentToken);

    const open = async (body: string) => {
      const visitor = await system.visitor();
      const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body } });
      expect(started.status).toBe(201);
      return { visitor, conversationId: started.body.conversation.id as string, firstMessageId: started.body.message.id as string };
    };
    const assigned = (socket: TestSocket, conversationId: string) =>
      socket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId, 30_000);

    // `talking`: the customer writes while the worker is down. `quiet`: nobody writes, so only
    // its timer can wake it (a customer message also ends a snooze, by signal).
    const talking = await open('My card was declined at the shop');
    const quiet = await open('My card was declined online');
    for (const { conversationId } of [talking, quiet]) {
      expect((await assigned(agentSocket, conversationId)).payload.conversation).toMatchObject({ assigneeId: expect.any(String), status: 'open' });
    }

    const wakeAt = Date.now() + 8_000;
    for (const { conversationId } of [talking, quiet]) {
      const snoozed = await system.request('POST', `/api/conversations/${conversationId}/snooze`, {
        token: agentToken,
        body: { until: new Date(wakeAt).toISOString() },
      });
      expect(snoozed.status).toBe(200);
      expect(snoozed.body.conversation.status).toBe('snoozed');
    }

    await worker!.kill();

    // Messages are stored by the API; the worker is not needed to accept them.
    const accepted = [talking.firstMessageId];
    for (const body of ['Are you there?', 'It happened again', 'Please call me back']) {
      const sent = await system.request('POST', `/api/widget/conversations/${talking.conversationId}/messages`, {
        token: talking.visitor.token,
        body: { body },
      });
      expect(sent.status).toBe(201);
      accepted.push(sent.body.message.id);
    }
    const reply = await system.request('POST', `/api/conversations/${talking.conversationId}/messages`, {
      token: agentToken,
      body: { body: 'Calling you now.' },
    });
    expect(reply.status).toBe(201);
    accepted.push(reply.body.message.id);

    // The one legitimate wait on time: the snooze timer is due at `wakeAt`, and the point is a
    // timer that came due while no worker ran. This resolves at that instant; nothing is polled.
    await until(wakeAt);
    const unsnoozed = (conversationId: string) => (event: { type: string; conversationId: string | null }) =>
      event.type === 'conversation.unsnoozed' && event.conversationId === conversationId;
    expect(agentSocket.events().filter(unsnoozed(quiet.conversationId))).toEqual([]); // nobody could have fired it yet
    await startWorker();

    // The due timer fired on the new worker (replaying the workflow from its history).
    const woke = await agentSocket.waitForEvent(unsnoozed(quiet.conversationId), 30_000);
    expect(woke.payload.conversation).toMatchObject({ status: 'open', assigneeId: expect.any(String) });
    const quietState = await system.temporal.workflow.getHandle(`conversation-${quiet.conversationId}`).query(stateQuery);
    expect(quietState).toMatchObject({ status: 'open', snoozedUntil: null });
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: quiet.conversationId } })).status).toBe('open');

    // Queries are consistent: the answer comes after the signals that arrived before it.
    const talkingState = await system.temporal.workflow.getHandle(`conversation-${talking.conversationId}`).query(stateQuery);
    expect(talkingState).toMatchObject({ status: 'open', waitingOn: 'customer', snoozedUntil: null });
    // The customer's message woke it, and the workflow wrote that down (the console reads the row).
    await agentSocket.waitForEvent((event) => event.type === 'conversation.unsnoozed' && event.conversationId === talking.conversationId);
    const talkingRow = await system.db.conversation.findUniqueOrThrow({ where: { id: talking.conversationId } });
    expect(talkingRow).toMatchObject({ status: 'open', snoozedUntil: null });

    const stored = await system.db.message.findMany({ where: { conversationId: talking.conversationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    expect(stored.map((message) => message.id)).toEqual(accepted);

    // Neither worker ran two queries at once on one pg connection (issue 21 item 13: pg's
    // "client is already executing a query" deprecation, printed on every run before).
    for (const output of workerOutputs) expect(output()).not.toMatch(/already executing a query/);
  });
});
