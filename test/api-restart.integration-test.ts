// Fault test with real processes: the API (REST + WebSocket, a child process as `npm start` runs
// it) is killed with SIGKILL while a customer and an agent are connected, and started again on
// the same port. Meanwhile a second API (the in-process one of the test system, sharing the
// database and the visitor-token secret, as behind a load balancer) keeps accepting messages.
// The clients reconnect with the last event id they saw and get exactly what they missed, in
// order, once; a retried Idempotency-Key stores nothing twice; every 201 is stored exactly once.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { EventView } from '../domain/events.js';
import { canSeeEvent } from '../domain/event-audience.js';
import type { Viewer } from '../domain/visibility.js';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { freePort } from './support/free-port.js';
import type { TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';

const secret = randomBytes(48).toString('base64url');
let system: TestSystem;
let dataDir: string;
let port: number;
let api: ApiProcess | undefined;
let client: ApiClient;

const startApi = async () => {
  api = await startApiProcess({
    databaseUrl: system.databaseUrl,
    temporalAddress: inject('temporalAddress'),
    taskQueue: system.taskQueue,
    namespace: system.namespace,
    secret,
    port,
    dataDir,
  });
};

beforeAll(async () => {
  system = await startSystem({ secret });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-api-restart-'));
  port = await freePort();
  await startApi();
  client = createApiClient(api!.url);
});
afterAll(async () => {
  await client?.closeSockets();
  await api?.kill(); // also on failure: no API process outlives the file
  await system?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const lastEventIdOf = (socket: TestSocket) => socket.events().at(-1)?.id;

describe('an API process killed with SIGKILL and started again on the same port', () => {
  it('lets connected clients catch up exactly, stores a retried message once and loses no accepted message', async () => {
    const agentToken = await client.login('agent@seamless.local');
    const visitor = await client.visitor('Restart customer');
    const agentSocket = await client.socket(agentToken);
    const customerSocket = await client.socket(visitor.token);
    const accepted: string[] = [];
    const post = async (via: ApiClient | TestSystem, who: 'customer' | 'agent', conversationId: string, body: string, key?: string) => {
      const headers: Record<string, string> = key ? { 'idempotency-key': key } : {};
      const response =
        who === 'customer'
          ? await via.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token, body: { body }, headers })
          : await via.request('POST', `/api/conversations/${conversationId}/messages`, { token: agentToken, body: { body }, headers });
      if (response.status === 201) accepted.push(response.body.message.id);
      return response;
    };
    const messageSeen = (socket: TestSocket, messageId: string) =>
      socket.waitForEvent((event) => event.type === 'message.created' && (event.payload.message as { id: string }).id === messageId, 30_000);

    const started = await client.request('POST', '/api/widget/conversations', {
      token: visitor.token,
      body: { body: 'My card was declined twice' },
      headers: { 'idempotency-key': 'restart-start' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    accepted.push(started.body.message.id);
    await agentSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId, 30_000);

    for (const [who, body] of [
      ['agent', 'Let me check.'],
      ['customer', 'Thanks'],
      ['agent', 'Which shop?'],
    ] as const) {
      const sent = await post(client, who, conversationId, body);
      expect(sent.status).toBe(201);
      await messageSeen(agentSocket, sent.body.message.id);
      await messageSeen(customerSocket, sent.body.message.id);
    }
    // Accepted just before the kill, with a key the customer retries after it (as if the answer was lost).
    const beforeKill = await post(client, 'customer', conversationId, 'The one on Main Street', 'restart-retry');
    expect(beforeKill.status).toBe(201);

    await api!.kill();
    const agentLast = lastEventIdOf(agentSocket)!;
    const customerLast = lastEventIdOf(customerSocket)!;
    const seenBefore = { agent: agentSocket.events(), customer: customerSocket.events() };

    // The dead process accepts nothing; the other API process goes on accepting.
    await expect(client.request('GET', '/api/health')).rejects.toThrow();
    for (const [who, body] of [
      ['agent', 'Found it: the terminal was offline.'],
      ['customer', 'So what now?'],
    ] as const) {
      expect((await post(system, who, conversationId, body)).status).toBe(201);
    }

    await startApi();
    const retried = await post(client, 'customer', conversationId, 'The one on Main Street', 'restart-retry');
    expect(retried.status).toBe(200); // the replay: stored before, nothing new
    expect(retried.body.message.id).toBe(beforeKill.body.message.id);

    const agentAgain = await client.socket(agentToken, agentLast);
    const customerAgain = await client.socket(visitor.token, customerLast);
    const after = await post(client, 'agent', conversationId, 'Please try again now.');
    expect(after.status).toBe(201);
    const lastAgentEvent = await messageSeen(agentAgain, after.body.message.id);
    const lastCustomerEvent = await messageSeen(customerAgain, after.body.message.id);

    // Exactly what each missed, in log order, none twice: the log after its last id, as it may see it.
    const agentUser = await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
    const viewers: Record<'agent' | 'customer', Viewer> = {
      agent: { kind: 'user', userId: agentUser.id, role: agentUser.role, teamId: agentUser.teamId },
      customer: { kind: 'customer', customerId: visitor.customerId },
    };
    const expectCaughtUp = async (who: 'agent' | 'customer', socket: TestSocket, last: string, upTo: EventView) => {
      const rows = await system.db.event.findMany({ where: { id: { gt: BigInt(last), lte: BigInt(upTo.id) } }, orderBy: { id: 'asc' } });
      const expected = rows.filter((row) => canSeeEvent(viewers[who], row)).map((row) => `${row.id} ${row.type}`);
      const received = socket
        .events()
        .filter((event) => BigInt(event.id) <= BigInt(upTo.id))
        .map((event) => `${event.id} ${event.type}`);
      expect(received).toEqual(expected);
      const all = [...seenBefore[who], ...socket.events()].map((event) => event.id);
      expect(new Set(all).size).toBe(all.length);
      return received.length;
    };
    expect(await expectCaughtUp('agent', agentAgain, agentLast, lastAgentEvent)).toBeGreaterThanOrEqual(3);
    expect(await expectCaughtUp('customer', customerAgain, customerLast, lastCustomerEvent)).toBeGreaterThanOrEqual(3);

    // Every accepted message is stored exactly once, in the order it was accepted.
    const stored = await system.db.message.findMany({ where: { conversationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    expect(stored.map((message) => message.id)).toEqual(accepted);
    expect(accepted).toHaveLength(8);
  });
});
