// GET /api/search (issue 21): the inbox search (conversation-finder.ts, every status unless one is
// asked for) with where each conversation matched, and the tickets whose subject, description or
// customer holds the text, under the same visibility rule. Snippets are cut here from the matched
// text (domain/search-snippet.ts): plain text and match ranges, never markup.
import { isConversationStatus, isTicketStatus, ticketSearchLimit, type SearchMatch, type SearchQuery, type SearchResults } from '../../contract/search.js';
import type { ConversationView, TicketView } from '../../contract/views.js';
import { searchSnippet } from '../../domain/search-snippet.js';
import type { StaffViewer } from '../../domain/visibility.js';
import { inBothChineseScripts } from '../../infra/chinese-text.js';
import type { Db } from '../../infra/db.js';
import { ticketInclude, toTicketView } from '../../infra/views.js';
import { Prisma } from '../../prisma/generated/client.js';
import { findConversations, likeAny, likePatterns, shortSearchWalk, trigramLength, visibleSql } from './conversation-finder.js';

/**
 * One page of results. `withTickets`: the caller may read tickets (an API key needs tickets:read);
 * tickets come with the first page only.
 */
export async function search(db: Db, viewer: StaffViewer, query: SearchQuery, withTickets: boolean): Promise<SearchResults> {
  const variants = inBothChineseScripts(query.q);
  const status = query.status;
  const [page, tickets] = await Promise.all([
    status && !isConversationStatus(status)
      ? { conversations: [], nextCursor: null }
      : findConversations(db, viewer, { q: query.q, status, cursor: query.cursor, limit: query.limit }),
    withTickets && !query.cursor && (!status || isTicketStatus(status)) ? findTickets(db, viewer, query.q, status) : [],
  ]);
  const messages = await matchingMessages(
    db,
    page.conversations.map((conversation) => conversation.id),
    query.q,
  );
  return {
    conversations: page.conversations.map((conversation) => ({
      conversation,
      match: conversationMatch(conversation, messages.get(conversation.id), variants),
    })),
    tickets: tickets.map((ticket) => ({ ticket, match: ticketMatch(ticket, variants) })),
    nextCursor: page.nextCursor,
  };
}

/** Per conversation, its newest message holding the text (notes included: agents read them). */
async function matchingMessages(db: Db, conversationIds: readonly string[], text: string): Promise<Map<string, { id: string; body: string }>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ conversationId: string; id: string; body: string }[]>`
    SELECT DISTINCT ON (m."conversationId") m."conversationId", m.id, m.body FROM "Message" m
    WHERE m."conversationId" = ANY(${[...conversationIds]}::uuid[]) AND ${likeAny(Prisma.sql`m.body`, likePatterns(text))}
    ORDER BY m."conversationId", m."createdAt" DESC, m.id DESC`;
  return new Map(rows.map((row) => [row.conversationId, { id: row.id, body: row.body }]));
}

/** The first field that shows the text, in the order a reader looks: what was written, then the subject, then who wrote. */
function firstMatch(fields: readonly [SearchMatch['field'], string | null | undefined, string | null][], variants: readonly string[]): SearchMatch | null {
  for (const [field, text, messageId] of fields) {
    const snippet = text ? searchSnippet(text, variants) : null;
    if (snippet) return { field, messageId, ...snippet };
  }
  return null;
}

function conversationMatch(conversation: ConversationView, message: { id: string; body: string } | undefined, variants: readonly string[]) {
  return firstMatch(
    [
      ['message', message?.body, message?.id ?? null],
      ['subject', conversation.subject, null],
      ['customer_name', conversation.customer.name, null],
      ['customer_email', conversation.customer.email, null],
    ],
    variants,
  );
}

function ticketMatch(ticket: TicketView, variants: readonly string[]) {
  return firstMatch(
    [
      ['subject', ticket.subject, null],
      ['description', ticket.description, null],
      ['customer_name', ticket.customer.name, null],
      ['customer_email', ticket.customer.email, null],
    ],
    variants,
  );
}

/** The newest tickets the viewer may see whose subject, description or customer holds the text. */
async function findTickets(db: Db, viewer: StaffViewer, text: string, status: SearchQuery['status']): Promise<TicketView[]> {
  const patterns = likePatterns(text);
  const t = Prisma.raw('t');
  const filters = Prisma.join([visibleSql(viewer, t), status ? Prisma.sql`t.status = ${status}::"TicketStatus"` : Prisma.sql`TRUE`], ' AND ');
  const matches = Prisma.sql`(${likeAny(Prisma.sql`t.subject`, patterns)} OR ${likeAny(Prisma.sql`t.description`, patterns)}
    OR t."customerId" IN (SELECT cu.id FROM "Customer" cu WHERE ${likeAny(Prisma.sql`cu.name`, patterns)} OR ${likeAny(Prisma.sql`cu.email`, patterns)}))`;
  // Too short for a trigram: no index finds it, so look among the newest tickets only (as the inbox does).
  const from =
    [...text].length < trigramLength
      ? Prisma.sql`(SELECT * FROM "Ticket" t WHERE ${filters} ORDER BY t."createdAt" DESC, t.id DESC LIMIT ${shortSearchWalk}) t`
      : Prisma.sql`"Ticket" t`;
  const found = await db.$queryRaw<{ id: string }[]>`
    SELECT t.id FROM ${from} WHERE ${filters} AND ${matches} ORDER BY t."createdAt" DESC, t.id DESC LIMIT ${ticketSearchLimit}`;
  const ids = found.map((row) => row.id);
  const rows = await db.ticket.findMany({ where: { id: { in: ids } }, include: ticketInclude });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((ticketId) => {
    const row = byId.get(ticketId);
    return row ? [toTicketView(row)] : [];
  });
}
