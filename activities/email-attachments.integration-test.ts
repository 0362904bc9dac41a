// The files a message sends by mail: read back from the store in the view's order, and on the wire
// as real MIME attachments (composed by the mailer's options, parsed back by mailparser).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AttachmentStore } from '../infra/attachments/attachment-store.js';
import { createLocalDiskStore } from '../infra/attachments/local-disk-store.js';
import { createDb, type Db } from '../infra/db.js';
import { toMailOptions } from '../infra/email/mailer.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { pngBytes } from '../test/support/mail-samples.js';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Mailer, OutgoingEmail } from '../infra/email/mailer.js';
import { mailAttachmentsOf } from './email-attachments.js';
import { createEmailActivities } from './email-activities.js';

let db: Db;
let root: string;
let store: AttachmentStore;
let agentId: string;

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
  root = await mkdtemp(path.join(os.tmpdir(), 'email-attachments-'));
  store = createLocalDiskStore({ root });
  agentId = (await db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
});
afterAll(async () => {
  await db?.$disconnect();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A reply in a new conversation with these files bound to it. */
async function replyWith(files: { fileName: string; content: Buffer }[]) {
  const customer = await db.customer.create({ data: { name: 'Mail customer', email: `${randomUUID()}@example.com` } });
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'email' } });
  const conversationId = randomUUID();
  await db.conversation.create({
    data: { id: conversationId, workflowId: `conversation-${conversationId}`, customerId: customer.id, channelId: channel.id, status: 'open' },
  });
  const message = await db.message.create({ data: { conversationId, authorKind: 'agent', authorUserId: agentId, body: 'Files attached' } });
  for (const file of files) {
    const put = await store.put(file.content);
    if (!put.ok) throw new Error(put.refusal.message);
    await db.attachment.create({
      data: {
        conversationId,
        messageId: message.id,
        uploaderKind: 'user',
        uploaderId: agentId,
        storageKey: put.stored.key,
        size: put.stored.size,
        sha256: put.stored.sha256,
        contentType: put.stored.contentType,
        fileName: file.fileName,
      },
    });
  }
  return message.id;
}

describe("a reply's files by mail", () => {
  it('are read from the store in order and leave as MIME attachments with their names and bytes', async () => {
    const csv = Buffer.from('order,amount\n1001,25.00\n');
    const messageId = await replyWith([
      { fileName: '截图.png', content: pngBytes },
      { fileName: 'orders.csv', content: csv },
    ]);
    const files = await mailAttachmentsOf(db, store, messageId);
    expect(files.map((file) => [file.fileName, file.contentType])).toEqual([
      ['截图.png', 'image/png'],
      ['orders.csv', 'text/plain'],
    ]);

    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const options = toMailOptions({ to: ['customer@example.com'], subject: 'Re: files', text: 'Files attached', attachments: files }, 'support@example.com');
    const { message } = (await transport.sendMail(options)) as { message: Buffer };
    const parsed = await simpleParser(message);
    expect(parsed.attachments.map((file) => file.filename)).toEqual(['截图.png', 'orders.csv']);
    expect(parsed.attachments[0]!.content.equals(pngBytes)).toBe(true);
    expect(parsed.attachments[1]!.content.equals(csv)).toBe(true);
    expect(parsed.text?.trim()).toBe('Files attached');
  });

  it('go out with the reply: the send activity hands them to the mailer', async () => {
    const messageId = await replyWith([{ fileName: '发票.png', content: pngBytes }]);
    await db.outboundEmail.create({ data: { messageId } });
    const sent: OutgoingEmail[] = [];
    const mailer: Mailer = {
      async send(email) {
        sent.push(email);
        return { sent: true, messageId: email.messageId ?? '' };
      },
    };
    const activities = createEmailActivities({ db, mailer, outboundEmail: { secret: 'x'.repeat(32), mailFrom: 'support@example.com' }, attachments: store });
    const environment = new MockActivityEnvironment();
    expect(await environment.run(activities.prepareOutboundEmail, { messageId })).toMatchObject({ kind: 'send' });
    await environment.run(activities.sendOutboundEmail, { messageId });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.attachments?.map((file) => [file.fileName, file.contentType])).toEqual([['发票.png', 'image/png']]);
    expect(sent[0]!.attachments?.[0]?.content.equals(pngBytes)).toBe(true);
  });

  it('are none for a message without files, and fail for good when a file or the store is missing', async () => {
    expect(await mailAttachmentsOf(db, store, await replyWith([]))).toEqual([]);
    const messageId = await replyWith([{ fileName: 'gone.png', content: pngBytes }]);
    await expect(mailAttachmentsOf(db, undefined, messageId)).rejects.toMatchObject({ nonRetryable: true });
    const row = await db.attachment.findFirstOrThrow({ where: { messageId } });
    await store.delete(row.storageKey);
    const failure = await mailAttachmentsOf(db, store, messageId).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ nonRetryable: true, message: expect.stringContaining('gone.png') });
  });
});
