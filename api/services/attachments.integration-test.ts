// Uploads never sent are swept after a day: their rows and files go; files sent with a message
// and recent uploads stay.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AttachmentStore } from '../../infra/attachments/attachment-store.js';
import { createLocalDiskStore } from '../../infra/attachments/local-disk-store.js';
import { createDb, type Db } from '../../infra/db.js';
import { cloneTemplateDatabase } from '../../test/support/test-database.js';
import { deleteUnsentUploads } from './attachments.js';

let db: Db;
let root: string;
let store: AttachmentStore;

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
  root = await mkdtemp(path.join(os.tmpdir(), 'attachment-sweep-'));
  store = createLocalDiskStore({ root });
});
afterAll(async () => {
  await db?.$disconnect();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('deleteUnsentUploads', () => {
  it('deletes uploads no message sent within the day, rows and files, and nothing else', async () => {
    const customer = await db.customer.create({ data: { name: 'Sweep' } });
    const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
    const conversationId = randomUUID();
    await db.conversation.create({
      data: { id: conversationId, workflowId: `conversation-${conversationId}`, customerId: customer.id, channelId: channel.id },
    });
    const message = await db.message.create({ data: { conversationId, authorKind: 'customer', customerId: customer.id, body: 'sent' } });
    const now = new Date('2026-12-07T12:00:00Z');
    const file = async (name: string, createdAt: Date, messageId: string | null) => {
      const put = await store.put(Buffer.from(name));
      if (!put.ok) throw new Error(put.refusal.message);
      const { key, size, sha256, contentType } = put.stored;
      return db.attachment.create({
        data: {
          conversationId,
          messageId,
          uploaderKind: 'customer',
          uploaderId: customer.id,
          storageKey: key,
          size,
          sha256,
          contentType,
          fileName: name,
          createdAt,
        },
      });
    };
    const stale = await file('stale.txt', new Date(now.getTime() - 25 * 60 * 60_000), null);
    const recent = await file('recent.txt', new Date(now.getTime() - 60 * 60_000), null);
    const sent = await file('sent.txt', new Date(now.getTime() - 72 * 60 * 60_000), message.id);

    expect(await deleteUnsentUploads(db, store, { now })).toBe(1);
    expect(await db.attachment.findUnique({ where: { id: stale.id } })).toBeNull();
    expect(await store.read(stale.storageKey)).toBeNull();
    for (const kept of [recent, sent]) {
      expect(await db.attachment.findUnique({ where: { id: kept.id } })).not.toBeNull();
      expect(await store.read(kept.storageKey)).not.toBeNull();
    }
    expect(await deleteUnsentUploads(db, store, { now })).toBe(0);
  });
});
