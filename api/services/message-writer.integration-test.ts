// Group commit: messages that arrive while another is being written share one transaction, each
// answered after its commit with its own outcome; a statement that fails in a batch fails alone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, poolOf, type Db } from '../../infra/db.js';
import { cloneTemplateDatabase } from '../../test/support/test-database.js';
import type { NewMessage } from './message-store.js';
import { createMessageWriter } from './message-writer.js';

let db: Db;
let channelId: string;

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 6 });
  channelId = (await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } })).id;
});
afterAll(() => db?.$disconnect());

async function openConversation(status: 'open' | 'closed' = 'open', waitingOn: 'agent' | 'customer' = 'agent', firstResponseAt: Date | null = null) {
  const customer = await db.customer.create({ data: { name: 'Writer probe' } });
  const id = randomUUID();
  await db.conversation.create({ data: { id, workflowId: `conversation-${id}`, customerId: customer.id, channelId, status, waitingOn, firstResponseAt } });
  return { id, customerId: customer.id };
}

const fromCustomer = (conversation: { id: string; customerId: string }, body: string, idempotencyKey: string | null = null): NewMessage => ({
  conversationId: conversation.id,
  ownerCustomerId: conversation.customerId,
  authorKind: 'customer',
  authorId: conversation.customerId,
  body,
  private: false,
  idempotencyKey,
});

/** The transaction that wrote each message (its row's xmin). */
async function writers(messageIds: string[]) {
  const rows = await db.$queryRawUnsafe<{ id: string; tx: string }[]>(
    `SELECT id::text, xmin::text AS tx FROM "Message" WHERE id = ANY($1::uuid[])`,
    messageIds,
  );
  return new Map(rows.map((row) => [row.id, row.tx]));
}

