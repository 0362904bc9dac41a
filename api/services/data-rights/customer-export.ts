// A contact's data as they may ask for it (issue 18, "data rights"): one JSON document — profile,
// conversations with their messages, tickets, the journey's events, CSAT ratings, the list of
// files and emails — and a zip that adds the files themselves and every email's raw MIME, streamed
// (archiver) so large attachments never sit in memory. The layout is documented in the README.txt
// the zip carries (readmeText below) and in docs/DATA-RIGHTS.md.
import type { Writable } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { DataRightsCounts } from '../../../contract/events.js';
import { csatEventType } from '../../../domain/csat.js';
import type { AttachmentStore } from '../../../infra/attachments/attachment-store.js';
import type { Db } from '../../../infra/db.js';
import { toEventView } from '../../../infra/event-log.js';
import { notFound } from '../../http-error.js';
import { recordAudit } from '../audit-service.js';

export const exportFormatVersion = 1;

/** A file name safe in any unzip tool: no path, no control or reserved characters, at most 100 characters. */
export function zipSafeName(name: string): string {
  const cleaned = name
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, '_')
    .replace(/^\.+/, '_')
    .trim()
    .slice(0, 100);
  return cleaned || 'file';
}

export interface ExportAttachment {
  id: string;
  conversationId: string;
  messageId: string | null;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: string;
  /** Where the file is in the zip. */
  path: string;
  storageKey: string;
}

