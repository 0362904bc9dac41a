// PostgreSQL knowledge search against the seeded demo articles (en + zh-CN), in a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../db.js';
import { cloneTemplateDatabase } from '../../test/support/test-database.js';
import type { KnowledgeSearch } from './knowledge-search.js';
import { createPostgresSearch } from './postgres-search.js';
import { searchTextOf } from './text.js';

let db: Db;
let search: KnowledgeSearch;

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
  search = createPostgresSearch(db);
});
afterAll(() => db?.$disconnect());

const topSlug = async (query: string, locale?: string) => (await search.search(query, { locale, publishedOnly: true }))[0]?.slug;

describe('PostgreSQL knowledge search', () => {
  it('finds the right article for English questions', async () => {
    expect(await topSlug('I ordered a new card two weeks ago and it still has not arrived', 'en')).toBe('card-not-arrived');
    expect(await topSlug('where is my refund from the merchant?', 'en')).toBe('refund-status');
    expect(await topSlug('how can I change my PIN', 'en')).toBe('change-pin');
    expect(await topSlug('my bank transfer is still pending', 'en')).toBe('transfer-pending');
    expect(await topSlug('I want to close my account', 'en')).toBe('close-account');
  });

  it('finds the right article for Chinese questions', async () => {
    expect(await topSlug('我的退款什么时候能到账？', 'zh-CN')).toBe('refund-status');
    expect(await topSlug('银行卡PIN码怎么修改', 'zh-CN')).toBe('change-pin');
    expect(await topSlug('充值一直失败', 'zh-CN')).toBe('top-up-failed');
    expect(await topSlug('我想注销账户', 'zh-CN')).toBe('close-account');
  });

  it('returns hits with snippet and scores in descending order', async () => {
    const hits = await search.search('refund', { locale: 'en' });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]).toMatchObject({ slug: 'refund-status', locale: 'en', title: 'Where is my refund?' });
    expect(hits[0]!.snippet.toLowerCase()).toContain('refund');
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
  });

  it('ranks an article whose title matches above one that only mentions the word in its body', async () => {
    const hits = await search.search('exchange rates', { locale: 'en' });
    expect(hits[0]?.slug).toBe('exchange-rates');
  });

  it('tolerates typos through title similarity when no word matches', async () => {
    expect(await topSlug('verifyng your identiy', 'en')).toBe('account-verification');
    expect(await topSlug('refunnd', 'en')).toBe('refund-status');
    expect(await topSlug('exchnage rats and fess', 'en')).toBe('exchange-rates');
  });

  it('filters by locale', async () => {
    const english = await search.search('card', { locale: 'en' });
    expect(english.length).toBeGreaterThan(0);
    expect(english.every((hit) => hit.locale === 'en')).toBe(true);
    const chinese = await search.search('PIN', { locale: 'zh-CN' });
    expect(chinese.length).toBeGreaterThan(0);
    expect(chinese.every((hit) => hit.locale === 'zh-CN')).toBe(true);
  });

  it('hides drafts when asked for published articles only, and indexes an article again after a change', async () => {
    const title = 'Lost luggage insurance claims';
    const body = 'How to claim for a suitcase the airline lost.';
    const draft = await db.knowledgeArticle.create({ data: { locale: 'en', slug: 'luggage-claims', title, body, searchText: '', status: 'draft' } });
    await search.indexArticle(draft.id);
    expect((await db.knowledgeArticle.findUniqueOrThrow({ where: { id: draft.id } })).searchText).toBe(searchTextOf(title, body));

    expect((await search.search('suitcase airline', { locale: 'en' })).map((hit) => hit.articleId)).toContain(draft.id);
    expect((await search.search('suitcase airline', { locale: 'en', publishedOnly: true })).map((hit) => hit.articleId)).not.toContain(draft.id);
    await db.knowledgeArticle.update({ where: { id: draft.id }, data: { status: 'published' } });
    expect((await search.search('suitcase airline', { locale: 'en', publishedOnly: true })).map((hit) => hit.articleId)).toContain(draft.id);
  });

  it('returns nothing for empty queries and respects the limit', async () => {
    expect(await search.search('   ')).toEqual([]);
    expect((await search.search('card', { limit: 2 })).length).toBeLessThanOrEqual(2);
  });
});
