// Fault tests of the durable path from the API to the workflows (issue 15, items 1-5), with real
// processes: a Temporal dev server of this file's own (its SQLite file kept, so it can be stopped
// and started), the worker in-process, and the API as a child process that is killed and started
// again. The in-process API of the test system delivers no outbox rows (inProcessRelay: false),
// so what reaches the workflows was delivered by the child, as a second API process would.
//
// Each test compares the database with the workflows: every message that changes a
// conversation's state (here: authors alternate, so every message after the first does) must
// appear as a messagePosted signal in its workflow's history, once it has been delivered.
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import { stateQuery, type MessagePostedInput } from '../workflows/conversation.messages.js';
import { createApiClient, type ApiClient, type ApiResponse } from './support/api-client.js';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { freePort } from './support/free-port.js';
import { startRestartableTemporal, type RestartableTemporal } from './support/restartable-temporal.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

const secret = randomBytes(48).toString('base64url');
/** The child's connections are told apart from the test's own in pg_stat_activity by this name. */
const applicationName = 'seamless-api-under-test';
let apiPort: number;
let temporal: RestartableTemporal;
let system: TestSystem;
let api: ApiProcess | undefined;

const startTemporal = () => temporal.start();
const stopTemporal = () => temporal.stop();
/** The API child process on its fixed port (clients keep their URL across restarts). */
const startApi = async () => {
  const databaseUrl = `${system.databaseUrl}?application_name=${applicationName}`;
  api = await startApiProcess({
    databaseUrl,
    temporalAddress: temporal.address,
    taskQueue: system.taskQueue,
    namespace: system.namespace,
    secret,
    port: apiPort,
    dataDir: temporal.dataDir,
    // Many visitors and messages from one address in a few seconds.
    env: { RATE_LIMIT_WIDGET_VISITORS: '0', RATE_LIMIT_WIDGET_CONVERSATIONS: '0', RATE_LIMIT_WIDGET_MESSAGES: '0', RATE_LIMIT_WIDGET_MESSAGES_PER_IP: '0' },
  });
  return createApiClient(api.url);
};

beforeAll(async () => {
  temporal = await startRestartableTemporal('outbox');
  apiPort = await freePort();
  system = await startSystem({ temporalAddress: temporal.address, secret, inProcessRelay: false });
});
afterEach(async () => {
  await api?.kill();
  api = undefined;
  if (!temporal.running) await startTemporal(); // a failed test may leave it stopped
});
afterAll(async () => {
  await api?.kill();
  await system?.stop();
  await temporal?.remove();
});

/** The messagePosted signals in a conversation's workflow history, in the order the workflow took them. */
async function signalsOf(conversationId: string): Promise<MessagePostedInput[]> {
  const history = await system.temporal.workflow.getHandle(conversationWorkflowId(conversationId)).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal?.signalName !== 'messagePosted') return [];
    return [defaultPayloadConverter.fromPayload<MessagePostedInput>(signal.input!.payloads![0]!)];
  });
}

/**
 * The conversation's signals once all of `messageIds` are among them, or as they are after
 * `timeoutMs`: a signal Temporal accepted while a workflow task ran joins the history when that
 * task completes, so a history read right after the delivery may not show it yet.
 */
