// GET /api/search (issue 21): conversations and tickets of every status whose text holds the
// query, each with a snippet of where it matched. Snippets are plain text with match ranges
// (domain/search-snippet.ts), never markup: the console marks the ranges itself.
import { z } from 'zod';
import type { Snippet } from '../domain/search-snippet.js';
import { conversationStatuses, ticketStatuses, type ConversationStatus, type TicketStatus } from '../domain/vocabulary.js';
import { pageQuery } from './requests/common.js';
import type { ConversationView, TicketView } from './views.js';

/** A status of either kind: a conversation status narrows the conversations, a ticket status the tickets; the other kind is left out. */
/** The ticket statuses a conversation does not have. */
export const ticketOnlyStatuses = ['new', 'pending', 'on_hold', 'solved'] as const satisfies readonly TicketStatus[];
export const searchStatuses = [...conversationStatuses, ...ticketOnlyStatuses] as const;
export type SearchStatus = (typeof searchStatuses)[number];
export const isConversationStatus = (status: SearchStatus): status is ConversationStatus => (conversationStatuses as readonly string[]).includes(status);
export const isTicketStatus = (status: SearchStatus): status is TicketStatus => (ticketStatuses as readonly string[]).includes(status);

/** GET /api/search */
export const searchQuery = z.strictObject({
  /** A substring of a message, a subject, a ticket's description, or the customer's name or email; either Chinese script. */
  q: z.string().trim().min(1).max(200),
  status: z.enum(searchStatuses).optional(),
  ...pageQuery,
});
export type SearchQuery = z.infer<typeof searchQuery>;

/** Where a result matched. */
export const searchFields = ['message', 'subject', 'description', 'customer_name', 'customer_email'] as const;
export type SearchField = (typeof searchFields)[number];

export interface SearchMatch extends Snippet {
  field: SearchField;
  /** The matched message (field `message`), to scroll to; null otherwise. */
  messageId: string | null;
}

export interface ConversationSearchHit {
  conversation: ConversationView;
  /** Null only when the text matched in a way the snippet cannot show (a case folding the database and the browser disagree on). */
  match: SearchMatch | null;
}

export interface TicketSearchHit {
  ticket: TicketView;
  match: SearchMatch | null;
}

/**
 * One page: conversations newest activity first, keyset-paged by `nextCursor` as the inbox is;
 * tickets (newest first, up to ticketSearchLimit) on the first page only, and only for callers
 * who may read tickets.
 */
export interface SearchResults {
  conversations: ConversationSearchHit[];
  tickets: TicketSearchHit[];
  nextCursor: string | null;
}

/** Tickets the first page of a search holds at most. */
export const ticketSearchLimit = 20;
