// The article list as pure functions: its filters (kept in the URL query), the rows shown with
// and without a search, and the live `knowledge.*` events folded in. A search answers with hits
// (title, snippet, score) that do not say whether an article is a draft; the rows join them with
// the summaries of the plain list, which do.
import type { EventView } from '../../../domain/events';
import { queryChoice, queryText } from '../shared/route-query';
import {
  articleLocales,
  articleStatuses,
  isArticleSummary,
  type ArticleHit,
  type ArticleLocale,
  type ArticleStatus,
  type ArticleSummary,
} from './article-types';

export const localeFilters = ['all', ...articleLocales] as const;
export type LocaleFilter = (typeof localeFilters)[number];
export const articleStatusFilters = ['all', ...articleStatuses] as const;
export type ArticleStatusFilter = (typeof articleStatusFilters)[number];

export interface ArticleFilter {
  locale: LocaleFilter;
  status: ArticleStatusFilter;
  /** Search words; empty lists every article. */
  q: string;
}

export const defaultArticleFilter: ArticleFilter = { locale: 'all', status: 'all', q: '' };

/** The API's limit on a search query. */
export const maxQueryLength = 200;

export function parseArticleFilter(query: Record<string, unknown>): ArticleFilter {
  return {
    locale: queryChoice(query, 'locale', localeFilters, 'all'),
    status: queryChoice(query, 'status', articleStatusFilters, 'all'),
    q: queryText(query, 'q', maxQueryLength),
  };
}

export function articleFilterQuery(filter: ArticleFilter): Record<string, string> {
  const query: Record<string, string> = {};
  if (filter.locale !== 'all') query.locale = filter.locale;
  if (filter.status !== 'all') query.status = filter.status;
  if (filter.q.trim()) query.q = filter.q.trim().slice(0, maxQueryLength);
  return query;
}

/** The query of GET /api/knowledge/articles for a filter (without `q`). */
export function listQueryOf(filter: ArticleFilter): { locale?: ArticleLocale; status?: ArticleStatus } {
  return {
    ...(filter.locale !== 'all' ? { locale: filter.locale } : {}),
    ...(filter.status !== 'all' ? { status: filter.status } : {}),
  };
}

export interface ArticleRow {
  id: string;
  title: string;
  locale: ArticleLocale;
  slug: string;
  category: string | null;
  /** Null for a hit whose summary is not loaded (the plain list stops at 500). */
  status: ArticleStatus | null;
  updatedAt: string | null;
  /** The search snippet, plain text; null without a search. */
  snippet: string | null;
}

export interface ArticleListState {
  summaries: readonly ArticleSummary[];
  /** Ids deleted while the list was open, so a search hit for one is not shown. */
  deleted: ReadonlySet<string>;
}

export const emptyArticleList: ArticleListState = { summaries: [], deleted: new Set() };

export function matchesArticleFilter(article: Pick<ArticleSummary, 'locale' | 'status'>, filter: ArticleFilter): boolean {
  return (filter.locale === 'all' || article.locale === filter.locale) && (filter.status === 'all' || article.status === filter.status);
}

const rowOf = (summary: ArticleSummary, snippet: string | null = null): ArticleRow => ({
  id: summary.id,
  title: summary.title,
  locale: summary.locale,
  slug: summary.slug,
  category: summary.category,
  status: summary.status,
  updatedAt: summary.updatedAt,
  snippet,
});

/**
 * The rows to show. Without hits: the summaries that fit the filter, last edited first. With
 * hits: in the search's order, each completed from its summary; a hit whose article was deleted,
 * or no longer fits the filter (unpublished while the list shows published ones), is left out.
 */
export function articleRows(state: ArticleListState, filter: ArticleFilter, hits: readonly ArticleHit[] | null): ArticleRow[] {
  if (hits === null) {
    return state.summaries
      .filter((summary) => matchesArticleFilter(summary, filter))
      .sort((a, b) => (a.updatedAt !== b.updatedAt ? (a.updatedAt < b.updatedAt ? 1 : -1) : a.id.localeCompare(b.id)))
      .map((summary) => rowOf(summary));
  }
  const byId = new Map(state.summaries.map((summary) => [summary.id, summary]));
  const rows: ArticleRow[] = [];
  for (const hit of hits) {
    if (state.deleted.has(hit.articleId)) continue;
    const summary = byId.get(hit.articleId);
    if (summary) {
      if (matchesArticleFilter(summary, filter)) rows.push(rowOf(summary, hit.snippet));
      continue;
    }
    const locale: ArticleLocale = hit.locale === 'zh-CN' ? 'zh-CN' : 'en';
    rows.push({ id: hit.articleId, title: hit.title, locale, slug: hit.slug, category: null, status: null, updatedAt: null, snippet: hit.snippet });
  }
  return rows;
}

/**
 * The list after a knowledge event (payload `{ article }`, a summary): created and updated ones
 * put in (an older version never replaces a newer one, so a replay changes nothing), deleted
 * ones taken out. Any other event gives back the same state.
 */
export function applyArticleEvent(state: ArticleListState, event: Pick<EventView, 'type' | 'payload'>): ArticleListState {
  if (!event.type.startsWith('knowledge.article_')) return state;
  const article = event.payload.article;
  if (!isArticleSummary(article)) return state;
  if (event.type === 'knowledge.article_deleted') return removeArticle(state, article.id);
  return upsertArticle(state, article);
}

/** Puts a saved article in (its summary), unless the list has a newer version already. */
export function upsertArticle(state: ArticleListState, article: ArticleSummary & { body?: string }): ArticleListState {
  if (state.deleted.has(article.id)) return state;
  const { body: _body, ...summary } = article;
  const index = state.summaries.findIndex((known) => known.id === summary.id);
  if (index === -1) return { ...state, summaries: [...state.summaries, summary] };
  if (state.summaries[index]!.version >= summary.version) return state;
  const summaries = [...state.summaries];
  summaries[index] = summary;
  return { ...state, summaries };
}

export function removeArticle(state: ArticleListState, id: string): ArticleListState {
  if (state.deleted.has(id) && !state.summaries.some((summary) => summary.id === id)) return state;
  return { summaries: state.summaries.filter((summary) => summary.id !== id), deleted: new Set(state.deleted).add(id) };
}

/** A fresh load: its summaries; ids deleted meanwhile stay out. */
export function replaceArticles(state: ArticleListState, summaries: readonly ArticleSummary[]): ArticleListState {
  // An event folded in while the request was out may carry a newer version than the answer.
  const known = new Map(state.summaries.map((summary) => [summary.id, summary]));
  return {
    ...state,
    summaries: summaries
      .filter((summary) => !state.deleted.has(summary.id))
      .map((summary) => {
        const seen = known.get(summary.id);
        return seen && seen.version > summary.version ? seen : summary;
      }),
  };
}
