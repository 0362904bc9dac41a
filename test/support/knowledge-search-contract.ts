// The behaviour every KnowledgeSearch backend owes its callers, as vitest tests that each backend's
// integration test registers with its own setup (infra/search/postgres-search.integration-test.ts,
// meili-search.integration-test.ts). The setup starts from the seeded demo articles (en + zh-CN,
// prisma/demo-data.ts) already in the backend's index, and gives the tests a way to write articles
// the way the API does: the row first, then indexArticle() once the write has committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../infra/db.js';
import type { KnowledgeSearch, SearchOptions } from '../../infra/search/knowledge-search.js';
import { searchTextOf } from '../../infra/search/text.js';

export interface ContractArticle {
  locale: 'en' | 'zh-CN';
  slug: string;
  title: string;
  body: string;
  /** Example questions: searched like the body, never part of a hit. */
  questions?: string[];
  status: 'draft' | 'published';
}

export interface KnowledgeSearchFixture {
  search: KnowledgeSearch;
  /** Stores a new article and brings the index up to date; returns its id. */
  createArticle(article: ContractArticle): Promise<string>;
  /** Changes an article and brings the index up to date. */
  updateArticle(id: string, change: Partial<Pick<ContractArticle, 'title' | 'body' | 'questions' | 'status'>>): Promise<void>;
  /** Deletes an article for good and brings the index up to date. */
  deleteArticle(id: string): Promise<void>;
  /** Releases what the setup opened (connections, a temporary index). */
  close(): Promise<void>;
}

/**
 * Article writes against the database, each followed by search.indexArticle() as the knowledge
 * service does (api/services/knowledge-service.ts). Both backends index from the database rows.
 */
export function databaseArticles(db: Db, search: KnowledgeSearch): Pick<KnowledgeSearchFixture, 'createArticle' | 'updateArticle' | 'deleteArticle'> {
  return {
    async createArticle(article) {
      const { id } = await db.knowledgeArticle.create({
        data: { ...article, searchText: searchTextOf(article.title, article.body, article.questions) },
        select: { id: true },
      });
      await search.indexArticle(id);
      return id;
    },
    async updateArticle(id, change) {
      const current = await db.knowledgeArticle.findUniqueOrThrow({ where: { id } });
      const title = change.title ?? current.title;
      const body = change.body ?? current.body;
      const questions = change.questions ?? current.questions;
      await db.knowledgeArticle.update({ where: { id }, data: { ...change, searchText: searchTextOf(title, body, questions), version: { increment: 1 } } });
      await search.indexArticle(id);
    },
    async deleteArticle(id) {
      await db.knowledgeArticle.delete({ where: { id } });
      await search.indexArticle(id);
    },
  };
}

