// Read-only queries of conversations and their messages, for the console (with the visibility
// rule of domain/visibility.ts as a database filter) and for the widget (a customer's own).
import type { StaffViewer } from '../../domain/visibility.js';
import { messagePreview } from '../../contract/message-preview.js';
import type { ConversationListQuery, MessageListQuery } from '../../contract/requests/conversations.js';
import { unreadCountCap, type ConversationPage, type MessagePage, type MessagePreview } from '../../contract/views.js';
import { inBothChineseScripts } from '../../infra/chinese-text.js';
import type { Db } from '../../infra/db.js';
import { conversationInclude, messageInclude, toConversationView, toMessageView } from '../../infra/views.js';
import { Prisma } from '../../prisma/generated/client.js';
import { escapeLike } from '../admin-fields.js';
import { decodeCursor, encodeCursor, pageOf, type KeysetPosition } from './keyset.js';

/** Rows an inbox page holds unless the caller asks for another size (up to contract maxPageSize). */
export const conversationPageSize = 50;
/** Messages a page of a conversation holds unless the caller asks for another size. */
export const messagePageSize = 50;
/**
 * Conversations a search by 1-2 characters looks through per page: such a query holds no trigram,
 * so no index can find its messages; walking the inbox in its order with a bound keeps each page
 * cheap, and the cursor carries on from where the walk stopped.
 */
export const shortSearchWalk = 1000;
/** A search this long or longer uses the trigram indexes (prisma/migrations/*_inbox_paging). */
export const trigramLength = 3;
/** Conversations the widget lists for its visitor, newest first. */
export const widgetConversationPageSize = 50;

