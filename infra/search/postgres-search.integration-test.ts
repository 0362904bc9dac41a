// PostgreSQL knowledge search in a real database: the backend contract against the seeded demo
// articles (en + zh-CN), then what is particular to this backend: the search text and word counts
// it keeps, and the bounded candidate set it ranks (postgres-search.ts).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../db.js';
import { cloneTemplateDatabase } from '../../test/support/test-database.js';
import { databaseArticles, describeKnowledgeSearchContract } from '../../test/support/knowledge-search-contract.js';
import type { KnowledgeSearch } from './knowledge-search.js';
import { createPostgresSearch } from './postgres-search.js';
import { queryWords, searchTextOf } from './text.js';
import { anyWordQuery } from './candidate-queries.js';

const newDatabase = async () => createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });

describeKnowledgeSearchContract('PostgreSQL', async () => {
  const db = await newDatabase();
  const search = createPostgresSearch(db);
  return { search, ...databaseArticles(db, search), close: () => db.$disconnect() };
});

/** "KnowledgeLexeme" rows that differ from a count over the stored vectors (none when exact). */
async function wrongWordCounts(db: Db): Promise<unknown[]> {
  return db.$queryRaw`
    SELECT lexeme, counted.articles AS counted, k.articles AS stored
    FROM (SELECT lexeme, count(*)::int AS articles FROM "KnowledgeArticle", unnest(tsvector_to_array("searchVector")) AS lexeme GROUP BY lexeme) counted
    FULL JOIN "KnowledgeLexeme" k USING (lexeme)
    WHERE counted.articles IS DISTINCT FROM k.articles`;
}

describe('PostgreSQL knowledge search', () => {
  let db: Db;
  let search: KnowledgeSearch;
  beforeAll(async () => {
    db = await newDatabase();
    search = createPostgresSearch(db);
  });
  afterAll(() => db?.$disconnect());

  it('writes the segmented search text when it indexes an article', async () => {
    const title = 'Lost luggage insurance claims';
    const body = 'How to claim for a suitcase the airline lost.';
    const { id } = await db.knowledgeArticle.create({ data: { locale: 'en', slug: 'luggage-claims', title, body, searchText: '', status: 'draft' } });
    await search.indexArticle(id);
    expect((await db.knowledgeArticle.findUniqueOrThrow({ where: { id } })).searchText).toBe(searchTextOf(title, body));
  });

  it('keeps the count of articles per word exact through inserts, updates and deletes', async () => {
    expect(await db.knowledgeArticle.count()).toBeGreaterThan(0);
    expect(await wrongWordCounts(db)).toEqual([]);
    const article = (n: number) => ({
      locale: 'en',
      slug: `count-${n}`,
      title: `Quokka care ${n}`,
      body: 'Quokkas need shade.',
      searchText: searchTextOf(`Quokka care ${n}`, 'Quokkas need shade.'),
    });
    await db.knowledgeArticle.createMany({ data: [1, 2, 3].map(article) });
    const [quokka] = await db.$queryRaw<{ articles: number }[]>`SELECT articles FROM "KnowledgeLexeme" WHERE lexeme = 'quokka'`;
    expect(quokka?.articles).toBe(3);
    await db.knowledgeArticle.updateMany({ where: { slug: 'count-1' }, data: { searchText: searchTextOf('Wombat care', 'Wombats dig.') } });
    await db.knowledgeArticle.updateMany({ where: { slug: 'count-2' }, data: { status: 'published' } });
    await Promise.all([4, 5, 6].map((n) => db.knowledgeArticle.create({ data: article(n) })));
    await db.knowledgeArticle.deleteMany({ where: { slug: { in: ['count-3', 'count-4'] } } });
    expect(await wrongWordCounts(db)).toEqual([]);
  });

  it('ranks exactly as ranking every match would when the words occur in few articles', async () => {
    const queries: [string, string][] = [
      ['card', 'en'],
      ['refund', 'en'],
      ['I ordered a new card two weeks ago and it still has not arrived', 'en'],
      ['my bank transfer is still pending', 'en'],
      ['how do fees and exchange rates work for my account', 'en'],
      ['卡片', 'zh-CN'],
      ['我的退款什么时候能到账？', 'zh-CN'],
      ['银行卡PIN码怎么修改', 'zh-CN'],
    ];
    for (const [query, locale] of queries) {
      const raw = query.normalize('NFKC').toLowerCase();
      // The ranking before candidates were bounded: every article holding any word, ranked.
      const everyMatch = await db.$queryRaw<{ slug: string; score: number }[]>`
        SELECT a.slug, (ts_rank_cd(a."searchVector", q.query, 1) + 0.5 * greatest(similarity(lower(a.title), ${raw}), word_similarity(${raw}, lower(a.title))))::float8 AS score
        FROM "KnowledgeArticle" a, (SELECT to_tsquery('simple', ${anyWordQuery(queryWords(raw))}) AS query) q
        WHERE a."searchVector" @@ q.query AND a.locale = ${locale} AND a.status = 'published'
        ORDER BY score DESC, a.id
        LIMIT 10`;
      expect(everyMatch.length, query).toBeGreaterThan(1);
      const hits = await search.search(query, { locale, publishedOnly: true });
      expect(
        hits.map((hit) => hit.slug),
        query,
      ).toEqual(everyMatch.map((row) => row.slug));
    }
  });

  it('still finds the article for a title word or a rare word among more matches than it ranks', async () => {
    // 150 articles, written before the ones to find (candidates are read in storage order), all
    // holding "parcel", "delivery" and "status": none of them is rare, nor is any title match.
    await db.knowledgeArticle.createMany({
      data: Array.from({ length: 150 }, (_, n) => {
        const title = `Shipping update ${n}`;
        const body = `The parcel delivery status is shown in the app. Parcel ${n} left the depot.`;
        return { locale: 'en', slug: `shipping-update-${n}`, title, body, searchText: searchTextOf(title, body), status: 'published' as const };
      }),
    });
    const lockers = await db.knowledgeArticle.create({
      data: {
        locale: 'en',
        slug: 'parcel-lockers',
        title: 'Parcel lockers',
        body: 'Pick it up at a locker.',
        searchText: searchTextOf('Parcel lockers', 'Pick it up at a locker.'),
        status: 'published',
      },
    });
    expect((await search.search('parcel', { locale: 'en' }))[0]?.articleId).toBe(lockers.id);

    const droneTitle = 'Drone delivery: parcel status';
    const droneBody = 'Your parcel delivery status shows when the drone lands.';
    const drones = await db.knowledgeArticle.create({
      data: { locale: 'en', slug: 'drone-delivery', title: droneTitle, body: droneBody, searchText: searchTextOf(droneTitle, droneBody), status: 'published' },
    });
    // Nine words (too many for "all but one"), no article holds them all: only its rare words
    // ("drone", and the ones no article holds) lead to the article.
    const question = 'hello, what is the current delivery status of my parcel that is coming by drone today please';
    expect(queryWords(question).length).toBeGreaterThan(8);
    expect((await search.search(question, { locale: 'en' }))[0]?.articleId).toBe(drones.id);
  });
});
