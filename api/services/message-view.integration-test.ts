// The message hot path builds the message view in SQL (message-store.ts, json_build_object)
// instead of calling toMessageView (infra/views.ts): the API's answer and the `message.created`
// event carry the SQL one, every other read the TypeScript one. For the same stored row both
// must be the same JSON — keys, values, nulls and timestamps — in every author case.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MessageView } from '../../contract/views.js';
import { createDb, type Db } from '../../infra/db.js';
import { messageInclude, toMessageView } from '../../infra/views.js';
import { cloneTemplateDatabase } from '../../test/support/test-database.js';
import { storeMessage, type NewMessage } from './message-store.js';

let db: Db;
let channelId: string;
let agent: { id: string; name: string };

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 4 });
  channelId = (await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } })).id;
  agent = await db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' }, select: { id: true, name: true } });
});
afterAll(() => db?.$disconnect());

async function conversationOf(customerName: string | null, channel = channelId) {
  const customer = await db.customer.create({ data: { name: customerName } });
  const id = randomUUID();
  await db.conversation.create({
    data: { id, workflowId: `conversation-${id}`, customerId: customer.id, channelId: channel, status: 'open', assigneeId: agent.id },
  });
  return { id, customerId: customer.id };
}

/** Stores through the SQL statement; returns its view, the event's and the mapper's for the row. */
async function viewsOf(input: Omit<NewMessage, 'idempotencyKey'>) {
  const stored = await storeMessage(db, { ...input, idempotencyKey: null });
  if (stored.outcome !== 'stored') throw new Error(`not stored: ${stored.outcome}`);
  const row = await db.message.findUniqueOrThrow({ where: { id: stored.message.id }, include: messageInclude });
  const event = await db.event.findFirstOrThrow({ where: { type: 'message.created', conversationId: input.conversationId }, orderBy: { id: 'desc' } });
  // Through JSON both ways, as a client receives them: what differs on the wire shows.
  const wire = (value: unknown) => JSON.parse(JSON.stringify(value)) as MessageView;
  return { sql: wire(stored.message), event: wire((event.payload as { message: unknown }).message), mapper: wire(toMessageView(row)) };
}

