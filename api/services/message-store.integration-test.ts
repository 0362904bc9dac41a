// The message statement writes the workflow's outbox row itself, deciding in SQL what
// domain/conversation-flow.ts decides in TypeScript (whether the message wakes the workflow).
// Both must agree in every state a conversation can be in; and a conversation's rows must be
// numbered in the order its messages were stored, even when they race.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { messageWakesWorkflow } from '../../domain/conversation-flow.js';
import type { ConversationStatus, WaitingOn } from '../../domain/vocabulary.js';
import { conversationWorkflowId, ticketWorkflowId } from '../../domain/workflow-ids.js';
import { createDb, poolOf, type Db } from '../../infra/db.js';
import { cloneTemplateDatabase } from '../../test/support/test-database.js';
import { canStoreTogether, storeMessage, storeMessagesOn, type NewMessage, type StoreResult } from './message-store.js';

let db: Db;
let channelId: string;
let agentId: string;

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 8 });
  channelId = (await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } })).id;
  agentId = (await db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
});
afterAll(() => db?.$disconnect());

async function conversationIn(status: ConversationStatus, waitingOn: WaitingOn | null, firstResponseAt: Date | null, channel = channelId) {
  const customer = await db.customer.create({ data: { name: 'Outbox probe' } });
  const id = randomUUID();
  await db.conversation.create({
    data: { id, workflowId: `conversation-${id}`, customerId: customer.id, channelId: channel, status, waitingOn, firstResponseAt, assigneeId: agentId },
  });
  return { id, customerId: customer.id };
}

const statuses: ConversationStatus[] = ['bot', 'queued', 'open', 'snoozed', 'resolved'];
const waits: (WaitingOn | null)[] = ['agent', 'customer', null];
const cases = statuses.flatMap((status) =>
  waits.flatMap((waitingOn) =>
    [null, new Date('2026-01-01T00:00:00Z')].flatMap((firstResponseAt) =>
      (['customer', 'agent'] as const).flatMap((authorKind) =>
        [false, true].map((isPrivate) => ({ status, waitingOn, firstResponseAt, authorKind, isPrivate })),
      ),
    ),
  ),
);

