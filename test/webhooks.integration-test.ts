// Outgoing webhooks end to end (issue 22 part 4): real PostgreSQL, Temporal, the API, a worker
// this file starts and stops itself, and a real HTTP receiver on 127.0.0.1 that dedupes by
// Seamless-Event-Id as docs/WEBHOOKS.md tells receivers to. Short back-off (100 ms doubling to
// 400 ms) instead of production's 30 s to 1 h; the waits are on the receiver and on the delivery
// log, never sleeps.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { WebhookDeliveryView, WebhookEndpointView } from '../contract/webhooks.js';
import type { Mailer, OutgoingEmail } from '../infra/email/mailer.js';
import { createPostgresSearch } from '../infra/search/postgres-search.js';
import { createAi } from '../infra/ai/create-ai.js';
import { webhookSecretBox } from '../infra/secrets/webhook-secrets.js';
import { eventIdHeader, signatureHeader, verifyWebhook } from '../infra/webhooks/signed-webhook.js';
import { createWorker } from '../worker/create-worker.js';
import { startCustomerConversation } from './support/fixtures.js';
import { freePort } from './support/free-port.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

interface Received {
  path: string;
  eventId: string;
  body: { id: string; type: string; logType: string; conversationId: string | null; data: Record<string, unknown> };
  status: number;
}

/**
 * A receiver as docs/WEBHOOKS.md describes one: checks the signature, answers, and keeps each
 * event id once (`accepted`: the first 2xx per id, in arrival order). `mode` decides its answer;
 * before `listen()` nothing listens on its port (connection refused).
 */
function createReceiver(port: number, secrets: Map<string, string>) {
  const all: Received[] = [];
  const accepted: Received[] = [];
  const seen = new Set<string>();
  let mode: 'fail' | 'ok' | 'hold' = 'fail';
  let held: ((request: http.IncomingMessage) => void) | null = null;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '';
      const secret = secrets.get(path) ?? '';
      const valid = verifyWebhook(request.headers[signatureHeader.toLowerCase()] as string, raw, secret);
      const eventId = String(request.headers[eventIdHeader.toLowerCase()] ?? '');
      if (mode === 'hold' && held) {
        const take = held;
        held = null;
        take(request);
        return; // never answered: the test drops the connection
      }
      const status = !valid.ok ? 400 : mode === 'ok' ? 200 : 500;
      const entry: Received = { path, eventId, body: JSON.parse(raw), status };
      all.push(entry);
      // Ids are per event: an event subscribed to by two endpoints comes to each with the same id.
      if (status === 200 && !seen.has(`${path} ${eventId}`)) {
        seen.add(`${path} ${eventId}`);
        accepted.push(entry);
      }
      response.writeHead(status).end();
    });
  });
  return {
    all,
    accepted,
    setMode(next: typeof mode) {
      mode = next;
    },
    /** The next request is held open; resolves with it. */
    holdNext(): Promise<http.IncomingMessage> {
      mode = 'hold';
      return new Promise((resolve) => (held = resolve));
    },
    listen: () => new Promise<void>((resolve) => (server.listening ? resolve() : server.listen(port, '127.0.0.1', () => resolve()))),
    close: () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}

const sentMail: OutgoingEmail[] = [];
const mailer: Mailer = {
  async send(email) {
    sentMail.push(email);
    return { sent: true, messageId: `<${randomUUID()}@test>` };
  },
};

let system: TestSystem;
let admin: string;
let port: number;
const secrets = new Map<string, string>();
let receiver: ReturnType<typeof createReceiver>;
let worker: { stop: () => Promise<void> } | null = null;
let serverSecret: string;

/** A worker of this file's own (stopped and started again below) with short webhook back-off. */
async function startWorker() {
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const { namespace, taskQueue, db, temporal } = system;
  const running: Worker = await createWorker({
    ...{ connection, namespace, taskQueue, db, temporal, ai: createAi(), search: createPostgresSearch(db), mailer },
    webhookSecrets: webhookSecretBox(serverSecret),
    // 127.0.0.2 is allowed to the API (it saves) but not to the worker: refused at delivery.
    outboundAllowedHosts: ['127.0.0.1'],
    webhooks: {
      retry: { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 400, giveUpAfterMs: 120_000, attemptTimeoutMs: 5_000 },
      disableAfterFailures: 2,
      requestTimeoutMs: 4_000,
    },
  });
  const run = running.run();
  return {
    async stop() {
      running.shutdown();
      await run;
      await connection.close();
    },
  };
}