describe('the message view built in SQL', () => {
  it("equals toMessageView's for a customer's message in Chinese", async () => {
    const conversation = await conversationOf('王小明');
    const views = await viewsOf({
      conversationId: conversation.id,
      authorKind: 'customer',
      authorId: conversation.customerId,
      body: '我的转账还没到账，已经三天了。能帮我查一下吗？🙏',
      private: false,
    });
    expect(views.sql).toEqual(views.mapper);
    expect(views.event).toEqual(views.mapper);
    expect(views.mapper).toMatchObject({
      authorKind: 'customer',
      authorName: '王小明',
      authorUserId: null,
      metadata: null,
      body: '我的转账还没到账，已经三天了。能帮我查一下吗？🙏',
    });
  });

  it("equals toMessageView's when the author has no name (null fields)", async () => {
    const conversation = await conversationOf(null);
    const views = await viewsOf({ conversationId: conversation.id, authorKind: 'customer', authorId: conversation.customerId, body: 'hello', private: false });
    expect(views.sql).toEqual(views.mapper);
    expect(views.event).toEqual(views.mapper);
    expect(views.mapper).toMatchObject({ authorName: null, authorUserId: null, metadata: null });
  });

  it("equals toMessageView's for an agent's reply and private note", async () => {
    const conversation = await conversationOf('Ann');
    for (const isPrivate of [false, true]) {
      const views = await viewsOf({
        conversationId: conversation.id,
        authorKind: 'agent',
        authorId: agent.id,
        body: `Checking now / 正在查询 (${isPrivate ? 'note' : 'reply'})`,
        private: isPrivate,
      });
      expect(views.sql).toEqual(views.mapper);
      expect(views.event).toEqual(views.mapper);
      expect(views.mapper).toMatchObject({ authorKind: 'agent', authorUserId: agent.id, authorName: agent.name, private: isPrivate });
    }
  });

  it("equals toMessageView's for an integration's agent-side message (no author at all)", async () => {
    const conversation = await conversationOf('Ann');
    const views = await viewsOf({
      conversationId: conversation.id,
      authorKind: 'agent',
      authorId: null,
      actor: { kind: 'system', id: randomUUID() },
      body: 'Order 1001 shipped.',
      private: false,
    });
    expect(views.sql).toEqual(views.mapper);
    expect(views.event).toEqual(views.mapper);
    expect(views.mapper).toMatchObject({ authorUserId: null, authorName: null });
  });

  it("equals toMessageView's for an agent's reply in an email conversation (delivery last), and a note there has none", async () => {
    const email = await db.channel.findFirstOrThrow({ where: { kind: 'email' } });
    const conversation = await conversationOf('Ann', email.id);
    const reply = await viewsOf({ conversationId: conversation.id, authorKind: 'agent', authorId: agent.id, body: 'On its way', private: false });
    expect(reply.sql).toEqual(reply.mapper);
    expect(reply.event).toEqual(reply.mapper);
    expect(reply.mapper.delivery).toEqual({ status: 'queued' });
    expect(Object.keys(reply.sql).at(-1)).toBe('delivery');
    const note = await viewsOf({ conversationId: conversation.id, authorKind: 'agent', authorId: agent.id, body: 'internal', private: true });
    expect(note.sql).toEqual(note.mapper);
    expect('delivery' in note.sql).toBe(false);
  });

  it('names the same keys as the contract, in the same order', async () => {
    const conversation = await conversationOf('Ann');
    const views = await viewsOf({ conversationId: conversation.id, authorKind: 'customer', authorId: conversation.customerId, body: 'keys', private: false });
    const keys: (keyof MessageView)[] = ['id', 'conversationId', 'authorKind', 'authorUserId', 'authorName', 'body', 'private', 'metadata', 'createdAt'];
    expect(Object.keys(views.sql)).toEqual(keys);
    expect(Object.keys(views.mapper)).toEqual(keys);
  });

  /** Unbound uploads of the conversation by this author (api/services/attachments.ts). */
  async function uploads(conversationId: string, uploader: { kind: 'customer' | 'user'; id: string }, names: string[]) {
    const ids: string[] = [];
    for (const [index, fileName] of names.entries()) {
      const row = await db.attachment.create({
        data: {
          conversationId,
          uploaderKind: uploader.kind,
          uploaderId: uploader.id,
          storageKey: randomUUID().replace(/-/g, ''),
          size: 100 + index,
          sha256: '0'.repeat(64),
          contentType: index === 0 ? 'image/png' : 'application/pdf',
          fileName,
        },
      });
      ids.push(row.id);
    }
    return ids;
  }

  it("equals toMessageView's with files, in upload order, attachments before delivery", async () => {
    const conversation = await conversationOf('Ann');
    const ids = await uploads(conversation.id, { kind: 'customer', id: conversation.customerId }, ['截图.png', 'statement.pdf']);
    const views = await viewsOf({
      conversationId: conversation.id,
      authorKind: 'customer',
      authorId: conversation.customerId,
      body: 'files',
      private: false,
      attachmentIds: [ids[1]!, ids[0]!],
    });
    expect(views.sql).toEqual(views.mapper);
    expect(views.event).toEqual(views.mapper);
    expect(views.mapper.attachments).toEqual([
      { id: ids[0], fileName: '截图.png', contentType: 'image/png', size: 100, inline: false },
      { id: ids[1], fileName: 'statement.pdf', contentType: 'application/pdf', size: 101, inline: false },
    ]);
    expect(Object.keys(views.sql).at(-1)).toBe('attachments');

    const email = await db.channel.findFirstOrThrow({ where: { kind: 'email' } });
    const mail = await conversationOf('Bo', email.id);
    const [file] = await uploads(mail.id, { kind: 'user', id: agent.id }, ['form.pdf']);
    const reply = await viewsOf({
      conversationId: mail.id,
      authorKind: 'agent',
      authorId: agent.id,
      body: 'form attached',
      private: false,
      attachmentIds: [file!],
    });
    expect(reply.sql).toEqual(reply.mapper);
    expect(reply.event).toEqual(reply.mapper);
    expect(Object.keys(reply.sql).slice(-2)).toEqual(['attachments', 'delivery']);
  });

  it('refuses files it may not bind and stores nothing: another author’s, another conversation’s, one already sent', async () => {
    const conversation = await conversationOf('Ann');
    const other = await conversationOf('Otto');
    const [agents] = await uploads(conversation.id, { kind: 'user', id: agent.id }, ['a.pdf']);
    const [elsewhere] = await uploads(other.id, { kind: 'customer', id: conversation.customerId }, ['b.pdf']);
    const [own] = await uploads(conversation.id, { kind: 'customer', id: conversation.customerId }, ['c.pdf']);
    const post = (attachmentIds: string[]) =>
      storeMessage(db, {
        conversationId: conversation.id,
        authorKind: 'customer',
        authorId: conversation.customerId,
        body: 'x',
        private: false,
        idempotencyKey: null,
        attachmentIds,
      });
    for (const ids of [[agents!], [elsewhere!], [own!, agents!]]) expect(await post(ids)).toEqual({ outcome: 'attachments_refused' });
    expect(await db.message.count({ where: { conversationId: conversation.id } })).toBe(0);
    expect(await db.event.count({ where: { conversationId: conversation.id } })).toBe(0);
    expect((await post([own!])).outcome).toBe('stored');
    expect(await post([own!])).toEqual({ outcome: 'attachments_refused' });
  });
});