describe('the message statement and the workflow outbox', () => {
  it(`writes the outbox row exactly when messageWakesWorkflow says the message wakes the workflow (${cases.length} cases)`, async () => {
    const disagreements: string[] = [];
    let woke = 0;
    for (const { status, waitingOn, firstResponseAt, authorKind, isPrivate } of cases) {
      const conversation = await conversationIn(status, waitingOn, firstResponseAt);
      const stored = await storeMessage(db, {
        conversationId: conversation.id,
        authorKind,
        authorId: authorKind === 'agent' ? agentId : conversation.customerId,
        body: 'probe',
        private: isPrivate,
        idempotencyKey: null,
      });
      if (stored.outcome !== 'stored') throw new Error(`not stored: ${stored.outcome}`);
      const expected = messageWakesWorkflow({ status, waitingOn, firstResponseAt }, { authorKind, private: isPrivate });
      const rows = await db.workflowOutbox.findMany({ where: { workflowId: conversationWorkflowId(conversation.id) } });
      if ((stored.outboxId !== null) !== expected || rows.length !== (expected ? 1 : 0)) {
        disagreements.push(
          `${status}/${waitingOn}/${firstResponseAt ? 'answered' : 'unanswered'} ${authorKind}${isPrivate ? ' private' : ''}: rule ${expected}, rows ${rows.length}`,
        );
      }
      if (expected) {
        woke += 1;
        expect(rows[0]).toMatchObject({
          id: stored.outboxId,
          kind: 'message_posted',
          payload: { messageId: stored.message.id, authorKind, at: stored.message.createdAt },
        });
      }
    }
    expect(disagreements).toEqual([]);
    expect(woke).toBeGreaterThan(0); // both outcomes were exercised
    expect(woke).toBeLessThan(cases.length);
  });

  it('writes no row for a repeated Idempotency-Key nor for a closed conversation', async () => {
    const open = await conversationIn('open', 'customer', null);
    const message = {
      conversationId: open.id,
      authorKind: 'customer' as const,
      authorId: open.customerId,
      body: 'hello',
      private: false,
      idempotencyKey: 'k1',
    };
    expect((await storeMessage(db, message)).outcome).toBe('stored');
    expect((await storeMessage(db, message)).outcome).toBe('duplicate');
    const closed = await conversationIn('closed', 'agent', null);
    expect((await storeMessage(db, { ...message, conversationId: closed.id, authorId: closed.customerId })).outcome).toBe('closed');
    expect(await db.workflowOutbox.count({ where: { workflowId: { in: [open.id, closed.id].map(conversationWorkflowId) } } })).toBe(1);
  });

  it('stores the metadata with the message, and an autoAnswer false travels in the signal it writes', async () => {
    const quiet = await conversationIn('resolved', null, null);
    const stored = await storeMessage(db, {
      conversationId: quiet.id,
      authorKind: 'customer',
      authorId: quiet.customerId,
      body: 'I am out of the office',
      private: false,
      idempotencyKey: null,
      metadata: { email: { subject: 'Automatic reply', automated: true } },
      autoAnswer: false,
    });
    if (stored.outcome !== 'stored') throw new Error(stored.outcome);
    expect(stored.message.metadata).toEqual({ email: { subject: 'Automatic reply', automated: true } });
    expect((await db.message.findUniqueOrThrow({ where: { id: stored.message.id } })).metadata).toEqual({
      email: { subject: 'Automatic reply', automated: true },
    });
    const [row] = await db.workflowOutbox.findMany({ where: { workflowId: conversationWorkflowId(quiet.id) } });
    expect(row!.payload).toMatchObject({ messageId: stored.message.id, authorKind: 'customer', autoAnswer: false });
    // Without the flag the payload is as before: no autoAnswer at all.
    const plain = await conversationIn('resolved', null, null);
    await storeMessage(db, { conversationId: plain.id, authorKind: 'customer', authorId: plain.customerId, body: 'hi', private: false, idempotencyKey: null });
    const [plainRow] = await db.workflowOutbox.findMany({ where: { workflowId: conversationWorkflowId(plain.id) } });
    expect(plainRow!.payload).not.toHaveProperty('autoAnswer');
    expect(plainRow!.payload).not.toHaveProperty('metadata');
  });

  it("takes the conversation's lease with the row when it is free, and rings its holder when it is not", async () => {
    const conversation = await conversationIn('open', 'customer', null);
    const agentReply = {
      conversationId: conversation.id,
      authorKind: 'agent' as const,
      authorId: agentId,
      body: 'first reply',
      private: false,
      idempotencyKey: null,
    };
    const first = await storeMessage(db, agentReply, { holder: 'holder-a', leaseMs: 10_000 });
    expect(first).toMatchObject({ outcome: 'stored', leaseAcquired: true });
    expect(await db.workflowOutboxLease.findUnique({ where: { workflowId: conversationWorkflowId(conversation.id) } })).toMatchObject({
      holder: 'holder-a',
      rang: false,
    });

    const customerReply = { ...agentReply, authorKind: 'customer' as const, authorId: conversation.customerId, body: 'thanks' };
    const second = await storeMessage(db, customerReply, { holder: 'holder-b', leaseMs: 10_000 });
    expect(second).toMatchObject({ outcome: 'stored', leaseAcquired: false });
    expect(await db.workflowOutboxLease.findUnique({ where: { workflowId: conversationWorkflowId(conversation.id) } })).toMatchObject({
      holder: 'holder-a',
      rang: true,
    });

    // A message that writes no row asks for no lease; an expired lease is taken over.
    await db.workflowOutboxLease.update({ where: { workflowId: conversationWorkflowId(conversation.id) }, data: { until: new Date(Date.now() - 1_000) } });
    const quiet = await storeMessage(db, { ...customerReply, body: 'again' }, { holder: 'holder-c', leaseMs: 10_000 });
    expect(quiet).toMatchObject({ outcome: 'stored', outboxId: null, leaseAcquired: false });
    const third = await storeMessage(db, { ...agentReply, body: 'second reply' }, { holder: 'holder-d', leaseMs: 10_000 });
    expect(third).toMatchObject({ outcome: 'stored', leaseAcquired: true });
    expect(await db.workflowOutboxLease.findUnique({ where: { workflowId: conversationWorkflowId(conversation.id) } })).toMatchObject({
      holder: 'holder-d',
      rang: false,
    });
  });

  it("numbers a conversation's rows in the order its messages were stored, when they race", async () => {
    const conversation = await conversationIn('open', 'customer', new Date());
    // Alternating sides: every message changes who the conversation waits on, so each writes a row.
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        storeMessage(db, {
          conversationId: conversation.id,
          authorKind: i % 2 ? 'agent' : 'customer',
          authorId: i % 2 ? agentId : conversation.customerId,
          body: `race ${i}`,
          private: false,
          idempotencyKey: null,
        }),
      ),
    );
    const rows = await db.workflowOutbox.findMany({ where: { workflowId: conversationWorkflowId(conversation.id) }, orderBy: { id: 'asc' } });
    // The event log's ids are drawn under the same row lock: the order the statements took it.
    const events = await db.event.findMany({ where: { conversationId: conversation.id, type: 'message.created' }, orderBy: { id: 'asc' } });
    const storeOrder = events.map((event) => (event.payload as { message: { id: string } }).message.id);
    const rowOrder = rows.map((row) => (row.payload as { messageId: string }).messageId);
    expect(rowOrder).toEqual(storeOrder.filter((id) => rowOrder.includes(id)));
    expect(rows.length).toBeGreaterThan(0);
  });

  it("writes a customer-replied row for each linked ticket that waits on the customer, in the message's statement", async () => {
    const conversation = await conversationIn('open', 'customer', new Date());
    const ticketIn = async (status: 'open' | 'pending' | 'solved' | 'closed') => {
      const id = randomUUID();
      await db.ticket.create({
        data: {
          id,
          workflowId: ticketWorkflowId(id),
          subject: status,
          description: '',
          customerId: conversation.customerId,
          status,
          conversations: { create: { conversationId: conversation.id } },
        },
      });
      return id;
    };
    const [pending, solved] = [await ticketIn('pending'), await ticketIn('solved')];
    await ticketIn('open');
    await ticketIn('closed');
    const repliedRows = () => db.workflowOutbox.findMany({ where: { kind: 'ticket_customer_replied' }, orderBy: { id: 'asc' } });

    const agent = await storeMessage(db, {
      conversationId: conversation.id,
      authorKind: 'agent',
      authorId: agentId,
      body: 'Anything else?',
      private: false,
      idempotencyKey: null,
    });
    expect(agent).toMatchObject({ outcome: 'stored', ticketWorkflowIds: [] });
    const customer = await storeMessage(db, {
      conversationId: conversation.id,
      authorKind: 'customer',
      authorId: conversation.customerId,
      body: 'Yes, again',
      private: false,
      idempotencyKey: null,
    });
    if (customer.outcome !== 'stored') throw new Error(`not stored: ${customer.outcome}`);
    expect([...customer.ticketWorkflowIds].sort()).toEqual([pending, solved].map(ticketWorkflowId).sort());
    const rows = await repliedRows();
    expect(rows.map((row) => [row.workflowId, row.payload]).sort()).toEqual(
      [pending, solved].map((ticketId) => [ticketWorkflowId(ticketId), { ticketId, at: customer.message.createdAt }]).sort(),
    );
  });
});