async function signalsIncluding(conversationId: string, messageIds: string[], timeoutMs = 30_000): Promise<MessagePostedInput[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const signals = await signalsOf(conversationId);
    if (messageIds.every((id) => signals.some((signal) => signal.messageId === id)) || Date.now() > deadline) return signals;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every message of the conversation after its first (which comes with the start, not by signal), in store order. */
async function laterMessageIds(conversationId: string): Promise<string[]> {
  const messages = await system.db.message.findMany({ where: { conversationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } });
  return messages.slice(1).map((message) => message.id);
}

/** Waits until every outbox row has been delivered (and deleted). */
const outboxDrained = (timeoutMs: number) => waitUntil(async () => ((await system.db.workflowOutbox.count()) === 0 ? true : null), timeoutMs);

/** Opens conversations through `client` and waits until their workflows have prepared them. */
async function openConversations(client: ApiClient, count: number, label: string) {
  const opened: { id: string; token: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const visitor = await client.visitor(`${label} ${i}`);
    const started = await client.request('POST', '/api/widget/conversations', {
      token: visitor.token,
      body: { body: `My card was declined at the shop (${label} ${i})` },
      headers: { 'idempotency-key': `${label}-start-${i}` },
    });
    expect(started.status).toBe(201);
    opened.push({ id: started.body.conversation.id as string, token: visitor.token });
  }
  const ids = opened.map((conversation) => conversation.id);
  await waitUntil(
    async () => ((await system.db.event.count({ where: { type: 'conversation.classified', conversationId: { in: ids } } })) === count ? true : null),
    60_000,
  );
  return opened;
}

/** A message as the conversation's customer or as the admin, with an Idempotency-Key. */
function sendAs(
  client: ApiClient,
  admin: string,
  conversation: { id: string; token: string },
  author: 'customer' | 'agent',
  body: string,
  key: string,
): Promise<ApiResponse> {
  const headers = { 'idempotency-key': key };
  return author === 'customer'
    ? client.request('POST', `/api/widget/conversations/${conversation.id}/messages`, { token: conversation.token, body: { body }, headers })
    : client.request('POST', `/api/conversations/${conversation.id}/messages`, { token: admin, body: { body }, headers });
}

describe('the workflow outbox, with Temporal and the API failing', () => {
  it("delivers every state-changing message's signal when the API is killed while Temporal is down and the clients retry", async () => {
    let client = await startApi();
    const admin = await client.login('admin@seamless.local');
    const conversations = await openConversations(client, 6, 'killed');
    await stopTemporal();

    // Every conversation gets an agent reply; once they are stored, the API dies before it
    // could answer (it was waiting on Temporal). The clients never saw a response.
    const firstReplies = conversations.map((conversation, i) =>
      sendAs(client, admin, conversation, 'agent', `Looking into it (${i})`, `killed-${i}-0`).catch(() => null),
    );
    await waitUntil(
      async () => ((await system.db.message.count({ where: { body: { startsWith: 'Looking into it (' } } })) === conversations.length ? true : null),
      30_000,
    );
    await api!.kill();
    expect((await Promise.all(firstReplies)).every((response) => response === null)).toBe(true);

    // Temporal and the API are back (the API starting after Temporal: starting without it is
    // the last test's). Each client retries with its key: the stored reply is replayed (200),
    // and its signal must reach the workflow all the same. Then the conversations go on.
    await startTemporal();
    client = await startApi();
    for (const [i, conversation] of conversations.entries()) {
      const retried = await sendAs(client, admin, conversation, 'agent', `Looking into it (${i})`, `killed-${i}-0`);
      expect(retried.status).toBe(200);
    }
    await Promise.all(
      conversations.map(async (conversation, i) => {
        expect((await sendAs(client, admin, conversation, 'customer', `Thanks (${i})`, `killed-${i}-1`)).status).toBe(201);
        expect((await sendAs(client, admin, conversation, 'agent', `Found it (${i})`, `killed-${i}-2`)).status).toBe(201);
      }),
    );
    await outboxDrained(60_000);
    for (const conversation of conversations) {
      const expected = await laterMessageIds(conversation.id);
      expect(expected).toHaveLength(3);
      const signalled = (await signalsIncluding(conversation.id, expected)).map((signal) => signal.messageId);
      const missing = expected.filter((id) => !signalled.includes(id));
      expect(missing, `signals missing in conversation ${conversation.id}`).toEqual([]);
      // The workflow agrees with the database on who the conversation waits on.
      const stored = await system.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
      expect((await system.temporal.workflow.getHandle(conversationWorkflowId(conversation.id)).query(stateQuery)).waitingOn).toBe(stored.waitingOn);
    }
  });

  it('delivers a first agent reply kept in the outbox before a newer message sent once Temporal is back (no false breach)', async () => {
    const client = await startApi();
    const admin = await client.login('admin@seamless.local');
    const [conversation] = await openConversations(client, 1, 'breach');
    const handle = system.temporal.workflow.getHandle(conversationWorkflowId(conversation!.id));
    expect((await handle.query(stateQuery)).clocks.map((clock) => clock.metric)).toContain('first_response');
    await stopTemporal();

    // The first reply is stored while Temporal is down: its signal waits in the outbox, and the
    // API that holds it dies.
    const reply = await sendAs(client, admin, conversation!, 'agent', 'We are on it', 'breach-reply');
    expect(reply.status).toBe(201);
    await waitUntil(
      async () =>
        (await system.db.workflowOutbox.count({ where: { workflowId: conversationWorkflowId(conversation!.id), kind: 'message_posted' } })) === 1 ? true : null,
      30_000,
    );
    await api!.kill();

    // Temporal is back; the customer writes through the other API process, which can reach it.
    await startTemporal();
    await waitUntil(
      async () =>
        (await handle
          .describe()
          .then(() => true)
          .catch(() => false))
          ? true
          : null,
      30_000,
    );
    const customer = await system.request('POST', `/api/widget/conversations/${conversation!.id}/messages`, {
      token: conversation!.token,
      body: { body: 'Thanks, any news?' },
    });
    expect(customer.status).toBe(201);

    await startApi(); // its relay delivers what the killed one left
    await outboxDrained(60_000);
    const signals = await waitUntil(async () => {
      const taken = await signalsOf(conversation!.id);
      return taken.length >= 2 ? taken : null;
    }, 30_000);
    // In the order they were stored, and the first reply stopped the first-response clock.
    expect(signals.map((signal) => signal.messageId)).toEqual([reply.body.message.id, customer.body.message.id]);
    const state = await handle.query(stateQuery);
    expect(state.clocks.map((clock) => clock.metric)).not.toContain('first_response');
    expect(state.waitingOn).toBe('agent');
    await waitUntil(
      async () => ((await system.db.conversation.findUniqueOrThrow({ where: { id: conversation!.id } })).firstResponseDueAt === null ? true : null),
      30_000,
    );
  });

  it('keeps serving while Temporal is down, never holds a transaction across a call to it, and drains at once when it is back', async () => {
    const client = await startApi();
    const admin = await client.login('admin@seamless.local');
    const conversations = await openConversations(client, 16, 'pool');
    await stopTemporal();

    // Stuck transactions of the API: "idle in transaction" for over a second means a connection
    // held while something else (Temporal) is awaited. Sampled all through the outage.
    // The first one found fails the test at once (requests may hang behind an exhausted pool).
    const stuck: string[] = [];
    let sampling = true;
    let foundStuck: (reason: Error) => void = () => {};
    const stuckFound = new Promise<never>((_resolve, reject) => (foundStuck = reject));
    stuckFound.catch(() => {}); // read by the rounds' race below
    const sampler = (async () => {
      while (sampling) {
        const rows = await system.db.$queryRaw<{ state: string; seconds: number; query: string }[]>`
          SELECT state, extract(epoch FROM now() - state_change)::float AS seconds, query FROM pg_stat_activity
          WHERE application_name = ${applicationName} AND state = 'idle in transaction' AND now() - state_change > interval '1 second'`;
        stuck.push(...rows.map((row) => `${row.seconds.toFixed(1)} s after: ${row.query.slice(0, 120)}`));
        if (stuck.length > 0) foundStuck(new Error(`connections held in a transaction while waiting:\n${stuck.join('\n')}`));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    const waking: string[] = [];
    let served = 0;
    const rounds = 8;
    for (let round = 0; round < rounds; round += 1) {
      const author = round % 2 === 0 ? 'agent' : 'customer';
      const requests = Promise.all([
        ...conversations.map(async (conversation, i) => {
          // One that changes who the conversation waits on (a row in the outbox), then one that does not.
          const wakes = await sendAs(client, admin, conversation, author, `pool ${round}/${i} a`, `pool-${round}-${i}-a`);
          if (wakes.status === 201) waking.push(wakes.body.message.id);
          return [wakes, await sendAs(client, admin, conversation, author, `pool ${round}/${i} b`, `pool-${round}-${i}-b`)];
        }),
        // Reads that never touch Temporal.
        ...Array.from({ length: 8 }, async () => [await client.request('GET', '/api/conversations', { token: admin })]),
      ]);
      const responses = (await Promise.race([stuckFound, requests])).flat();
      expect(responses.map((response) => response.status).filter((status) => status >= 300)).toEqual([]);
      served += responses.length;
    }
    sampling = false;
    await sampler;
    expect(stuck).toEqual([]);
    expect(served).toBe(rounds * (conversations.length * 2 + 8));
    // One row per conversation and round (the first message changes who it waits on), and in the
    // agent's rounds one more for each conversation still queued: an agent's reply to a queued
    // conversation takes it, so every such reply wakes the workflow (domain/conversation-flow.ts).
    const queued = await system.db.conversation.count({ where: { id: { in: conversations.map((conversation) => conversation.id) }, status: 'queued' } });
    const backlog = await system.db.workflowOutbox.count();
    expect(backlog).toBe(rounds * conversations.length + (rounds / 2) * queued);

    await startTemporal();
    const back = Date.now();
    await outboxDrained(30_000);
    const drainMs = Date.now() - back;
    const relayLines = api!
      .output()
      .split('\n')
      .filter((line) => /\[api\]/.test(line));
    console.info(
      `[workflow-outbox] ${served} requests served while Temporal was down; ${backlog} rows delivered ${drainMs} ms after it was back\n${relayLines.join('\n')}`,
    );
    for (const conversation of conversations) {
      const expected = (await laterMessageIds(conversation.id)).filter((id) => waking.includes(id));
      const signalled = new Set((await signalsIncluding(conversation.id, expected)).map((signal) => signal.messageId));
      const missing = expected.filter((id) => !signalled.has(id));
      expect(missing, `signals missing in conversation ${conversation.id}`).toEqual([]);
    }
  });

  it('starts while Temporal is down, accepts conversations and messages, and delivers them once it is up', async () => {
    await stopTemporal();
    const client = await startApi(); // failed with exit 1 before (Connection.connect)
    const admin = await client.login('admin@seamless.local');
    const visitor = await client.visitor('Started without Temporal');
    const started = await client.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'My card PIN is blocked' } });
    expect(started.status).toBe(201);
    const conversation = { id: started.body.conversation.id as string, token: visitor.token };
    expect((await sendAs(client, admin, conversation, 'agent', 'Let me unblock it', 'offline-1')).status).toBe(201);
    expect((await sendAs(client, admin, conversation, 'customer', 'Thank you', 'offline-2')).status).toBe(201);
    expect((await client.request('GET', `/api/conversations/${conversation.id}`, { token: admin })).status).toBe(200);
    // A lifecycle change needs the workflow itself: refused as unavailable, nothing changed.
    const resolve = await client.request('POST', `/api/conversations/${conversation.id}/resolve`, { token: admin, body: {} });
    expect([resolve.status, resolve.body.error.code]).toEqual([503, 'workflow_unavailable']);
    expect(
      (await system.db.workflowOutbox.findMany({ where: { workflowId: conversationWorkflowId(conversation.id) }, orderBy: { id: 'asc' } })).map(
        (row) => row.kind,
      ),
    ).toEqual(['start_conversation', 'message_posted', 'message_posted']);

    await startTemporal();
    await outboxDrained(60_000);
    await waitUntil(
      async () => ((await system.db.event.count({ where: { type: 'conversation.classified', conversationId: conversation.id } })) === 1 ? true : null),
      30_000,
    );
    const signals = await waitUntil(async () => {
      const taken = await signalsOf(conversation.id);
      return taken.length >= 2 ? taken : null;
    }, 30_000);
    expect(signals.map((signal) => signal.messageId)).toEqual(await laterMessageIds(conversation.id));
  });
});
