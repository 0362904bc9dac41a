// The knowledge-base search contract. Two backends implement it: PostgreSQL full-text search with
// trigram typo tolerance (the default, postgres-search.ts) and Meilisearch (meili-search.ts, when
// MEILI_URL is set). Callers choose through create-search.ts and never know which one runs.
import type { ArticleHit } from '../../contract/views.js';

/** A hit as the API returns it (the widget's search, suggested articles). */
export type SearchHit = ArticleHit;

/** What both backends read of a matching article to build its hit (`body` feeds the snippet). */
export interface SearchedArticle {
  id: string;
  groupId: string;
  locale: string;
  slug: string;
  title: string;
  body: string;
}

export interface SearchOptions {
  /** Only articles in this locale ('en', 'zh-CN'); all locales when absent. */
  locale?: string;
  /** At most this many hits (default 10, at most 50). */
  limit?: number;
  /** Hide drafts (public endpoints). */
  publishedOnly?: boolean;
}

export interface KnowledgeSearch {
  /**
   * Brings the index up to date with the article's row: adds, replaces, or — when the row is
   * gone — removes it. Idempotent; call it after the write has committed.
   */
  indexArticle(id: string): Promise<void>;
  /**
   * The best matches first. A query without a searchable word (blank, punctuation, stopwords
   * only) finds nothing. The behaviour both backends owe: test/support/knowledge-search-contract.ts.
   */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
}

export const defaultSearchLimit = 10;
export const maxSearchLimit = 50;

export function searchLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return defaultSearchLimit;
  return Math.max(1, Math.min(maxSearchLimit, Math.trunc(limit)));
}

/** Plain text of a Markdown body: no markup characters, collapsed whitespace. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#*_`>|~]+/g, ' ')
    .replace(/^\s*[-+]\s+/gm, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** About `length` characters of the body, starting a little before the first of `words` found. */
export function snippetOf(body: string, words: readonly string[], length = 160): string {
  const text = plainText(body);
  const lower = text.toLowerCase();
  let at = -1;
  for (const word of words) {
    const found = lower.indexOf(word);
    if (found !== -1 && (at === -1 || found < at)) at = found;
  }
  const start = at <= 40 ? 0 : at - 40;
  const cut = text.slice(start, start + length);
  return `${start > 0 ? '…' : ''}${cut}${start + length < text.length ? '…' : ''}`;
}
