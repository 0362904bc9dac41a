// Files in conversations (issue 17): one model for chat and email. The bytes go to the attachment
// store (infra/attachments/: sniffed, size-limited, random keys); the row (`Attachment`) names the
// conversation, the uploader, the sniffed type and the display name.
// - Upload first (POST …/attachments: unbound, `messageId` null), then send a message naming it in
//   `attachmentIds`: message-store.ts binds it in the message's own statement, or stores nothing.
// - An email's files are stored by the inbound pipeline and bound to its message at once
//   (storeEmailAttachments; one row per place in the mail, so a retry adds none twice).
// - Downloads are authorised like the message: agents who may see the conversation; the visitor
//   only their own conversation's files of public messages (and their own uploads not sent yet).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { MessageAttachmentView } from '../../contract/views.js';
import { executableTypes, imagesOnly, type AttachmentPolicy, type AttachmentStore, type PutResult } from '../../infra/attachments/attachment-store.js';
import { createLocalDiskStore } from '../../infra/attachments/local-disk-store.js';
import { displayFileName } from '../../infra/attachments/sniff.js';
import type { Db } from '../../infra/db.js';
import { toAttachmentView } from '../../infra/views.js';
import { HttpError } from '../http-error.js';
import { isUniqueViolation } from './prisma-errors.js';

/** The store and the upload limit, decided once when the app is built (ApiDeps.attachments). */
export interface AttachmentSettings {
  store: AttachmentStore;
  /** The largest upload accepted, in bytes (ATTACHMENT_MAX_BYTES); 10 MB when absent. */
  maxUploadBytes?: number;
}

export const defaultMaxUploadBytes = 10 * 1024 * 1024;

/**
 * What a visitor may upload, by sniffed type: raster images (HEIC from phones too), PDF, text (and
 * CSV, which is text), Word/Excel/PowerPoint (OOXML and the older OLE files), OpenDocument, RTF.
 * Nothing that runs: no HTML, SVG, scripts-as-binaries, archives or executables.
 */
export const widgetUploadTypes: readonly string[] = Object.freeze([
  ...imagesOnly,
  'image/heic',
  'image/heif',
  'application/pdf',
  'text/plain',
  'application/rtf',
  'application/x-cfb',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
]);

export type Uploader = { kind: 'customer'; id: string } | { kind: 'user'; id: string };

/** The policy of an upload: visitors the list above, agents anything but executables. */
export function uploadPolicy(uploader: Uploader['kind'], maxBytes: number): AttachmentPolicy {
  return uploader === 'customer' ? { maxBytes, allow: widgetUploadTypes } : { maxBytes, deny: executableTypes };
}

let fallbackStore: AttachmentStore | null = null;

/**
 * The settings as given, or — for an app built without them (tests that never upload) — a store in
 * a temporary folder of this process. main.ts always passes the configured one.
 */
export function resolveAttachmentSettings(settings: AttachmentSettings | undefined): Required<AttachmentSettings> {
  if (settings) return { store: settings.store, maxUploadBytes: settings.maxUploadBytes ?? defaultMaxUploadBytes };
  fallbackStore ??= createLocalDiskStore({ root: mkdtempSync(path.join(os.tmpdir(), 'seamless-attachments-')) });
  return { store: fallbackStore, maxUploadBytes: defaultMaxUploadBytes };
}

/** A store's refusal as the HTTP answer: 413 too large, 415 a type the policy refuses, 400 empty. */
function refusalError(result: Exclude<PutResult, { ok: true }>): HttpError {
  const { code, message } = result.refusal;
  if (code === 'too_large') return new HttpError(413, 'attachment_too_large', `The file is too large: ${message}.`);
  if (code === 'type_not_allowed') return new HttpError(415, 'attachment_type_not_allowed', `This kind of file cannot be sent here: ${message}.`);
  return new HttpError(400, 'attachment_empty', 'The file is empty.');
}

export interface UploadInput {
  conversationId: string;
  uploader: Uploader;
  /** The client's name for the file (display only). */
  fileName: string | null;
  content: Readable | Buffer;
}

/** Stores an upload (unbound) and answers its view; a refusal stores nothing. */
export async function uploadAttachment(db: Db, settings: Required<AttachmentSettings>, input: UploadInput): Promise<MessageAttachmentView> {
  const put = await settings.store.put(input.content, uploadPolicy(input.uploader.kind, settings.maxUploadBytes));
  if (!put.ok) throw refusalError(put);
  const { key, size, sha256, contentType } = put.stored;
  try {
    const row = await db.attachment.create({
      data: {
        conversationId: input.conversationId,
        uploaderKind: input.uploader.kind,
        uploaderId: input.uploader.id,
        storageKey: key,
        size,
        sha256,
        contentType,
        fileName: displayFileName(input.fileName) ?? 'file',
      },
    });
    return toAttachmentView(row);
  } catch (error) {
    // No row, no file: nothing half-stored.
    await settings.store.delete(key);
    throw error;
  }
}

/** An attachment with what deciding who may download it needs. */
export async function findAttachment(db: Db, id: string) {
  return db.attachment.findUnique({
    where: { id },
    include: { message: { select: { private: true } }, conversation: { select: { customerId: true } } },
  });
}

