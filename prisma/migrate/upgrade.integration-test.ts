// Upgrading a running installation: a database made by an earlier release's migrations, with
// conversations, messages and customers in it, then the current migrations applied (what
// `npm start` or the compose `migrate` job does on upgrade). Every row is still there and readable
// through the current Prisma client.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../infra/db.js';
import { createEmptyDatabase } from '../../test/support/empty-database.js';
import { applyMigrations, readMigrations } from './migrations.js';

/** The newest migration of the earlier release this test upgrades from. */
const previousRelease = '20261206233158_attachments';

let db: Db | undefined;
afterAll(() => db?.$disconnect());

describe('upgrading a database of an earlier release', () => {
  it('keeps every conversation, message and customer, readable through the current client', async () => {
    const databaseUrl = await createEmptyDatabase(inject('postgresAdminUrl'));
    const all = (await readMigrations()).map((migration) => migration.name);
    const older = all.filter((name) => name <= previousRelease);
    const newer = all.filter((name) => name > previousRelease);
    expect(newer.length).toBeGreaterThan(0);
    expect(await applyMigrations(databaseUrl, { upTo: previousRelease })).toEqual(older);

    // Rows written as that release wrote them: plain SQL against its schema.
    const channelId = randomUUID();
    const customers = [0, 1, 2].map((i) => ({ id: randomUUID(), name: `Customer ${i}`, email: `customer${i}@example.com` }));
    const conversations = customers.flatMap((customer, i) =>
      [0, 1].map((j) => ({ id: randomUUID(), customerId: customer.id, subject: `Question ${i}.${j}`, bodies: [`Hello ${i}.${j}`, `Answer ${i}.${j}`] })),
    );
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`INSERT INTO "Channel" (id, kind, name) VALUES ($1, 'web_chat', 'Website')`, [channelId]);
      for (const customer of customers)
        await client.query(`INSERT INTO "Customer" (id, name, email, "updatedAt") VALUES ($1, $2, $3, now())`, [customer.id, customer.name, customer.email]);
      for (const conversation of conversations) {
        await client.query(
          `INSERT INTO "Conversation" (id, "workflowId", "customerId", "channelId", subject, "updatedAt") VALUES ($1, $2, $3, $4, $5, now())`,
          [conversation.id, `conversation-${conversation.id}`, conversation.customerId, channelId, conversation.subject],
        );
        const [question, answer] = conversation.bodies;
        await client.query(
          `INSERT INTO "Message" (id, "conversationId", "authorKind", "customerId", body) VALUES (gen_random_uuid(), $1, 'customer', $2, $3)`,
          [conversation.id, conversation.customerId, question],
        );
        await client.query(`INSERT INTO "Message" (id, "conversationId", "authorKind", body) VALUES (gen_random_uuid(), $1, 'agent', $2)`, [
          conversation.id,
          answer,
        ]);
      }
    } finally {
      await client.end();
    }

    expect(await applyMigrations(databaseUrl)).toEqual(newer);

    db = createDb(databaseUrl, { poolSize: 2 });
    const found = await db.conversation.findMany({ include: { customer: true, messages: { orderBy: { authorKind: 'asc' } } }, orderBy: { subject: 'asc' } });
    expect(
      found.map((conversation) => ({
        id: conversation.id,
        customerId: conversation.customerId,
        subject: conversation.subject,
        bodies: conversation.messages.map((message) => message.body),
      })),
    ).toEqual(conversations.map(({ id, customerId, subject, bodies }) => ({ id, customerId, subject, bodies })));
    const customersNow = await db.customer.findMany({ orderBy: { name: 'asc' } });
    expect(customersNow.map(({ id, name, email }) => ({ id, name, email }))).toEqual(customers);
    // Numbers keep counting from where the earlier release left off.
    const next = await db.conversation.create({ data: { workflowId: `conversation-${randomUUID()}`, customerId: customers[0]!.id, channelId } });
    expect(next.number).toBe(Math.max(...found.map((conversation) => conversation.number)) + 1);
  });
});