describe("several messages in one statement (storeMessagesOn, for the writer's batches)", () => {
  /** What a store did, without the ids and times that differ between twins. */
  async function effects(result: StoreResult, conversationId: string) {
    const conversation = await db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    const outbox = await db.workflowOutbox.findMany({ where: { workflowId: conversationWorkflowId(conversationId) }, orderBy: { id: 'asc' } });
    const events = await db.event.findMany({ where: { conversationId, type: 'message.created' }, orderBy: { id: 'asc' } });
    if (result.outcome !== 'stored') return { outcome: result.outcome, messages: events.length, outbox: outbox.length };
    const { id, conversationId: _conversation, createdAt, ...view } = result.message;
    const [event] = events.slice(-1);
    const customer = await db.customer.findUniqueOrThrow({ where: { id: conversation.customerId } });
    return {
      outcome: result.outcome,
      timeZone: customer.timeZone,
      before: result.before,
      view,
      stamped: createdAt === conversation.lastMessageAt.toISOString(),
      wrote: {
        outbox: result.outboxId !== null,
        lease: result.leaseAcquired,
        tickets: result.ticketWorkflowIds.length,
        email: result.emailWorkflowId !== null,
      },
      conversation: { status: conversation.status, waitingOn: conversation.waitingOn, answered: conversation.firstResponseAt !== null },
      outbox: outbox.map((row) => ({
        ...(row.payload as object),
        messageId: row.payload && (row.payload as { messageId?: string }).messageId === id,
        at: undefined,
      })),
      event: event && {
        ...event,
        id: undefined,
        occurredAt: undefined,
        txid: undefined,
        conversationId: undefined,
        customerId: event.customerId === conversation.customerId,
        actorId: undefined,
        payload: { message: { ...(event.payload as { message: object }).message, id: undefined, conversationId: undefined, createdAt: undefined } },
      },
    };
  }

  it(`stores each of the ${cases.length} cases, a mail reply, a ticket's customer (and their time zone) and the refusals as one statement per message does`, async () => {
    const emailChannel = (await db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
    // The relay gives every claim a holder of its own (workflow-relay.ts claim).
    const claimOf = (index: number) => ({ holder: `writer:${index}`, leaseMs: 10_000 });
    /** One case: its conversation made afresh for each path, and the message sent to it. */
    const twins: { make(): Promise<NewMessage> }[] = cases.map(({ status, waitingOn, firstResponseAt, authorKind, isPrivate }) => ({
      async make() {
        const conversation = await conversationIn(status, waitingOn, firstResponseAt);
        const author = authorKind === 'agent' ? agentId : conversation.customerId;
        return {
          conversationId: conversation.id,
          authorKind,
          authorId: author,
          body: 'probe',
          private: isPrivate,
          idempotencyKey: 'k',
          autoAnswer: !isPrivate,
        };
      },
    }));
    twins.push(
      {
        async make() {
          const conversation = await conversationIn('open', 'agent', null, emailChannel);
          return { conversationId: conversation.id, authorKind: 'agent', authorId: agentId, body: 'by mail', private: false, idempotencyKey: null };
        },
      },
      {
        async make() {
          const conversation = await conversationIn('open', 'customer', new Date('2026-01-01T00:00:00Z'));
          const ticket = randomUUID();
          await db.ticket.create({
            data: {
              id: ticket,
              workflowId: ticketWorkflowId(ticket),
              subject: 'pending',
              description: '',
              customerId: conversation.customerId,
              status: 'pending',
              conversations: { create: { conversationId: conversation.id } },
            },
          });
          const message = { conversationId: conversation.id, authorKind: 'customer' as const, authorId: conversation.customerId, body: 'me again' };
          return {
            ...message,
            private: false,
            idempotencyKey: null,
            ownerCustomerId: conversation.customerId,
            ownerTimeZone: 'Europe/London',
            metadata: { via: 'probe' },
          };
        },
      },
      {
        async make() {
          const conversation = await conversationIn('closed', 'agent', null);
          return {
            conversationId: conversation.id,
            authorKind: 'customer',
            authorId: conversation.customerId,
            body: 'late',
            private: false,
            idempotencyKey: null,
          };
        },
      },
      {
        async make() {
          const conversation = await conversationIn('open', 'agent', null);
          const message = { conversationId: conversation.id, authorKind: 'customer' as const, authorId: conversation.customerId, body: 'twice' };
          await storeMessage(db, { ...message, private: false, idempotencyKey: 'same' });
          return { ...message, private: false, idempotencyKey: 'same' };
        },
      },
      {
        async make() {
          const stranger = await conversationIn('open', 'agent', null);
          const conversation = await conversationIn('open', 'agent', null);
          // Another visitor's conversation is not found, as an unknown one.
          return {
            conversationId: conversation.id,
            ownerCustomerId: stranger.customerId,
            authorKind: 'customer',
            authorId: stranger.customerId,
            body: 'x',
            private: false,
            idempotencyKey: null,
          };
        },
      },
    );

    const alone: unknown[] = [];
    for (const [index, twin] of twins.entries()) {
      const message = await twin.make();
      alone.push(await effects(await storeMessage(db, message, claimOf(index)), message.conversationId));
    }
    const messages = [];
    for (const twin of twins) messages.push(await twin.make());
    const queued = messages.map((input, index) => ({ input, claim: claimOf(index) }));
    expect(canStoreTogether(queued)).toBe(true);
    const results = await storeMessagesOn(poolOf(db)!, queued);
    const together = [];
    for (const [index, result] of results.entries()) together.push(await effects(result, messages[index]!.conversationId));

    expect(together).toEqual(alone);
    expect(new Set(together.map((effect) => (effect as { outcome: string }).outcome))).toEqual(new Set(['stored', 'closed', 'duplicate', 'not_found']));
    expect(together.filter((effect) => (effect as { wrote?: { email: boolean } }).wrote?.email)).toHaveLength(1);
    expect(together.filter((effect) => (effect as { wrote?: { tickets: number } }).wrote?.tickets)).toHaveLength(1);
    // The reported zone is kept on the owner, in the same statement.
    expect(together.filter((effect) => (effect as { timeZone?: string }).timeZone === 'Europe/London')).toHaveLength(1);
  });
});
