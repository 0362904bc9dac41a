// What anyone with the widget could do to the system (issue 14, items 12 and 18): visitor tokens
// without an expiry or naming no customer (401, never 500), silent visitors deleted after the
// retention period, and ratings and bot verdicts given once — a repeat writes no event and tells
// no workflow, a change of rating is allowed a few times.
import { randomBytes, randomUUID } from 'node:crypto';
import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import { signVisitorToken } from '../infra/auth/visitor-tokens.js';
import { deleteSilentVisitors, visitorSweepLock } from '../api/services/visitor-retention.js';
import { maxCsatChanges } from '../api/services/csat-service.js';
import { csatReceivedSignal } from '../workflows/conversation.messages.js';
import { upgradeStatus } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

const secret = randomBytes(48).toString('base64url');
const day = 24 * 60 * 60_000;
let system: TestSystem;
let admin: string;

beforeAll(async () => {
  system = await startSystem({ secret, security: { rateLimits: { widgetFeedback: { limit: 1000, windowMs: 60_000 } } } });
  admin = await system.login('admin@seamless.local');
});
afterAll(() => system?.stop());

/** What a visitor token's holder meets on the widget's routes and the socket. */
async function statusesWith(token: string) {
  const conversationId = randomUUID();
  return [
    (await system.request('GET', '/api/widget/conversations', { token })).status,
    (await system.request('POST', '/api/widget/conversations', { token, body: { body: 'Hello?' } })).status,
    (await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token, body: { body: 'Hello?' } })).status,
    (await system.request('POST', `/api/widget/conversations/${conversationId}/csat`, { token, body: { score: 5 } })).status,
    await upgradeStatus(system.url, `?token=${token}`),
  ];
}

describe('visitor tokens', () => {
  it('refuses a correctly signed token that never expires', async () => {
    const { customerId } = await system.visitor('No expiry');
    const forever = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(customerId)
      .setIssuer('seamless')
      .setAudience('visitor')
      .setIssuedAt()
      .sign(createSecretKey(Buffer.from(secret, 'utf8')));
    expect(await statusesWith(forever)).toEqual([401, 401, 401, 401, 401]);
  });

  it('answers a token for a customer that does not exist with 401, not 500', async () => {
    expect(await statusesWith(await signVisitorToken(secret, randomUUID()))).toEqual([401, 401, 401, 401, 401]);
  });
});

