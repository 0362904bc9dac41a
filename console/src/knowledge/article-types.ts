// The JSON shapes of the knowledge endpoints (contract/views.ts: `ArticleView`, `ArticleHit`…)
// and the article vocabulary. Pure, so the list and editor logic and their tests need no session.
import { articleLocales, type ArticleLocale, type ArticleStatus, type ArticleSummary } from '../../../contract/views';

export { articleLocales, articleStatuses } from '../../../contract/views';
export type { ArticleHit, ArticleLocale, ArticleStatus, ArticleSummary, ArticleView } from '../../../contract/views';
/** One saved version (every write keeps one), newest first in GET /api/knowledge/articles/:id. */
export type { ArticleVersionView as ArticleVersion } from '../../../contract/views';

export type { SuggestedQuestionView as SuggestedQuestion } from '../../../contract/views';

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
