// The files a message sends by mail (issue 17): its Attachment rows (api/services/attachments.ts
// binds them with the message), read back from the attachment store the API wrote them to, in the
// order the message view lists them. A file missing from the store cannot come back by retrying:
// the send fails for good, saying which file, rather than sending the mail without it.
import { ApplicationFailure } from '@temporalio/activity';
import type { AttachmentStore } from '../infra/attachments/attachment-store.js';
import type { Db } from '../infra/db.js';
import type { OutgoingAttachment } from '../infra/email/mailer.js';
import { emailFailures } from '../workflows/email-delivery.messages.js';

export async function mailAttachmentsOf(db: Db, store: AttachmentStore | undefined, messageId: string): Promise<OutgoingAttachment[]> {
  const rows = await db.attachment.findMany({
    where: { messageId },
    select: { fileName: true, contentType: true, storageKey: true },
    orderBy: [{ createdAt: 'asc' }, { position: 'asc' }, { id: 'asc' }],
  });
  if (rows.length === 0) return [];
  if (!store)
    throw ApplicationFailure.nonRetryable('The message has files, and the worker has no attachment store to read them from.', emailFailures.notConfigured);
  const files: OutgoingAttachment[] = [];
  for (const row of rows) {
    const content = await store.read(row.storageKey);
    if (!content) throw ApplicationFailure.nonRetryable(`The file "${row.fileName}" is missing from the attachment store.`, emailFailures.notConfigured);
    files.push({ fileName: row.fileName, contentType: row.contentType, content });
  }
  return files;
}