/** The same rule as domain/visibility.ts, as a database filter. */
export function conversationsVisibleTo(viewer: StaffViewer): Prisma.ConversationWhereInput {
  if (viewer.kind === 'integration' || viewer.role === 'admin') return {};
  return { OR: [{ assigneeId: viewer.userId }, { teamId: null }, ...(viewer.teamId ? [{ teamId: viewer.teamId }] : [])] };
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

/** The same rule as conversationsVisibleTo, as SQL over the conversation (or ticket: the same rule) named `row`. */
export function visibleSql(viewer: StaffViewer, row: Prisma.Sql = Prisma.raw('c')): Prisma.Sql {
  if (viewer.kind === 'integration' || viewer.role === 'admin') return Prisma.sql`TRUE`;
  const team = viewer.teamId ? Prisma.sql` OR ${row}."teamId" = ${viewer.teamId}::uuid` : Prisma.empty;
  return Prisma.sql`(${row}."assigneeId" = ${viewer.userId}::uuid OR ${row}."teamId" IS NULL${team})`;
}

/** What the viewer may see, narrowed by the query's filters (not the text), from the keyset position on. */
function inboxFilters(viewer: StaffViewer, query: ConversationListQuery, after: KeysetPosition | null): Prisma.Sql {
  const assignee = assigneeFilter(viewer, query.assignee);
  const conditions = [
    visibleSql(viewer),
    query.status ? Prisma.sql`c.status = ${query.status}::"ConversationStatus"` : null,
    'assigneeId' in assignee ? (assignee.assigneeId ? Prisma.sql`c."assigneeId" = ${assignee.assigneeId}::uuid` : Prisma.sql`c."assigneeId" IS NULL`) : null,
    query.priority ? Prisma.sql`c.priority = ${query.priority}::"Priority"` : null,
    query.tag ? Prisma.sql`${query.tag} = ANY(c.tags)` : null,
    // Stored times are UTC without a zone: the ISO string cast to timestamp compares like for like.
    after ? Prisma.sql`(c."lastMessageAt", c.id) < (${after.at.toISOString()}::timestamp(3), ${after.id}::uuid)` : null,
  ];
  return Prisma.join(
    conditions.filter((condition) => condition !== null),
    ' AND ',
  );
}

const newestFirst = Prisma.sql`ORDER BY c."lastMessageAt" DESC, c.id DESC`;

/** `text` as ILIKE patterns, in either Chinese script (messages are stored as typed: 被盗 or 被盜). */
export const likePatterns = (text: string) => inBothChineseScripts(text).map((variant) => `%${escapeLike(variant)}%`);
/** `column` ILIKE any of the patterns, spelled as ORs: a GIN index serves each, which it cannot for ILIKE ANY(array). */
export const likeAny = (column: Prisma.Sql, patterns: readonly string[]) =>
  Prisma.sql`(${Prisma.join(
    patterns.map((pattern) => Prisma.sql`${column} ILIKE ${pattern}`),
    ' OR ',
  )})`;

/** A search too short for a trigram: searched by a bounded walk (shortSearchWalk). */
const isShortSearch = (query: ConversationListQuery) => query.q !== undefined && [...query.q].length < trigramLength;

interface ListedRow {
  id: string;
  lastMessageAt: Date;
}

/**
 * The ids of one inbox page, as the statement the bench explains too (bench/large-data.ts). Without
 * text: an index range scan down (lastMessageAt, id). With text of 3+ characters: the conversations
 * with a matching message (trigram index on the bodies) merged with those of a matching customer
 * (trigram indexes on name and email) and those of a matching subject (its trigram index,
 * *_search_trigrams), each limited to the page; PostgreSQL chooses per query
 * between finding the matches first (a rare word) and walking the inbox checking each (a common one).
 * Shorter text: see shortSearchWalk.
 */
export function inboxPageSql(viewer: StaffViewer, query: ConversationListQuery, after: KeysetPosition | null, limit: number): Prisma.Sql {
  const filters = inboxFilters(viewer, query, after);
  if (!query.q) return Prisma.sql`SELECT c.id, c."lastMessageAt" FROM "Conversation" c WHERE ${filters} ${newestFirst} LIMIT ${limit}`;
  const patterns = likePatterns(query.q);
  const messageLike = likeAny(Prisma.sql`m.body`, patterns);
  const customerLike = Prisma.sql`(${likeAny(Prisma.sql`cu.name`, patterns)} OR ${likeAny(Prisma.sql`cu.email`, patterns)})`;
  if (isShortSearch(query)) {
    return Prisma.sql`
      SELECT w.id, w."lastMessageAt",
        (EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = w.id AND ${messageLike})
          OR EXISTS (SELECT 1 FROM "Customer" cu WHERE cu.id = w."customerId" AND ${customerLike})
          OR ${likeAny(Prisma.sql`w.subject`, patterns)}) AS matches
      FROM (SELECT c.id, c."lastMessageAt", c."customerId", c.subject FROM "Conversation" c WHERE ${filters} ${newestFirst} LIMIT ${shortSearchWalk}) w
      ORDER BY w."lastMessageAt" DESC, w.id DESC`;
  }
  return Prisma.sql`
    SELECT found.id, found."lastMessageAt" FROM (
      (SELECT c.id, c."lastMessageAt" FROM "Conversation" c WHERE ${filters} AND c.id IN (SELECT m."conversationId" FROM "Message" m WHERE ${messageLike}) ${newestFirst} LIMIT ${limit})
      UNION
      (SELECT c.id, c."lastMessageAt" FROM "Conversation" c WHERE ${filters} AND c."customerId" IN (SELECT cu.id FROM "Customer" cu WHERE ${customerLike}) ${newestFirst} LIMIT ${limit})
      UNION
      (SELECT c.id, c."lastMessageAt" FROM "Conversation" c WHERE ${filters} AND ${likeAny(Prisma.sql`c.subject`, patterns)} ${newestFirst} LIMIT ${limit})
    ) found
    ORDER BY found."lastMessageAt" DESC, found.id DESC LIMIT ${limit}`;
}

/**
 * The inbox, a keyset page at a time: what the viewer may see, narrowed by the query's filters,
 * newest activity first (ties by id). Each row carries its last message's preview.
 */
export async function findConversations(db: Db, viewer: StaffViewer, query: ConversationListQuery): Promise<ConversationPage> {
  const after = decodeCursor('conversations', query.cursor);
  const limit = query.limit ?? conversationPageSize;
  const listed = await db.$queryRaw<(ListedRow & { matches?: boolean })[]>(inboxPageSql(viewer, query, after, limit + 1));
  let page: ListedRow[];
  let nextCursor: string | null;
  if (isShortSearch(query)) {
    // A short search: the walk's matches; when the page is not full, carry on after the walk.
    const matches = listed.filter((row) => row.matches);
    ({ page, nextCursor } = pageOf('conversations', matches, limit, positionOf));
    const walked = listed.at(-1);
    if (nextCursor === null && walked && listed.length === shortSearchWalk) nextCursor = encodeCursor('conversations', positionOf(walked));
  } else {
    ({ page, nextCursor } = pageOf('conversations', listed, limit, positionOf));
  }
  const ids = page.map((row) => row.id);
  // The rows, their previews and their reading state at once: one round trip's wait instead of their sum.
  const [rows, previews, reading] = await Promise.all([
    db.conversation.findMany({ where: { id: { in: ids } }, include: conversationInclude }),
    lastMessagePreviews(db, ids),
    readingStates(db, ids, viewer.kind === 'user' ? viewer.userId : null),
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const conversations = page.flatMap((listedRow) => {
    const row = byId.get(listedRow.id);
    if (!row) return [];
    const state = reading.get(row.id);
    return [
      {
        ...toConversationView(row),
        lastMessage: previews.get(row.id) ?? null,
        waitingSince: state?.waitingSince?.toISOString() ?? null,
        ...(viewer.kind === 'user' ? { unreadCount: state?.unread ?? 0 } : {}),
      },
    ];
  });
  return { conversations, nextCursor };
}

const positionOf = (row: { id: string; lastMessageAt: Date }): KeysetPosition => ({ at: row.lastMessageAt, id: row.id });

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

/**
 * Per conversation, in one statement (each part an index lookup in Message (conversationId,
 * createdAt) or ConversationRead's key): the customer's messages after the agent's read marker
 * (all of them before the agent first read it), counted up to unreadCountCap; and the customer's
 * oldest message after the last public agent reply (the bot's answers do not stop the clock:
 * the customer is waiting for a person). An integration (`userId` null) has no read marker.
 */
export async function readingStates(
  db: Db,
  conversationIds: readonly string[],
  userId: string | null,
): Promise<Map<string, { unread: number; waitingSince: Date | null }>> {
  if (conversationIds.length === 0) return new Map();
  const unread = userId
    ? Prisma.sql`(SELECT count(*)::int FROM (
        SELECT 1 FROM "Message" m WHERE m."conversationId" = c.id AND m."authorKind" = 'customer'
          AND m."createdAt" > COALESCE((SELECT r."readAt" FROM "ConversationRead" r WHERE r."conversationId" = c.id AND r."userId" = ${userId}::uuid), '-infinity'::timestamp)
        LIMIT ${unreadCountCap}) u)`
    : Prisma.sql`0`;
  const rows = await db.$queryRaw<{ id: string; unread: number; waitingSince: Date | null }[]>`
    SELECT c.id, ${unread} AS unread,
      (SELECT m."createdAt" FROM "Message" m WHERE m."conversationId" = c.id AND m."authorKind" = 'customer'
        AND m."createdAt" > COALESCE((SELECT a."createdAt" FROM "Message" a WHERE a."conversationId" = c.id AND a."authorKind" = 'agent' AND NOT a.private
          ORDER BY a."createdAt" DESC LIMIT 1), '-infinity'::timestamp)
        ORDER BY m."createdAt" ASC LIMIT 1) AS "waitingSince"
    FROM unnest(${[...conversationIds]}::uuid[]) AS c(id)`;
  return new Map(rows.map((row) => [row.id, { unread: row.unread, waitingSince: row.waitingSince }]));
}

/**
 * A conversation's messages, notes included (the caller has checked it may see the conversation):
 * the newest page first, each page oldest first, the cursor leading to older messages.
 */
export async function findMessages(db: Db, conversationId: string, query: MessageListQuery = {}): Promise<MessagePage> {
  const before = decodeCursor('messages', query.cursor);
  const limit = query.limit ?? messagePageSize;
  const rows = await db.message.findMany({
    // `createdAt <= at` seeks in the (conversationId, createdAt) index; the OR only sorts out the ties.
    where: { conversationId, ...(before ? { createdAt: { lte: before.at }, OR: [{ createdAt: { lt: before.at } }, { id: { lt: before.id } }] } : {}) },
    include: messageInclude,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const { page, nextCursor } = pageOf('messages', rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
  return { messages: page.reverse().map(toMessageView), nextCursor };
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