describe('silent visitors', () => {
  /** As if created, and last seen, `days` ago. */
  const ageCustomer = (id: string, days: number) => {
    const then = new Date(Date.now() - days * day);
    return system.db.customer.update({ where: { id }, data: { createdAt: then, lastSeenAt: then } });
  };

  it('deletes visitors unseen for the retention period that never wrote anything, and only those', async () => {
    const silent = await system.visitor('Silent');
    const returning = await system.visitor('Returning, never writes');
    const writer = await system.visitor('Writer');
    const recent = await system.visitor('Recent');
    expect((await system.request('POST', '/api/widget/conversations', { token: writer.token, body: { body: 'Hi' } })).status).toBe(201);
    const known = await system.db.customer.create({ data: { name: 'Known by email', email: `known-${randomUUID()}@example.com` } });
    const identified = await system.db.customer.create({ data: { name: 'Identified by the host site', externalId: `user-${randomUUID()}` } });
    for (const id of [silent.customerId, returning.customerId, writer.customerId, known.id, identified.id]) await ageCustomer(id, 40);
    await ageCustomer(recent.customerId, 10);
    // The returning visitor opens the widget today: seen, so kept.
    expect((await system.request('GET', '/api/widget/conversations', { token: returning.token })).status).toBe(200);

    const sweep = await deleteSilentVisitors(system.db, { retentionDays: 30 });
    expect(sweep.ran).toBe(true);
    const left = await system.db.customer.findMany({
      where: { id: { in: [silent.customerId, returning.customerId, writer.customerId, recent.customerId, known.id, identified.id] } },
      select: { id: true },
    });
    expect(left.map((row) => row.id).sort()).toEqual([returning.customerId, writer.customerId, recent.customerId, known.id, identified.id].sort());
    expect(sweep.deleted).toBeGreaterThanOrEqual(1);

    // The deleted visitor's token names nobody now: 401 everywhere, as for a new visitor's lost token.
    expect(await statusesWith(silent.token)).toEqual([401, 401, 401, 401, 401]);
  });

  it('sweeps in one API process at a time: a run finding the lock taken skips', async () => {
    await ageCustomer((await system.visitor('Waits for the next run')).customerId, 40);
    const skipped = await system.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${visitorSweepLock})`;
      return deleteSilentVisitors(system.db, { retentionDays: 30 });
    });
    expect(skipped).toEqual({ ran: false, deleted: 0 });
    expect((await deleteSilentVisitors(system.db, { retentionDays: 30 })).deleted).toBe(1);
  });
});

describe('ratings', () => {
  const signalsOf = async (conversationId: string, name: string) => {
    const history = await system.temporal.workflow.getHandle(conversationWorkflowId(conversationId)).fetchHistory();
    return (history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === name).length;
  };

  it('keeps one rating per conversation: the same rating again writes nothing and tells no workflow; a change is allowed a few times', async () => {
    const visitor = await system.visitor('Rater');
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Where is my card?' } });
    const conversationId = started.body.conversation.id as string;
    expect((await system.request('POST', `/api/conversations/${conversationId}/resolve`, { token: admin, body: {} })).status).toBe(200);
    const rate = (score: number, comment?: string) =>
      system.request('POST', `/api/widget/conversations/${conversationId}/csat`, { token: visitor.token, body: { score, comment } });
    const events = () => system.db.event.count({ where: { conversationId, type: 'csat.received' } });

    const first = await rate(5, 'Quick, thanks');
    expect(first.status).toBe(201);
    const repeats = await Promise.all(Array.from({ length: 20 }, () => rate(5, 'Quick, thanks')));
    for (const repeat of repeats) {
      expect(repeat.status).toBe(200);
      expect(repeat.body.csat).toMatchObject({ score: 5, comment: 'Quick, thanks', unchanged: true, replaced: false, eventId: first.body.csat.eventId });
    }
    expect(await events()).toBe(1);
    expect(await signalsOf(conversationId, csatReceivedSignal.name)).toBe(1);

    for (let change = 1; change <= maxCsatChanges; change++) {
      const changed = await rate(5 - change);
      expect(changed.status).toBe(200);
      expect(changed.body.csat).toMatchObject({ score: 5 - change, comment: null, replaced: true, unchanged: false });
    }
    const tooMany = await rate(1);
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.code).toBe('csat_change_limit');
    expect((await rate(5 - maxCsatChanges)).body.csat.unchanged).toBe(true);
    expect(await events()).toBe(1 + maxCsatChanges);
    expect(await signalsOf(conversationId, csatReceivedSignal.name)).toBe(1 + maxCsatChanges);
  });

  it("takes one verdict on the bot's answer: the same again is answered without another event, another is refused", async () => {
    expect((await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { enabled: true, threshold: null } })).status).toBe(200);
    const visitor = await system.visitor('Bot asker');
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Why is my transfer still pending?' } });
    const conversationId = started.body.conversation.id as string;
    await waitUntil(async () => (await system.db.event.findFirst({ where: { conversationId, type: 'bot.answered' } })) ?? null);
    const feedback = (outcome: string) =>
      system.request('POST', `/api/widget/conversations/${conversationId}/bot-feedback`, { token: visitor.token, body: { outcome } });

    const verdicts = await Promise.all(Array.from({ length: 10 }, () => feedback('helpful')));
    for (const verdict of verdicts) {
      expect(verdict.status).toBe(200);
      expect(verdict.body.conversation.status).toBe('resolved');
    }
    expect(await system.db.event.count({ where: { conversationId, type: 'bot.helpful' } })).toBe(1);
    const other = await feedback('wants_human');
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('feedback_given');
    expect((await feedback('helpful')).status).toBe(200);
    expect(await system.db.event.count({ where: { conversationId, type: 'bot.helpful' } })).toBe(1);
  });
});
