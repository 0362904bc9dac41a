// The unordered lane's batch activity against real PostgreSQL and a real HTTP receiver, with the
// clock in the test's hands (no sleeps): several sends in flight, each delivery's back-off kept in
// its row, the give-up after the window, and the rule that turns off an endpoint whose every try
// failed for a day (docs/WEBHOOKS.md, "Auto-disable"). The workflow around it is tested end to end
// in test/webhooks.integration-test.ts.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../infra/db.js';
import type { Mailer, OutgoingEmail } from '../infra/email/mailer.js';
import { webhookSecretBox } from '../infra/secrets/webhook-secrets.js';
import { sealEndpointSecret } from '../infra/webhooks/webhook-endpoints.js';
import { freePort } from '../test/support/free-port.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { webhookUnorderedLane, type WebhookBatchOutcome } from '../workflows/webhook-lane.messages.js';
import { createWebhookActivities, type WebhookDeliveryOptions } from './webhook-activities.js';

const box = webhookSecretBox(randomUUID() + randomUUID());
const minute = 60_000;
const hour = 60 * minute;
let db: Db;
let port: number;
let server: http.Server;
/** The receiver's answer; `holdUntil`: the first requests are answered only once that many are open at once. */
const receiver = { status: 500, open: 0, maxOpen: 0, requests: 0, holdUntil: 0, held: [] as (() => void)[] };
const sentMail: OutgoingEmail[] = [];
const mailer: Mailer = {
  async send(email) {
    sentMail.push(email);
    return { sent: true, messageId: `<${randomUUID()}@test>` };
  },
};

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 4 });
  port = await freePort();
  server = http.createServer((request, response) => {
    receiver.requests += 1;
    receiver.open += 1;
    receiver.maxOpen = Math.max(receiver.maxOpen, receiver.open);
    const answer = () => {
      receiver.open -= 1;
      response.writeHead(receiver.status).end();
    };
    request.resume();
    request.on('end', () => {
      if (receiver.holdUntil === 0) return answer();
      receiver.held.push(answer);
      if (receiver.held.length < receiver.holdUntil) return;
      receiver.holdUntil = 0;
      receiver.held.splice(0).forEach((release) => release());
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await db?.$disconnect();
});

/** The activities with a clock the test moves. */
function activitiesAt(start: Date, options: WebhookDeliveryOptions) {
  const clock = { now: start };
  const activities = createWebhookActivities({
    db,
    mailer,
    webhookSecrets: box,
    outboundAllowedHosts: ['127.0.0.1'],
    webhooks: { requestTimeoutMs: 4_000, ...options, now: () => clock.now },
  });
  return {
    clock,
    advance: (ms: number) => (clock.now = new Date(clock.now.getTime() + ms)),
    batch: (endpointId: string): Promise<WebhookBatchOutcome> =>
      new MockActivityEnvironment().run(activities.sendDueWebhookDeliveries, { endpointId, lane: webhookUnorderedLane }),
  };
}

/** An enabled unordered endpoint with `count` test events waiting on its lane. */
async function endpointWith(count: number) {
  const id = randomUUID();
  await db.webhookEndpoint.create({
    data: {
      id,
      url: `http://127.0.0.1:${port}/${id}`,
      events: ['message.created'],
      logTypes: ['message.created'],
      sealedSecret: sealEndpointSecret(box, id, 'whsec_test'),
    },
  });
  for (let i = 0; i < count; i += 1) {
    await db.webhookDelivery.create({ data: { endpointId: id, eventKey: `ping_${randomUUID()}`, type: 'ping', lane: webhookUnorderedLane, payload: { i } } });
  }
  return id;
}

const rowsOf = (endpointId: string) => db.webhookDelivery.findMany({ where: { endpointId }, orderBy: { seq: 'asc' } });

describe('the unordered lane batch', () => {
  it('sends the due deliveries several at once, keeps each back-off in its row, and gives one up after the window', async () => {
    const lane = activitiesAt(new Date('2026-12-07T10:00:00Z'), {
      retry: { initialIntervalMs: minute, backoffCoefficient: 2, maximumIntervalMs: 4 * minute, giveUpAfterMs: 10 * minute },
      concurrency: 3,
      batchSize: 4,
      disableAfterFailures: 0,
      disableAfterFailingMs: 0,
    });
    const endpointId = await endpointWith(5);
    receiver.status = 500;
    receiver.maxOpen = 0;
    // The first three are answered only once all three are open: the batch must send them at once.
    receiver.holdUntil = 3;
    expect(await lane.batch(endpointId)).toEqual({ kind: 'sent', sent: 4, more: true, retryInMs: minute });
    expect(receiver.maxOpen).toBe(3);
    expect(await lane.batch(endpointId)).toEqual({ kind: 'sent', sent: 1, more: false, retryInMs: minute });
    const failed = await rowsOf(endpointId);
    expect(failed.map((row) => [row.status, row.attempts, row.lastStatus, row.nextRetryAt?.toISOString()])).toEqual(
      Array.from({ length: 5 }, () => ['pending', 1, 500, '2026-12-07T10:01:00.000Z']),
    );
    // Not due yet: nothing is sent.
    const before = receiver.requests;
    expect(await lane.batch(endpointId)).toEqual({ kind: 'sent', sent: 0, more: false, retryInMs: minute });
    expect(receiver.requests).toBe(before);

    // Due: tried again; the back-off doubles (2 minutes) from the second try.
    lane.advance(minute);
    await lane.batch(endpointId);
    await lane.batch(endpointId);
    expect((await rowsOf(endpointId)).map((row) => [row.attempts, row.nextRetryAt?.toISOString()])).toEqual(
      Array.from({ length: 5 }, () => [2, '2026-12-07T10:03:00.000Z']),
    );
    // Past the give-up window (10 minutes from the first try): the next failure fails them for good.
    lane.advance(11 * minute);
    await lane.batch(endpointId);
    expect(await lane.batch(endpointId)).toEqual({ kind: 'sent', sent: 1, more: false, retryInMs: null });
    const given = await rowsOf(endpointId);
    expect(given.every((row) => row.status === 'failed' && row.attempts === 3 && row.nextRetryAt === null && row.finishedAt !== null)).toBe(true);
    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).toMatchObject({ enabled: true, failuresInARow: 5 });
  });

  it('turns off an endpoint whose every try failed for the whole window (24 hours by default), telling the admins; a success starts the window over', async () => {
    const lane = activitiesAt(new Date('2026-12-07T10:00:00Z'), {
      retry: { initialIntervalMs: hour, backoffCoefficient: 1, maximumIntervalMs: hour, giveUpAfterMs: 3 * 24 * hour },
      disableAfterFailures: 0,
    });
    const endpointId = await endpointWith(2);
    const endpoint = () => db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    receiver.status = 500;
    await lane.batch(endpointId);
    expect((await endpoint()).failingSince?.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    // 23 hours of failures: still on.
    for (let i = 0; i < 23; i += 1) {
      lane.advance(hour);
      expect((await lane.batch(endpointId)).kind).toBe('sent');
    }
    expect(await endpoint()).toMatchObject({ enabled: true });
    // One success (a new event; the old ones wait their turn) starts the window over …
    await db.webhookDelivery.updateMany({ where: { endpointId, status: 'pending' }, data: { nextRetryAt: new Date('2027-01-01T00:00:00Z') } });
    const fresh = await db.webhookDelivery.create({ data: { endpointId, eventKey: `ping_${randomUUID()}`, type: 'ping', lane: webhookUnorderedLane } });
    receiver.status = 200;
    lane.advance(hour); // 2026-12-08T10:00
    await lane.batch(endpointId);
    expect(await endpoint()).toMatchObject({ enabled: true, failingSince: null });
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: fresh.id } })).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
      nextRetryAt: null,
      firstAttemptAt: new Date('2026-12-08T10:00:00Z'),
      finishedAt: new Date('2026-12-08T10:00:00Z'),
    });

    // … so the failures after it count from their own start, and 24 hours of them turn it off.
    await db.webhookDelivery.updateMany({ where: { endpointId, status: 'pending' }, data: { nextRetryAt: null } });
    receiver.status = 503;
    // Admins who read the console in Chinese: in Simplified, and in Traditional (converted).
    for (const locale of ['zh-CN', 'zh-TW']) {
      await db.user.create({
        data: { email: `admin-${locale}-${randomUUID().slice(0, 8)}@example.com`.toLowerCase(), name: locale, passwordHash: 'x', role: 'admin', locale },
      });
    }
    const mailBefore = sentMail.length;
    const failingFrom = new Date(lane.advance(minute));
    expect((await lane.batch(endpointId)).kind).toBe('sent');
    expect((await endpoint()).failingSince?.toISOString()).toBe(failingFrom.toISOString());
    lane.advance(24 * hour);
    expect(await lane.batch(endpointId)).toEqual({ kind: 'disabled' });
    expect(await endpoint()).toMatchObject({ enabled: false, disabledReason: 'every try failed for 24 hours' });
    // The deliveries wait for it to be on again; the audit event and the admins' email say why.
    expect((await rowsOf(endpointId)).filter((row) => row.status === 'pending')).toHaveLength(2);
    const audit = await db.event.findFirstOrThrow({ where: { type: 'webhook.disabled' }, orderBy: { id: 'desc' } });
    expect(audit.payload).toMatchObject({ reason: 'every try failed for 24 hours', before: { id: endpointId, enabled: true }, after: { enabled: false } });
    const mail = sentMail.slice(mailBefore);
    expect(mail.map((email) => email.subject)).toContain(`Webhook turned off: http://127.0.0.1:${port}/${endpointId}`);
    expect(mail.flatMap((email) => email.to)).toContain('admin@seamless.local');
    const to = (prefix: string) => mail.filter((email) => email.to.some((address) => address.startsWith(prefix)));
    expect(to('admin-zh-cn-').map((email) => email.subject)).toEqual([`Webhook 已停用：http://127.0.0.1:${port}/${endpointId}`]);
    expect(to('admin-zh-cn-')[0]!.text).toContain('管理员重新启用前不会再为它排队新事件');
    expect(to('admin-zh-tw-').map((email) => email.subject)).toEqual([`Webhook 已停用：http://127.0.0.1:${port}/${endpointId}`]);
    expect(to('admin-zh-tw-')[0]!.text).toContain('管理員重新啟用前不會再為它排隊新事件');
    expect(to('admin@seamless.local').map((email) => email.subject)).toEqual([`Webhook turned off: http://127.0.0.1:${port}/${endpointId}`]);
    // Off: the next batch sends nothing.
    const requests = receiver.requests;
    expect(await lane.batch(endpointId)).toEqual({ kind: 'disabled' });
    expect(receiver.requests).toBe(requests);
  });
});