export function describeKnowledgeSearchContract(name: string, setup: () => Promise<KnowledgeSearchFixture>): void {
  describe(`${name} knowledge search (contract)`, () => {
    let fixture: KnowledgeSearchFixture;
    beforeAll(async () => {
      fixture = await setup();
    });
    afterAll(() => fixture?.close());

    const search = (query: string, options?: SearchOptions) => fixture.search.search(query, options);
    const slugs = async (query: string, options?: SearchOptions) => (await search(query, options)).map((hit) => hit.slug);
    const ids = async (query: string, options?: SearchOptions) => (await search(query, options)).map((hit) => hit.articleId);
    const topSlug = async (query: string, locale: string) => (await slugs(query, { locale, publishedOnly: true }))[0];

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

    it('returns hits with the article, a snippet and scores in descending order', async () => {
      const hits = await search('refund', { locale: 'en' });
      expect(hits[0]).toMatchObject({ slug: 'refund-status', locale: 'en', title: 'Where is my refund?' });
      expect(hits[0]!.snippet.toLowerCase()).toContain('refund');
      expect(hits[0]!.snippet).not.toContain('**');
      const scores = hits.map((hit) => hit.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('ranks an article whose title holds the words above one that only mentions them in its body', async () => {
      expect(await topSlug('exchange rates', 'en')).toBe('exchange-rates');
    });

    it('tolerates typos', async () => {
      expect(await topSlug('refunnd', 'en')).toBe('refund-status');
      expect(await topSlug('verifyng your identiy', 'en')).toBe('account-verification');
      expect(await topSlug('exchnage rats and fess', 'en')).toBe('exchange-rates');
    });

    it('filters by locale, and searches every locale without one', async () => {
      const english = await search('PIN', { locale: 'en' });
      const chinese = await search('PIN', { locale: 'zh-CN' });
      expect(english.map((hit) => hit.slug)).toContain('change-pin');
      expect(chinese.map((hit) => hit.slug)).toContain('change-pin');
      expect(english.every((hit) => hit.locale === 'en')).toBe(true);
      expect(chinese.every((hit) => hit.locale === 'zh-CN')).toBe(true);
      const everywhere = await search('PIN');
      expect(new Set(everywhere.map((hit) => hit.locale))).toEqual(new Set(['en', 'zh-CN']));
    });

    it('shows drafts only when not asked for published articles, and a published draft everywhere', async () => {
      const id = await fixture.createArticle({
        locale: 'en',
        slug: 'contract-luggage-claims',
        title: 'Lost luggage insurance claims',
        body: 'How to claim for a suitcase the airline lost.',
        status: 'draft',
      });
      expect(await ids('suitcase airline', { locale: 'en' })).toContain(id);
      expect(await ids('suitcase airline', { locale: 'en', publishedOnly: true })).not.toContain(id);
      await fixture.updateArticle(id, { status: 'published' });
      expect(await ids('suitcase airline', { locale: 'en', publishedOnly: true })).toContain(id);
    });

    it('finds a changed article by its new words and no longer by its old ones', async () => {
      const id = await fixture.createArticle({
        locale: 'en',
        slug: 'contract-gift-cards',
        title: 'Buying gift vouchers',
        body: 'Vouchers are sent by email within minutes.',
        status: 'published',
      });
      expect(await ids('vouchers', { locale: 'en', publishedOnly: true })).toContain(id);
      await fixture.updateArticle(id, { title: 'Sending a present', body: 'Presents are wrapped and posted the next morning.' });
      expect(await ids('vouchers', { locale: 'en', publishedOnly: true })).not.toContain(id);
      expect(await ids('presents wrapped', { locale: 'en', publishedOnly: true })).toContain(id);

      const chinese = await fixture.createArticle({
        locale: 'zh-CN',
        slug: 'contract-gift-cards',
        title: '购买礼品券',
        body: '礼品券会在几分钟内通过邮件发送。',
        status: 'published',
      });
      expect(await ids('礼品券', { locale: 'zh-CN' })).toContain(chinese);
      await fixture.updateArticle(chinese, { title: '寄送礼物', body: '礼物会在第二天早上包装寄出。' });
      expect(await ids('礼品券', { locale: 'zh-CN' })).not.toContain(chinese);
      expect(await ids('包装礼物', { locale: 'zh-CN' })).toContain(chinese);
    });

    it('finds an article by a phrase only its example questions hold, and shows the body in the snippet', async () => {
      const id = await fixture.createArticle({
        locale: 'zh-CN',
        slug: 'contract-pet-insurance',
        title: '宠物保险理赔',
        body: '上传兽医发票，三个工作日内审核。',
        questions: ['猫咪生病了看病能报销吗', '狗狗打疫苗的钱能退吗'],
        status: 'published',
      });
      const [hit] = await search('猫咪看病报销', { locale: 'zh-CN', publishedOnly: true });
      expect(hit?.articleId).toBe(id);
      expect(hit?.snippet).not.toContain('猫咪');
      await fixture.updateArticle(id, { questions: [] });
      expect(await ids('猫咪看病报销', { locale: 'zh-CN', publishedOnly: true })).not.toContain(id);
    });

    it('finds an article written in Simplified Chinese for a question in Traditional script, and the other way round', async () => {
      const simplified = await fixture.createArticle({
        locale: 'zh-CN',
        slug: 'contract-customs-delay',
        title: '海外包裹清关延误',
        body: '包裹在海关查验期间无法派送，一般需要三到五个工作日。',
        status: 'published',
      });
      const traditional = await fixture.createArticle({
        locale: 'zh-CN',
        slug: 'contract-pet-visa',
        title: '寵物出國簽證',
        body: '攜帶寵物出國需要檢疫證明。',
        status: 'published',
      });
      expect((await search('海關查驗延誤', { locale: 'zh-CN', publishedOnly: true }))[0]?.articleId).toBe(simplified);
      expect((await search('宠物出国检疫', { locale: 'zh-CN', publishedOnly: true }))[0]?.articleId).toBe(traditional);
    });

    it('drops an unpublished article from published results, and a deleted one from all', async () => {
      const id = await fixture.createArticle({
        locale: 'en',
        slug: 'contract-paper-statements',
        title: 'Ordering paper statements',
        body: 'Paper statements arrive by post once a quarter.',
        status: 'published',
      });
      expect(await ids('paper statements', { locale: 'en', publishedOnly: true })).toContain(id);
      await fixture.updateArticle(id, { status: 'draft' });
      expect(await ids('paper statements', { locale: 'en', publishedOnly: true })).not.toContain(id);
      expect(await ids('paper statements', { locale: 'en' })).toContain(id);
      await fixture.deleteArticle(id);
      expect(await ids('paper statements')).not.toContain(id);
    });

    it('returns at most `limit` hits, the same first ones whatever the limit', async () => {
      const all = await slugs('card', { locale: 'en' });
      expect(all.length).toBeGreaterThan(2);
      expect(await slugs('card', { locale: 'en', limit: 2 })).toEqual(all.slice(0, 2));
      expect(await slugs('card', { locale: 'en', limit: 1 })).toEqual(all.slice(0, 1));
    });

    it('finds nothing for a query without a searchable word', async () => {
      expect(await search('')).toEqual([]);
      expect(await search('   ')).toEqual([]);
      expect(await search('?!', { locale: 'en' })).toEqual([]);
      expect(await search('？', { locale: 'zh-CN' })).toEqual([]);
      expect(await search('how is the', { locale: 'en' })).toEqual([]);
      expect(await search('我的', { locale: 'zh-CN' })).toEqual([]);
    });
  });
}
