// A ScheduledMessage row as the API and its events show it (contract/scheduled-messages.ts).
import type { ScheduledMessageView } from '../contract/scheduled-messages.js';
import type { ScheduledMessage } from '../prisma/generated/client.js';
import type { Db, Tx } from './db.js';

export function toScheduledMessageView(row: ScheduledMessage, authorName: string | null): ScheduledMessageView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    authorId: row.authorId,
    authorName,
    body: row.body,
    sendAt: row.sendAt.toISOString(),
    status: row.status,
    failureReason: row.failureReason,
    messageId: row.messageId,
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The views of rows, with their authors' names (one query). */
export async function scheduledMessageViews(db: Db | Tx, rows: readonly ScheduledMessage[]): Promise<ScheduledMessageView[]> {
  const authorIds = [...new Set(rows.map((row) => row.authorId))];
  const authors = authorIds.length ? await db.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(authors.map((author) => [author.id, author.name]));
  return rows.map((row) => toScheduledMessageView(row, names.get(row.authorId) ?? null));
}

export async function scheduledMessageView(db: Db | Tx, row: ScheduledMessage): Promise<ScheduledMessageView> {
  return (await scheduledMessageViews(db, [row]))[0]!;
}
