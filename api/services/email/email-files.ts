// The files of a mail that starts a conversation: stored (bytes) before the conversation exists,
// their rows written in the conversation's own transaction (startConversation's withFiles), so the
// first message.created already lists them, as it does for a mail that continues a conversation.
// A mail that continues one binds its files in the message statement (stageEmailAttachments).
import type { AttachmentStore } from '../../../infra/attachments/attachment-store.js';
import { displayFileName } from '../../../infra/attachments/sniff.js';
import type { Db, Tx } from '../../../infra/db.js';
import type { EmailAttachmentInput } from '../attachments.js';

export interface PreparedEmailFile {
  position: number;
  key: string;
  size: number;
  sha256: string;
  contentType: string;
  fileName: string;
  inlineCid: string | null;
}

/** Stores the bytes of each file of the mail that has no row yet (a retry stores only what is missing). */
export async function putEmailFiles(
  db: Db,
  store: AttachmentStore,
  inboundEmailId: string,
  attachments: readonly EmailAttachmentInput[],
): Promise<PreparedEmailFile[]> {
  if (attachments.length === 0) return [];
  const present = new Set((await db.attachment.findMany({ where: { inboundEmailId }, select: { position: true } })).map((row) => row.position));
  const prepared: PreparedEmailFile[] = [];
  try {
    for (const [position, attachment] of attachments.entries()) {
      if (present.has(position)) continue;
      const put = await store.put(attachment.content, { maxBytes: Math.max(attachment.content.length, 1) });
      if (!put.ok) continue; // empty parts only: the pipeline already refused oversize mail
      const { key, size, sha256, contentType } = put.stored;
      prepared.push({
        position,
        key,
        size,
        sha256,
        contentType,
        fileName: displayFileName(attachment.fileName) ?? (attachment.inline ? 'image' : 'attachment'),
        inlineCid: attachment.inline ? attachment.contentId : null,
      });
    }
  } catch (error) {
    await discardEmailFiles(store, prepared);
    throw error;
  }
  return prepared;
}

/** Inside the conversation's transaction: the rows of the stored files, and any left unbound by an earlier attempt, bound to the first message. */
export async function insertEmailFiles(
  tx: Tx,
  prepared: readonly PreparedEmailFile[],
  target: { inboundEmailId: string; conversationId: string; messageId: string; customerId: string },
): Promise<void> {
  if (prepared.length > 0) {
    await tx.attachment.createMany({
      data: prepared.map((file) => ({
        conversationId: target.conversationId,
        messageId: target.messageId,
        uploaderKind: 'customer' as const,
        uploaderId: target.customerId,
        storageKey: file.key,
        size: file.size,
        sha256: file.sha256,
        contentType: file.contentType,
        fileName: file.fileName,
        inlineCid: file.inlineCid,
        inboundEmailId: target.inboundEmailId,
        position: file.position,
      })),
    });
  }
  await tx.attachment.updateMany({
    where: { inboundEmailId: target.inboundEmailId, messageId: null },
    data: { conversationId: target.conversationId, messageId: target.messageId },
  });
}

/** The stored files of an attempt whose transaction did not run or did not commit. */
export async function discardEmailFiles(store: AttachmentStore, prepared: readonly PreparedEmailFile[]): Promise<void> {
  for (const file of prepared) await store.delete(file.key).catch(() => false);
}