beforeAll(async () => {
  serverSecret = randomUUID() + randomUUID();
  system = await startSystem({ inProcessWorker: false, secret: serverSecret, outboundAllowedHosts: ['127.0.0.1', '127.0.0.2'] });
  worker = await startWorker();
  admin = await system.login('admin@seamless.local');
  port = await freePort();
  receiver = createReceiver(port, secrets);
});

afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
  await system?.stop();
});

async function createEndpoint(path: string, body: Record<string, unknown>, host = '127.0.0.1') {
  const created = await system.request<{ webhook: WebhookEndpointView; secret: string }>('POST', '/api/webhooks', {
    token: admin,
    body: { url: `http://${host}:${port}${path}`, ...body },
  });
  expect(created.status).toBe(201);
  secrets.set(path, created.body.secret);
  return created.body.webhook;
}

const deliveriesOf = async (endpointId: string) =>
  (await system.request<{ deliveries: WebhookDeliveryView[] }>('GET', `/api/webhooks/${endpointId}/deliveries?limit=200`, { token: admin })).body.deliveries;

const customerWrites = (conversation: { visitor: { token: string }; conversationId: string }, body: string) =>
  system.request('POST', `/api/widget/conversations/${conversation.conversationId}/messages`, { token: conversation.visitor.token, body: { body } });

