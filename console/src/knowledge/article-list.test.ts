import { describe, expect, it } from 'vitest';
import {
  applyArticleEvent,
  articleFilterQuery,
  articleRows,
  defaultArticleFilter,
  emptyArticleList,
  listQueryOf,
  parseArticleFilter,
  removeArticle,
  replaceArticles,
  upsertArticle,
  type ArticleFilter,
} from './article-list';
import { articleQueryString, type ArticleHit, type ArticleSummary } from './article-types';

const summary = (overrides: Partial<ArticleSummary> = {}): ArticleSummary => ({
  id: 'a1',
  groupId: 'g1',
  locale: 'en',
  slug: 'refund-status',
  title: 'Where is my refund?',
  category: 'billing',
  tags: [],
  questions: [],
  status: 'published',
  version: 1,
  authorId: null,
  createdAt: '2025-03-01T00:00:00.000Z',
  updatedAt: '2025-03-01T00:00:00.000Z',
  publishedAt: '2025-03-01T00:00:00.000Z',
  ...overrides,
});
const hit = (articleId: string, overrides: Partial<ArticleHit> = {}): ArticleHit => ({
  articleId,
  groupId: 'g',
  locale: 'en',
  slug: articleId,
  title: articleId,
  snippet: `about ${articleId}`,
  score: 1,
  ...overrides,
});
const filter = (overrides: Partial<ArticleFilter> = {}): ArticleFilter => ({ ...defaultArticleFilter, ...overrides });
const state = (...summaries: ArticleSummary[]) => replaceArticles(emptyArticleList, summaries);

describe('article filters', () => {
  it('reads and writes the URL query, defaults left out', () => {
    expect(parseArticleFilter({ locale: 'zh-CN', status: 'draft', q: '退款' })).toEqual({ locale: 'zh-CN', status: 'draft', q: '退款' });
    expect(parseArticleFilter({ locale: 'de', status: 'archived' })).toEqual(defaultArticleFilter);
    expect(articleFilterQuery(filter({ locale: 'en', q: '  refund ' }))).toEqual({ locale: 'en', q: 'refund' });
    expect(articleFilterQuery(defaultArticleFilter)).toEqual({});
  });

  it('asks the API for the locale and status, and the search words apart', () => {
    expect(listQueryOf(filter({ locale: 'zh-CN', status: 'published' }))).toEqual({ locale: 'zh-CN', status: 'published' });
    expect(listQueryOf(defaultArticleFilter)).toEqual({});
    expect(articleQueryString({ q: '退款 到账', locale: 'zh-CN' })).toBe(`?q=${encodeURIComponent('退款')}+${encodeURIComponent('到账')}&locale=zh-CN`);
  });
});

describe('articleRows', () => {
  const en = summary({ id: 'en', updatedAt: '2025-03-02T00:00:00.000Z' });
  const zh = summary({ id: 'zh', locale: 'zh-CN', status: 'draft', updatedAt: '2025-03-03T00:00:00.000Z' });

  it('lists the articles that fit the filter, last edited first', () => {
    expect(articleRows(state(en, zh), defaultArticleFilter, null).map((row) => row.id)).toEqual(['zh', 'en']);
    expect(articleRows(state(en, zh), filter({ locale: 'zh-CN' }), null).map((row) => row.id)).toEqual(['zh']);
    expect(articleRows(state(en, zh), filter({ status: 'published' }), null).map((row) => row.id)).toEqual(['en']);
  });

  it('keeps the search order and completes each hit with its status', () => {
    const rows = articleRows(state(en, zh), defaultArticleFilter, [hit('en'), hit('zh', { locale: 'zh-CN' })]);
    expect(rows.map((row) => [row.id, row.status, row.snippet])).toEqual([
      ['en', 'published', 'about en'],
      ['zh', 'draft', 'about zh'],
    ]);
  });

  it('leaves out hits of deleted articles and of ones that no longer fit; shows unknown ones without a status', () => {
    const deleted = removeArticle(state(en, zh), 'en');
    const unpublished = upsertArticle(deleted, { ...zh, version: 2 });
    expect(articleRows(unpublished, filter({ status: 'published' }), [hit('en'), hit('zh'), hit('old')]).map((row) => [row.id, row.status])).toEqual([
      ['old', null],
    ]);
  });
});

describe('live knowledge events', () => {
  const event = (type: string, article: unknown) => ({ type, payload: { article } });

  it('adds a created article, updates an edited one, removes a deleted one', () => {
    const created = applyArticleEvent(emptyArticleList, event('knowledge.article_created', summary()));
    expect(created.summaries.map((s) => s.id)).toEqual(['a1']);
    const published = applyArticleEvent(created, event('knowledge.article_updated', summary({ version: 2, status: 'draft' })));
    expect(published.summaries[0]).toMatchObject({ version: 2, status: 'draft' });
    const deleted = applyArticleEvent(published, event('knowledge.article_deleted', summary({ version: 2 })));
    expect(deleted.summaries).toEqual([]);
    // A late "updated" for a deleted article does not bring it back.
    expect(applyArticleEvent(deleted, event('knowledge.article_updated', summary({ version: 3 }))).summaries).toEqual([]);
  });

  it('never goes back to an older version, so a replay or a slow answer changes nothing', () => {
    const current = state(summary({ version: 3, title: 'New' }));
    expect(applyArticleEvent(current, event('knowledge.article_updated', summary({ version: 2, title: 'Old' })))).toBe(current);
    expect(replaceArticles(current, [summary({ version: 2, title: 'Old' })]).summaries[0]!.title).toBe('New');
  });

  it('ignores other events and malformed payloads', () => {
    const current = state(summary());
    expect(applyArticleEvent(current, event('ticket.created', summary({ id: 'x' })))).toBe(current);
    expect(applyArticleEvent(current, event('knowledge.article_created', { id: 'x' }))).toBe(current);
  });

  it('keeps the body out of the list', () => {
    const saved = upsertArticle(emptyArticleList, { ...summary(), body: '# long text' });
    expect(saved.summaries[0]).not.toHaveProperty('body');
  });
});
