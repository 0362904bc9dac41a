// The JSON shapes of the knowledge endpoints (api/README.md, `article`, `hit`) and the article
// vocabulary. Pure, so the list and editor logic and their tests need no session.
import type { ArticleHit } from '../shared/wire-types';

/** The locales articles are written in (the API's `articleLocales`). */
export const articleLocales = ['en', 'zh-CN'] as const;
export type ArticleLocale = (typeof articleLocales)[number];
export const articleStatuses = ['draft', 'published'] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

/** GET /api/knowledge/articles: an article without its body. */
export interface ArticleSummary {
  id: string;
  groupId: string;
  locale: ArticleLocale;
  slug: string;
  title: string;
  category: string;
  tags: string[];
  /** Example questions: how customers ask for the article. Searched, never shown in the help center. */
  questions: string[];
  status: ArticleStatus;
  version: number;
  authorId: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface ArticleView extends ArticleSummary {
  body: string;
}

/** One saved version (every write keeps one), newest first in GET /api/knowledge/articles/:id. */
export interface ArticleVersion {
  version: number;
  title: string;
  body: string;
  questions: string[];
  editorId: string | null;
  createdAt: string;
}

/** A customer's question the bot answered with the article and they marked helpful, for an admin to add or dismiss. */
export interface SuggestedQuestion {
  id: string;
  text: string;
  createdAt: string;
}

export type { ArticleHit };

export interface ArticleListQuery {
  locale?: ArticleLocale;
  status?: ArticleStatus;
}

export function articleQueryString(query: ArticleListQuery & { q?: string }): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.locale) params.set('locale', query.locale);
  if (query.status) params.set('status', query.status);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function isArticleLocale(value: unknown): value is ArticleLocale {
  return typeof value === 'string' && (articleLocales as readonly string[]).includes(value);
}

/** Narrowing for the `{ article }` of knowledge events read off the WebSocket. */
export function isArticleSummary(value: unknown): value is ArticleSummary {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.title === 'string' && typeof v.version === 'number' && isArticleLocale(v.locale) && typeof v.status === 'string';
}