describe('outgoing webhooks', () => {
  let ordered: WebhookEndpointView;
  let unordered: WebhookEndpointView;
  let conversationId: string;

  it('refuses to save a private-network URL the operator did not allow (400 at url, nothing stored)', async () => {
    for (const url of ['http://10.0.0.7/hook', 'http://169.254.169.254/latest', 'https://localhost/hook']) {
      const refused = await system.request('POST', '/api/webhooks', { token: admin, body: { url, events: ['message.created'] } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([expect.objectContaining({ path: 'url' })]);
    }
    expect(await system.db.webhookEndpoint.count()).toBe(0);
  });

  it('never returns the secret after the answer that created it', async () => {
    ordered = await createEndpoint('/ordered', { events: ['message.created'], ordered: true, description: 'CRM sync' });
    unordered = await createEndpoint('/any', { events: ['conversation.created', 'message.created'] });
    expect(secrets.get('/ordered')).toMatch(/^whsec_/);
    const listed = await system.request('GET', '/api/webhooks', { token: admin });
    expect(JSON.stringify(listed.body)).not.toContain(secrets.get('/ordered'));
    expect(listed.body.webhooks.map((hook: WebhookEndpointView) => hook.events)).toEqual([['message.created'], ['conversation.created', 'message.created']]);
  });

  it('delivers every event once per event id, in order for an ordered endpoint, through a receiver down, then failing, then up', async () => {
    const conversation = await startCustomerConversation(system, { body: 'message 1' });
    conversationId = conversation.conversationId;
    for (const body of ['message 2', 'message 3', 'message 4']) expect((await customerWrites(conversation, body)).status).toBe(201);

    // Down: nothing listens; the first deliveries are tried and retried (connection refused).
    await waitUntil(async () => {
      const head = (await deliveriesOf(ordered.id)).at(-1);
      return head && head.attempts >= 2 && head.lastStatus === null && head.lastError ? head : null;
    });
    // Then it answers 500 for a while …
    await receiver.listen();
    const failedAt = (path: string) => receiver.all.filter((entry) => entry.path === path && entry.status === 500).length;
    await waitUntil(async () => (failedAt('/ordered') >= 2 && failedAt('/any') >= 2 ? true : null));
    // The log says so: a delivery still pending whose last answer was 500.
    await waitUntil(async () =>
      (await deliveriesOf(ordered.id)).some((delivery) => delivery.lastStatus === 500 && delivery.status === 'pending') ? true : null,
    );
    // … and then accepts.
    receiver.setMode('ok');
    const expected = await system.db.event.findMany({ where: { conversationId, type: 'message.created' }, orderBy: { id: 'asc' } });
    const created = await system.db.event.findFirstOrThrow({ where: { conversationId, type: 'conversation.created' } });
    await waitUntil(async () => {
      const pending = await system.db.webhookDelivery.count({ where: { status: { not: 'delivered' } } });
      return pending === 0 ? true : null;
    });

    const acceptedAt = (path: string) => receiver.accepted.filter((entry) => entry.path === path);
    // Ordered: each message of the conversation once, in the order they were written.
    expect(acceptedAt('/ordered').map((entry) => entry.eventId)).toEqual(expected.map((event) => `evt_${event.id}`));
    expect(acceptedAt('/ordered').map((entry) => entry.body.type)).toEqual(expected.map(() => 'message.created'));
    // Unordered: every event once (in any order), with the public type and the event's payload.
    expect(
      acceptedAt('/any')
        .map((entry) => entry.eventId)
        .sort(),
    ).toEqual([created, ...expected].map((event) => `evt_${event.id}`).sort());
    const first = acceptedAt('/any').find((entry) => entry.eventId === `evt_${created.id}`)!;
    expect(first.body).toMatchObject({ id: `evt_${created.id}`, type: 'conversation.created', conversationId, data: { conversation: { id: conversationId } } });
    // The log: attempts counted, the last answer 200, a latency.
    const log = await deliveriesOf(ordered.id);
    expect(log.every((delivery) => delivery.status === 'delivered' && delivery.lastStatus === 200 && delivery.lastLatencyMs !== null)).toBe(true);
    expect(Math.max(...log.map((delivery) => delivery.attempts))).toBeGreaterThanOrEqual(3);
    // The unordered endpoint's deliveries share its one lane (one workflow sends them all).
    expect(await system.db.webhookDelivery.findMany({ where: { endpointId: unordered.id }, distinct: ['lane'], select: { lane: true } })).toEqual([
      { lane: 'unordered' },
    ]);
  });

  it('pages the delivery log, newest first, with a cursor to the next page', async () => {
    const all = await deliveriesOf(unordered.id);
    expect(all.length).toBeGreaterThanOrEqual(5);
    const pages: WebhookDeliveryView[][] = [];
    let before: string | null = null;
    do {
      const query: string = before ? `?limit=2&before=${before}` : '?limit=2';
      const page = await system.request<{ deliveries: WebhookDeliveryView[]; next: string | null }>('GET', `/api/webhooks/${unordered.id}/deliveries${query}`, {
        token: admin,
      });
      expect(page.status).toBe(200);
      pages.push(page.body.deliveries);
      before = page.body.next;
    } while (before !== null);
    expect(pages.flat().map((delivery) => delivery.id)).toEqual(all.map((delivery) => delivery.id));
    expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
  });

  it('loses nothing when the worker stops mid-delivery: the new worker sends it and what was written meanwhile', async () => {
    const conversation = await startCustomerConversation(system, { body: 'before the stop' });
    const inFlight = receiver.holdNext();
    const request = await inFlight;
    const stopping = worker!.stop();
    // The worker goes away with the request unanswered (the connection drops).
    request.socket.destroy();
    await stopping;
    worker = null;
    // Written while no worker runs: the delivery waits.
    expect((await customerWrites(conversation, 'while the worker is away')).status).toBe(201);
    receiver.setMode('ok');
    worker = await startWorker();
    const events = await system.db.event.findMany({
      where: { conversationId: conversation.conversationId, type: { in: ['conversation.created', 'message.created'] } },
    });
    await waitUntil(async () => ((await system.db.webhookDelivery.count({ where: { status: { not: 'delivered' } } })) === 0 ? true : null));
    const ids = new Set(receiver.accepted.map((entry) => entry.eventId));
    for (const event of events) expect(ids.has(`evt_${event.id}`)).toBe(true);
  });

  it('sends a signed test event, and redelivers a delivery with the same event id', async () => {
    const test = await system.request<{ delivery: WebhookDeliveryView }>('POST', `/api/webhooks/${unordered.id}/test`, { token: admin });
    expect(test.status).toBe(202);
    const ping = await waitUntil(async () => receiver.accepted.find((entry) => entry.eventId === test.body.delivery.eventId) ?? null);
    expect(ping.body).toMatchObject({ type: 'ping', data: { endpointId: unordered.id } });

    const [latest] = await deliveriesOf(ordered.id);
    const before = receiver.all.filter((entry) => entry.eventId === latest!.eventId).length;
    const again = await system.request<{ delivery: WebhookDeliveryView }>('POST', `/api/webhooks/${ordered.id}/deliveries/${latest!.id}/redeliver`, {
      token: admin,
    });
    expect(again.status).toBe(202);
    expect(again.body.delivery).toMatchObject({ eventId: latest!.eventId, redeliveryOf: latest!.id, status: 'pending' });
    await waitUntil(async () => (receiver.all.filter((entry) => entry.eventId === latest!.eventId).length > before ? true : null));
    const log = await deliveriesOf(ordered.id);
    expect(log.find((delivery) => delivery.id === again.body.delivery.id)).toMatchObject({ status: 'delivered', lastStatus: 200 });
  });

  it('refuses a URL the worker may not call at delivery, and turns the endpoint off after failures in a row, telling the admins', async () => {
    const blocked = await createEndpoint('/blocked', { events: ['message.created'] }, '127.0.0.2');
    const conversation = await startCustomerConversation(system, { body: 'one' });
    expect((await customerWrites(conversation, 'two')).status).toBe(201);
    const disabled = await waitUntil(async () => {
      const view = (await system.request<{ webhook: WebhookEndpointView }>('GET', `/api/webhooks/${blocked.id}`, { token: admin })).body.webhook;
      return view.enabled ? null : view;
    });
    expect(disabled).toMatchObject({ enabled: false, failuresInARow: 2, disabledReason: '2 deliveries in a row failed after every retry' });
    const log = await deliveriesOf(blocked.id);
    expect(log.length).toBeGreaterThanOrEqual(2);
    expect(log.slice(-2).every((delivery) => delivery.status === 'failed' && /refused by the outbound guard/.test(delivery.lastError ?? ''))).toBe(true);
    expect(receiver.all.some((entry) => entry.path === '/blocked')).toBe(false);
    const audit = await system.db.event.findFirstOrThrow({ where: { type: 'webhook.disabled' } });
    expect(audit.payload).toMatchObject({ reason: disabled.disabledReason, after: { id: blocked.id, enabled: false } });
    const mail = await waitUntil(async () => sentMail.find((email) => email.subject.includes(`127.0.0.2:${port}/blocked`)) ?? null);
    expect(mail.to).toContain('admin@seamless.local');

    // Off: no new deliveries, and a redelivery is refused until it is on again.
    const deliveriesWhileOff = (await deliveriesOf(blocked.id)).length;
    expect((await customerWrites(conversation, 'three')).status).toBe(201);
    expect((await deliveriesOf(blocked.id)).length).toBe(deliveriesWhileOff);
    const refused = await system.request('POST', `/api/webhooks/${blocked.id}/test`, { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('webhook_disabled');

    // On again at a URL it may call: the count starts over and events flow.
    secrets.set('/fixed', secrets.get('/blocked')!);
    const on = await system.request('PATCH', `/api/webhooks/${blocked.id}`, { token: admin, body: { enabled: true, url: `http://127.0.0.1:${port}/fixed` } });
    expect(on.status).toBe(200);
    expect(on.body.webhook).toMatchObject({ enabled: true, failuresInARow: 0, disabledReason: null });
    expect(on.body.secret).toBeUndefined();
    await receiver.listen();
    receiver.setMode('ok');
    expect((await customerWrites(conversation, 'four')).status).toBe(201);
    await waitUntil(async () => (receiver.accepted.some((entry) => entry.path === '/fixed') ? true : null)).catch(async (error) => {
      console.log(
        JSON.stringify(await deliveriesOf(blocked.id), null, 1),
        receiver.all.filter((entry) => entry.path === '/fixed'),
      );
      throw error;
    });
  });

  it('resumes the deliveries an endpoint turned off left waiting once it is on again, with a rotated secret', async () => {
    const paused = await createEndpoint('/paused', { events: ['message.created'], ordered: true });
    receiver.setMode('fail');
    const conversation = await startCustomerConversation(system, { body: 'queued' });
    await waitUntil(async () => ((await deliveriesOf(paused.id)).some((delivery) => delivery.lastStatus === 500) ? true : null));
    const off = await system.request('PATCH', `/api/webhooks/${paused.id}`, { token: admin, body: { enabled: false } });
    expect(off.status).toBe(200);
    // The lane ends at its next try; the delivery stays pending.
    await waitUntil(async () => {
      const description = await system.temporal.workflow.getHandle(`webhook-${paused.id}-conversation-${conversation.conversationId}`).describe();
      return description.status.name === 'COMPLETED' ? true : null;
    });
    expect((await deliveriesOf(paused.id)).map((delivery) => delivery.status)).toContain('pending');
    receiver.setMode('ok');
    const rotated = await system.request('PATCH', `/api/webhooks/${paused.id}`, { token: admin, body: { enabled: true, rotateSecret: true } });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secrets.get('/paused'));
    secrets.set('/paused', rotated.body.secret);
    await waitUntil(async () => ((await deliveriesOf(paused.id)).every((delivery) => delivery.status === 'delivered') ? true : null));
    expect(receiver.accepted.filter((entry) => entry.path === '/paused')[0]?.body.data.message).toMatchObject({ body: 'queued' });
  });
});
