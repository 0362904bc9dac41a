// What an answer may carry to an API key: only what its scopes let it read. A key that may write
// a kind of thing without reading it (`tickets:write` without `tickets:read`) gets a receipt of
// what it wrote (id, number, status, time), never content the write produced or drew in: the
// words of the conversation a ticket was raised from, the customer's name and email. Nor does a
// write copy in what the key may not read: a ticket raised from a conversation takes its text
// from it only for a caller with `conversations:read`, or `tickets:read` would show it. People
// (agents, admins) read everything they may see, so they get the full view. docs/PERMISSIONS.md
// states the rule ("What an answer carries").
import type { ApiScope } from '../domain/api-scopes.js';
import type { StaffViewer } from '../domain/visibility.js';
import type { TicketView } from '../infra/views.js';
import { passesScope } from './authentication.js';
import type { ArticleView } from './services/knowledge-service.js';

/** Whether the caller may read things of the scope's kind: people always, a key when it holds the scope. */
export const mayRead = (caller: StaffViewer, scope: ApiScope & `${string}:read`): boolean => passesScope(caller, scope);

/** What a caller that wrote a ticket but may not read tickets learns of it. */
export type TicketReceipt = Pick<TicketView, 'id' | 'number' | 'status' | 'createdAt'>;

/** A ticket in the answer to a write: the full view for a caller that may read tickets, else its receipt. */
export function ticketAnswer(caller: StaffViewer, ticket: TicketView): TicketView | TicketReceipt {
  if (mayRead(caller, 'tickets:read')) return ticket;
  return { id: ticket.id, number: ticket.number, status: ticket.status, createdAt: ticket.createdAt };
}

/** What a caller that edited an article but may not read articles learns of it. */
export type ArticleReceipt = Pick<ArticleView, 'id' | 'slug' | 'locale' | 'status' | 'version' | 'updatedAt'>;

/** An article in the answer to a write: the full view for a caller that may read articles, else its receipt. */
export function articleAnswer(caller: StaffViewer, article: ArticleView): ArticleView | ArticleReceipt {
  if (mayRead(caller, 'knowledge:read')) return article;
  return { id: article.id, slug: article.slug, locale: article.locale, status: article.status, version: article.version, updatedAt: article.updatedAt };
}
