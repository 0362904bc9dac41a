// Read-only queries of conversations and their messages, for the console (with the visibility
// rule of domain/visibility.ts as a database filter) and for the widget (a customer's own).
import type { StaffViewer } from '../../domain/visibility.js';
import { messagePreview } from '../../contract/message-preview.js';
import type { ConversationListQuery } from '../../contract/requests/conversations.js';
import type { MessagePreview } from '../../contract/views.js';
import { inBothChineseScripts } from '../../infra/chinese-text.js';
import type { Db } from '../../infra/db.js';
import { conversationInclude, messageInclude, toConversationView, toMessageView } from '../../infra/views.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { escapeLike } from '../admin-fields.js';

/** Rows one inbox page shows at most, newest activity first. */
export const conversationPageSize = 200;
/** Conversations the widget lists for its visitor, newest first. */
export const widgetConversationPageSize = 50;

/** The same rule as domain/visibility.ts, as a database filter. */
export function conversationsVisibleTo(viewer: StaffViewer): Prisma.ConversationWhereInput {
  if (viewer.kind === 'integration' || viewer.role === 'admin') return {};
  return { OR: [{ assigneeId: viewer.userId }, { teamId: null }, ...(viewer.teamId ? [{ teamId: viewer.teamId }] : [])] };
}

/**
 * Conversations whose customer or messages contain the text (case-insensitive), in either Chinese
 * script: messages are stored as customers typed them, 被盗 or 被盜.
 */
export function conversationTextMatch(text: string): Prisma.ConversationWhereInput {
  return {
    OR: inBothChineseScripts(text).flatMap((variant) => {
      const contains = { contains: escapeLike(variant), mode: 'insensitive' as const };
      return [{ customer: { name: contains } }, { customer: { email: contains } }, { messages: { some: { body: contains } } }];
    }),
  };
}

/**
 * The `assignee` filter of the conversation and ticket lists: 'me' is the signed-in user (an
 * integration has none, and the routes refuse it), 'unassigned' nobody.
 */
export function assigneeFilter(viewer: StaffViewer, assignee: 'me' | 'unassigned' | undefined): { assigneeId?: string | null } {
  if (assignee === 'me') return { assigneeId: viewer.kind === 'user' ? viewer.userId : null };
  if (assignee === 'unassigned') return { assigneeId: null };
  return {};
}

/** The inbox: what the viewer may see, narrowed by the query's filters. */
export async function findConversations(db: Db, viewer: StaffViewer, query: ConversationListQuery) {
  const where: Prisma.ConversationWhereInput = {
    AND: [
      conversationsVisibleTo(viewer),
      query.status ? { status: query.status } : {},
      assigneeFilter(viewer, query.assignee),
      query.priority ? { priority: query.priority } : {},
      query.tag ? { tags: { has: query.tag } } : {},
      query.q ? conversationTextMatch(query.q) : {},
    ],
  };
  const rows = await db.conversation.findMany({ where, include: conversationInclude, orderBy: { lastMessageAt: 'desc' }, take: conversationPageSize });
  const previews = await lastMessagePreviews(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...toConversationView(row), lastMessage: previews.get(row.id) ?? null }));
}

/**
 * The last message of each conversation as its inbox row previews it (contract/message-preview.ts),
 * notes included, like lastMessageAt: one index lookup per conversation, newest first.
 */
export async function lastMessagePreviews(db: Db, conversationIds: readonly string[]): Promise<Map<string, MessagePreview>> {
  if (conversationIds.length === 0) return new Map();
  const last = await db.$queryRaw<{ id: string }[]>`
    SELECT m.id FROM unnest(${[...conversationIds]}::uuid[]) AS c(id)
    CROSS JOIN LATERAL (SELECT id FROM "Message" WHERE "conversationId" = c.id ORDER BY "createdAt" DESC, id DESC LIMIT 1) m`;
  const messages = await db.message.findMany({
    where: { id: { in: last.map((row) => row.id) } },
    select: {
      conversationId: true,
      authorKind: true,
      private: true,
      body: true,
      metadata: true,
      createdAt: true,
      attachments: { select: { fileName: true }, orderBy: [{ createdAt: 'asc' }, { position: 'asc' }, { id: 'asc' }] },
    },
  });
  return new Map(messages.map((message) => [message.conversationId, messagePreview({ ...message, createdAt: message.createdAt.toISOString() })]));
}

/** Every message of a conversation, notes included, oldest first (the caller has checked it may see the conversation). */
export async function findMessages(db: Db, conversationId: string) {
  const rows = await db.message.findMany({ where: { conversationId }, include: messageInclude, orderBy: { createdAt: 'asc' } });
  return rows.map(toMessageView);
}

/** The customer's own conversations, newest first (staff views: the widget cuts them down). */
export async function findCustomerConversations(db: Db, customerId: string) {
  const rows = await db.conversation.findMany({
    where: { customerId },
    include: conversationInclude,
    orderBy: { createdAt: 'desc' },
    take: widgetConversationPageSize,
  });
  return rows.map(toConversationView);
}

/** The conversation if it is this customer's, else null (whether it exists for someone else is not told). */
export function findOwnConversation(db: Db, customerId: string, conversationId: string) {
  return db.conversation.findFirst({ where: { id: conversationId, customerId } });
}

/** The messages a customer may read: everything but private notes, oldest first. */
export async function findPublicMessages(db: Db, conversationId: string) {
  const rows = await db.message.findMany({ where: { conversationId, private: false }, include: messageInclude, orderBy: { createdAt: 'asc' } });
  return rows.map(toMessageView);
}

/** The text of the customer's first message, or null before they wrote (what suggested articles are about). */
export async function findFirstCustomerMessage(db: Db, conversationId: string): Promise<string | null> {
  const first = await db.message.findFirst({
    where: { conversationId, authorKind: 'customer' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { body: true },
  });
  return first?.body ?? null;
}

/** The last `count` public messages, oldest first: what the AI reads to draft a reply. */
export async function findRecentTranscript(db: Db, conversationId: string, count: number) {
  const recent = await db.message.findMany({ where: { conversationId, private: false }, orderBy: { createdAt: 'desc' }, take: count });
  return recent.reverse().map((message) => ({ authorKind: message.authorKind, body: message.body }));
}