export type AttachmentRow = NonNullable<Awaited<ReturnType<typeof findAttachment>>>;

/**
 * Whether the visitor may download it: their conversation, a public message's file, or their own
 * upload not sent yet; a recording of their call only when the organisation shares recordings.
 */
export function customerMayDownload(row: AttachmentRow, customerId: string, sharesCallRecordings = false): boolean {
  if (row.conversation.customerId !== customerId) return false;
  if (row.callId) return sharesCallRecordings;
  if (row.message) return !row.message.private;
  return row.uploaderKind === 'customer' && row.uploaderId === customerId;
}

export interface EmailAttachmentInput {
  fileName: string | null;
  contentType: string;
  contentId: string | null;
  inline: boolean;
  content: Buffer;
}

/**
 * An email's files, stored for a conversation before its message is: each file first, then its
 * row (unbound), unique per (mail, position). A retry after a crash stores only the places with no
 * row yet (a file stored by the loser of a race is deleted again). The mail was size-checked by the
 * pipeline; the store still sniffs each file (the row keeps the sniffed type, never the declared
 * one). Answers the ids of the mail's rows not bound yet that belong to this conversation, in the
 * mail's order: what the message statement binds (`attachmentIds`), so its event lists them.
 */
export async function stageEmailAttachments(
  db: Db,
  store: AttachmentStore,
  target: { inboundEmailId: string; conversationId: string; customerId: string },
  attachments: readonly EmailAttachmentInput[],
): Promise<string[]> {
  if (attachments.length === 0) return [];
  const present = new Set(
    (await db.attachment.findMany({ where: { inboundEmailId: target.inboundEmailId }, select: { position: true } })).map((row) => row.position),
  );
  for (const [position, attachment] of attachments.entries()) {
    if (present.has(position)) continue;
    const put = await store.put(attachment.content, { maxBytes: Math.max(attachment.content.length, 1) });
    if (!put.ok) continue; // empty parts only: the pipeline already refused oversize mail
    const { key, size, sha256, contentType } = put.stored;
    try {
      await db.attachment.create({
        data: {
          conversationId: target.conversationId,
          uploaderKind: 'customer',
          uploaderId: target.customerId,
          storageKey: key,
          size,
          sha256,
          contentType,
          fileName: displayFileName(attachment.fileName) ?? (attachment.inline ? 'image' : 'attachment'),
          inlineCid: attachment.inline ? attachment.contentId : null,
          inboundEmailId: target.inboundEmailId,
          position,
        },
      });
    } catch (error) {
      await store.delete(key);
      if (!isUniqueViolation(error)) throw error;
    }
  }
  const unbound = await db.attachment.findMany({
    where: { inboundEmailId: target.inboundEmailId, conversationId: target.conversationId, messageId: null },
    select: { id: true },
    orderBy: { position: 'asc' },
  });
  return unbound.map((row) => row.id);
}

/**
 * Binds what is left of an email's files to its message (and its conversation: a reply to a closed
 * conversation starts a new one after its files were staged for the old). Answers how many.
 */
export async function bindEmailAttachments(db: Db, target: { inboundEmailId: string; conversationId: string; messageId: string }): Promise<number> {
  const bound = await db.attachment.updateMany({
    where: { inboundEmailId: target.inboundEmailId, messageId: null },
    data: { conversationId: target.conversationId, messageId: target.messageId },
  });
  return bound.count;
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const hourMs = 60 * 60_000;

/**
 * Uploads never sent (no message bound them; a call's recording is bound to its call) are deleted once older than `olderThanMs` (default a
 * day): rows first, one statement that re-checks `messageId IS NULL` under the row lock (a message
 * binding one at that moment either wins, and it stays, or finds it gone: 400), then their files.
 * Safe in every API process at once: each deletes the files of the rows its own statement deleted.
 */
export async function deleteUnsentUploads(
  db: Db,
  store: AttachmentStore,
  options: { olderThanMs?: number; now?: Date; batchSize?: number } = {},
): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - (options.olderThanMs ?? 24 * hourMs));
  const rows = await db.$queryRaw<{ storageKey: string }[]>`
    DELETE FROM "Attachment" WHERE id IN (
      SELECT id FROM "Attachment" WHERE "messageId" IS NULL AND "callId" IS NULL AND "createdAt" < ${cutoff}
      ORDER BY "createdAt" LIMIT ${options.batchSize ?? 500} FOR UPDATE SKIP LOCKED)
    AND "messageId" IS NULL AND "callId" IS NULL
    RETURNING "storageKey"`;
  for (const row of rows) await store.delete(row.storageKey);
  return rows.length;
}

/** Runs deleteUnsentUploads every `everyMs` (default hourly); failures are logged and the next run tries again. */
export function startUploadSweep(db: Db, store: AttachmentStore, options: { log: (message: string, error?: unknown) => void; everyMs?: number }) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deleteUnsentUploads(db, store)
      .catch((error: unknown) => options.log('deleting unsent uploads failed', error))
      .finally(() => {
        running = false;
      });
  }, options.everyMs ?? hourMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