describe('the message writer', () => {
  it('writes the messages that queue behind a running one in one transaction, each in its conversation in arrival order', async () => {
    const writer = createMessageWriter(poolOf(db)!, { maxBatch: 32, maxConcurrent: 1 });
    const [a, b] = [await openConversation(), await openConversation()];
    const first = writer.store(fromCustomer(a, 'first'), null);
    // Queued while the first is written: the next transaction takes all of them.
    const queued = ['a1', 'b1', 'a2', 'b2', 'a3'].map((body) => writer.store(fromCustomer(body.startsWith('a') ? a : b, body), null));
    const results = await Promise.all([first, ...queued]);

    const stored = results.map((result) => (result.outcome === 'stored' ? result.message : null));
    expect(stored.map((message) => message?.body)).toEqual(['first', 'a1', 'b1', 'a2', 'b2', 'a3']);
    const tx = await writers(stored.map((message) => message!.id));
    expect(new Set(stored.slice(1).map((message) => tx.get(message!.id))).size).toBe(1);
    expect(tx.get(stored[0]!.id)).not.toBe(tx.get(stored[1]!.id));

    const order = await db.message.findMany({ where: { conversationId: a.id }, orderBy: { createdAt: 'asc' }, select: { body: true } });
    expect(order.map((message) => message.body)).toEqual(['first', 'a1', 'a2', 'a3']);
    const events = await db.event.findMany({ where: { conversationId: a.id, type: 'message.created' }, orderBy: { id: 'asc' } });
    expect(events.map((event) => (event.payload as { message: { body: string } }).message.body)).toEqual(['first', 'a1', 'a2', 'a3']);
  });

  it("leaves a conversation's next messages for after the transaction writing its earlier one, and stores the others meanwhile", async () => {
    const pool = poolOf(db)!;
    const writer = createMessageWriter(pool, { maxBatch: 32, maxConcurrent: 2 });
    const [a, b] = [await openConversation(), await openConversation()];
    // Conversation a's row is held elsewhere: a0's transaction waits for it.
    const holder = await pool.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM "Conversation" WHERE id = $1 FOR UPDATE', [a.id]);
    const aStores = ['a0', 'a1'].map((body) => writer.store(fromCustomer(a, body), null));
    const bStores = ['b1', 'b2'].map((body) => writer.store(fromCustomer(b, body), null));
    // a1 waits in the queue rather than taking the second transaction (to wait on the same row):
    // b's messages are stored while a's row is still held.
    const stillHeld = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("b's messages waited for a's row")), 10_000));
    const bResults = await Promise.race([Promise.all(bStores), stillHeld]);
    expect(bResults.map((result) => result.outcome)).toEqual(['stored', 'stored']);
    await holder.query('COMMIT');
    holder.release();
    const stored = (await Promise.all(aStores)).map((result) => (result.outcome === 'stored' ? result.message : null));
    const tx = await writers(stored.map((message) => message!.id));
    expect(tx.get(stored[0]!.id)).not.toBe(tx.get(stored[1]!.id));
    const order = await db.message.findMany({ where: { conversationId: a.id }, orderBy: { createdAt: 'asc' }, select: { body: true } });
    expect(order.map((message) => message.body)).toEqual(['a0', 'a1']);
  });

  it('answers each message of a batch with its own outcome: stored, a repeated key, a closed conversation', async () => {
    const writer = createMessageWriter(poolOf(db)!, { maxBatch: 32, maxConcurrent: 1 });
    const [open, closed] = [await openConversation(), await openConversation('closed')];
    const key = randomUUID();
    const first = writer.store(fromCustomer(open, 'warm-up'), null);
    const batch = [
      writer.store(fromCustomer(open, 'keyed', key), null),
      writer.store(fromCustomer(open, 'keyed again', key), null),
      writer.store(fromCustomer(closed, 'too late'), null),
      writer.store(fromCustomer({ id: randomUUID(), customerId: open.customerId }, 'nowhere'), null),
    ];
    await first;
    expect((await Promise.all(batch)).map((result) => result.outcome)).toEqual(['stored', 'duplicate', 'closed', 'not_found']);
    expect(await db.message.count({ where: { conversationId: open.id } })).toBe(2);
  });

  it('stores the others when one statement of a batch fails, and fails only that one', async () => {
    const writer = createMessageWriter(poolOf(db)!, { maxBatch: 32, maxConcurrent: 1 });
    const conversation = await openConversation();
    const first = writer.store(fromCustomer(conversation, 'warm-up'), null);
    // Not a uuid: PostgreSQL refuses the statement, which aborts the transaction it is in.
    const broken = writer.store({ ...fromCustomer(conversation, 'broken'), conversationId: 'not-a-uuid' }, null);
    const fine = [writer.store(fromCustomer(conversation, 'fine 1'), null), writer.store(fromCustomer(conversation, 'fine 2'), null)];
    await first;
    await expect(broken).rejects.toThrow();
    expect((await Promise.all(fine)).map((result) => result.outcome)).toEqual(['stored', 'stored']);
    const bodies = await db.message.findMany({ where: { conversationId: conversation.id }, orderBy: { createdAt: 'asc' }, select: { body: true } });
    expect(bodies.map((message) => message.body)).toEqual(['warm-up', 'fine 1', 'fine 2']);
  });

  it('reads what the statement answers as the Prisma path does: the outbox row id as a bigint, the first response as a Date', async () => {
    const writer = createMessageWriter(poolOf(db)!, { maxBatch: 32, maxConcurrent: 1 });
    const answeredAt = new Date('2026-03-01T10:00:00.123Z');
    const conversation = await openConversation('open', 'customer', answeredAt);
    const result = await writer.store(fromCustomer(conversation, 'the customer answers'), null);
    if (result.outcome !== 'stored') throw new Error(result.outcome);
    const row = await db.workflowOutbox.findFirstOrThrow({ where: { workflowId: `conversation-${conversation.id}` } });
    expect(result.outboxId).toBe(row.id);
    expect(result.before).toEqual({ status: 'open', waitingOn: 'customer', firstResponseAt: answeredAt });
  });
});
