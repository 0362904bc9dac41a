// POST /api/widget/visitors with an Idempotency-Key (issue 15, item 12): the widget retries after
// a lost response, and the retry must find the customer the first request created, not make a
// second one. The key is the client's own: the same key from another address is a new visitor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;

beforeAll(async () => {
  // Behind a proxy that names the client (X-Forwarded-For), so the test can speak from two addresses.
  system = await startSystem({ security: { trustProxy: 1 } });
});
afterAll(() => system?.stop());

const createVisitor = (key: string | null, address = '203.0.113.7', name = 'Retrying visitor') =>
  system.request('POST', '/api/widget/visitors', {
    body: { name },
    headers: { 'x-forwarded-for': address, ...(key ? { 'idempotency-key': key } : {}) },
  });

describe('creating a widget visitor with an Idempotency-Key', () => {
  it('answers a retry with the same customer (200) and a working token, and stores one customer', async () => {
    const before = await system.db.customer.count();
    const first = await createVisitor('visitor-3f6c1a90-retry');
    expect(first.status).toBe(201);
    const retried = await createVisitor('visitor-3f6c1a90-retry');
    expect(retried.status).toBe(200);
    expect(retried.body.customer).toEqual(first.body.customer);
    expect(await system.db.customer.count()).toBe(before + 1);

    // The replay's token is the customer's: it opens a conversation as them.
    const started = await system.request('POST', '/api/widget/conversations', { token: retried.body.token, body: { body: 'Hello after a retry' } });
    expect(started.status).toBe(201);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: started.body.conversation.id } })).customerId).toBe(first.body.customer.id);
  });

  it('creates a customer of its own for the same key from another client, and for requests without a key', async () => {
    const here = await createVisitor('visitor-shared-key', '203.0.113.20');
    const elsewhere = await createVisitor('visitor-shared-key', '198.51.100.4');
    expect([here.status, elsewhere.status]).toEqual([201, 201]);
    expect(elsewhere.body.customer.id).not.toBe(here.body.customer.id);

    const plain = [await createVisitor(null), await createVisitor(null)];
    expect(plain.map((response) => response.status)).toEqual([201, 201]);
    expect(plain[0]!.body.customer.id).not.toBe(plain[1]!.body.customer.id);
  });

  it('stores one customer when retries race', async () => {
    const before = await system.db.customer.count();
    const raced = await Promise.all(Array.from({ length: 6 }, () => createVisitor('visitor-racing-key', '203.0.113.99')));
    expect(new Set(raced.map((response) => response.body.customer.id)).size).toBe(1);
    expect(raced.filter((response) => response.status === 201)).toHaveLength(1);
    expect(await system.db.customer.count()).toBe(before + 1);
  });

  it('refuses a key over a day old (409), and a malformed key (400)', async () => {
    const first = await createVisitor('visitor-old-key', '203.0.113.50');
    await system.db.customer.update({ where: { id: first.body.customer.id }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    const late = await createVisitor('visitor-old-key', '203.0.113.50');
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('idempotency_key_expired');
    const malformed = await createVisitor('not a key!', '203.0.113.50');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_idempotency_key');
  });
});