/** Everything the export holds, as the JSON document (attachments and emails by reference). */
export async function collectCustomerData(db: Db, customerId: string) {
  const customer = await db.customer.findUnique({ where: { id: customerId } });
  if (!customer) return null;
  const conversations = await db.conversation.findMany({
    where: { customerId },
    orderBy: { createdAt: 'asc' },
    include: {
      channel: { select: { kind: true, name: true } },
      messages: {
        orderBy: { createdAt: 'asc' },
        include: { authorUser: { select: { name: true } }, outboundEmail: { select: { status: true, to: true, cc: true, subject: true, sentAt: true } } },
      },
    },
  });
  const conversationIds = conversations.map((conversation) => conversation.id);
  const tickets = await db.ticket.findMany({
    where: { customerId },
    orderBy: { createdAt: 'asc' },
    include: { conversations: { select: { conversationId: true } } },
  });
  const ticketIds = tickets.map((ticket) => ticket.id);
  const attachmentRows = await db.attachment.findMany({
    where: { OR: [{ conversationId: { in: conversationIds } }, { uploaderKind: 'customer', uploaderId: customerId }] },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const emails = await db.inboundEmail.findMany({
    where: {
      OR: [{ conversationId: { in: conversationIds } }, ...(customer.email ? [{ fromAddress: { equals: customer.email, mode: 'insensitive' as const } }] : [])],
    },
    orderBy: { receivedAt: 'asc' },
    select: {
      id: true,
      conversationId: true,
      messageId: true,
      subject: true,
      fromAddress: true,
      to: true,
      cc: true,
      receivedAt: true,
      size: true,
      sha256: true,
    },
  });
  const eventRows = await db.event.findMany({
    where: { OR: [{ customerId }, { conversationId: { in: conversationIds } }, { ticketId: { in: ticketIds } }] },
    orderBy: { id: 'asc' },
  });
  const events = eventRows.map(toEventView);

  const attachments: ExportAttachment[] = attachmentRows.map((row) => ({
    id: row.id,
    conversationId: row.conversationId,
    messageId: row.messageId,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
    path: `attachments/${row.id}/${zipSafeName(row.fileName)}`,
    storageKey: row.storageKey,
  }));
  const filesOf = (messageId: string) => attachments.filter((file) => file.messageId === messageId).map((file) => file.path);

  const { visitorKey: _visitorKey, ...profile } = customer;
  const document = {
    format: 'seamless-contact-export',
    version: exportFormatVersion,
    exportedAt: new Date().toISOString(),
    profile,
    conversations: conversations.map(({ messages, channel, idempotencyKey: _key, ...conversation }) => ({
      ...conversation,
      channel,
      messages: messages.map((message) => ({
        id: message.id,
        authorKind: message.authorKind,
        authorName: message.authorKind === 'customer' ? customer.name : (message.authorUser?.name ?? null),
        body: message.body,
        private: message.private,
        metadata: message.metadata,
        createdAt: message.createdAt,
        email: message.outboundEmail,
        attachments: filesOf(message.id),
      })),
    })),
    tickets: tickets.map(({ conversations: links, idempotencyKey: _key, ...ticket }) => ({
      ...ticket,
      conversationIds: links.map((link) => link.conversationId),
    })),
    csat: events
      .filter((event) => event.type === csatEventType)
      .map((event) => ({ conversationId: event.conversationId, occurredAt: event.occurredAt, ...event.payload })),
    events,
    attachments: attachments.map(({ storageKey: _key, ...file }) => file),
    emails: emails.map((email) => ({ ...email, path: `emails/${email.id}.eml` })),
  };
  const counts: DataRightsCounts = {
    conversations: conversations.length,
    messages: conversations.reduce((sum, conversation) => sum + conversation.messages.length, 0),
    tickets: tickets.length,
    events: events.length,
    csat: document.csat.length,
    attachments: attachments.length,
    emails: emails.length,
  };
  return { document, attachments, emailIds: emails.map((email) => email.id), counts };
}

const readmeText = `Seamless — a contact's data export

profile.json           the contact's record: name, email, phone, company, language, tags, notes,
                       custom attributes, when they were created and last seen
conversations.json     every conversation with its messages, oldest first (private notes of the
                       agents included; "attachments" name files under attachments/)
tickets.json           every ticket and the conversations it is linked to
events.json            the journey: every recorded event of the contact, their conversations
                       and tickets, oldest first (what happened, when, by whom)
csat.json              the satisfaction ratings they gave
attachments/<id>/<name> the files of their conversations, byte for byte as stored
emails/<id>.eml        every email they sent, as received (raw MIME)
export.json            all of the above in one document (files and emails by path)

Times are UTC (ISO 8601). Format: seamless-contact-export, version ${exportFormatVersion}.
`;

export interface ExportDeps {
  db: Db;
  store: AttachmentStore;
}

/**
 * The export's JSON document and the audit event `customer.exported` (counts only); 404 when there
 * is no such customer. `format` says which the admin downloaded.
 */
export async function exportCustomerJson(deps: ExportDeps, input: { customerId: string; adminId: string }) {
  const data = await collectCustomerData(deps.db, input.customerId);
  if (!data) throw notFound('Customer');
  await deps.db.$transaction((tx) =>
    recordAudit(tx, {
      type: 'customer.exported',
      adminId: input.adminId,
      before: null,
      after: null,
      details: { customerId: input.customerId, counts: data.counts, format: 'json' },
    }),
  );
  return data.document;
}

/**
 * Streams the zip into `out` (an HTTP response): the documents, then each file from the store and
 * each email's raw MIME. Throws 404 before writing anything when there is no such customer.
 */
export async function exportCustomerZip(deps: ExportDeps, input: { customerId: string; adminId: string }, start: () => Writable): Promise<void> {
  const data = await collectCustomerData(deps.db, input.customerId);
  if (!data) throw notFound('Customer');
  await deps.db.$transaction((tx) =>
    recordAudit(tx, {
      type: 'customer.exported',
      adminId: input.adminId,
      before: null,
      after: null,
      details: { customerId: input.customerId, counts: data.counts, format: 'zip' },
    }),
  );
  const out = start();
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const finished = new Promise<void>((resolve, reject) => {
    archive.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
  });
  archive.pipe(out);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const { document } = data;
  archive.append(readmeText, { name: 'README.txt' });
  archive.append(json(document.profile), { name: 'profile.json' });
  archive.append(json(document.conversations), { name: 'conversations.json' });
  archive.append(json(document.tickets), { name: 'tickets.json' });
  archive.append(json(document.events), { name: 'events.json' });
  archive.append(json(document.csat), { name: 'csat.json' });
  archive.append(json(document), { name: 'export.json' });
  for (const file of data.attachments) {
    const content = await deps.store.stream(file.storageKey);
    if (content) archive.append(content, { name: file.path });
  }
  for (const id of data.emailIds) {
    const email = await deps.db.inboundEmail.findUnique({ where: { id }, select: { raw: true } });
    if (email) archive.append(Buffer.from(email.raw), { name: `emails/${id}.eml` });
  }
  await archive.finalize();
  await finished;
}
