// Knowledge search on PostgreSQL alone: full-text search over the app-segmented "searchText"
// (stored weighted vector "searchVector" with a GIN index) ranked by ts_rank_cd with title words
// weighted A and body words B, plus pg_trgm similarity on the title so that typos still find
// an article. Indexes: the hand-written tails of prisma/migrations/*_knowledge_search and
// *_knowledge_search_speed.
//
// Ranking reads each article's stored vector (out of line, in TOAST): ranking every article that
// shares a word with a question took 45 ms at the median and 70-100 ms at p95 with 10,000
// articles, where common words match most of them. A query ranks a bounded set of candidates
// instead, found through the indexes alone (fullTextSearch() says which, and when that is the
// same as ranking every match).
import { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../db.js';
import { allButOneQuery, allWordsQuery, anyWordQuery } from './candidate-queries.js';
import { searchLimit, snippetOf, type KnowledgeSearch, type SearchedArticle, type SearchHit, type SearchOptions } from './knowledge-search.js';
import { queryWords, searchTextOf } from './text.js';

/** How much title similarity (0..1) adds to the full-text rank (ts_rank_cd, about 0..1). */
const similarityWeight = 0.5;
/** Longer queries are cut: trigram work grows with their length and nobody types more. */
const maxQueryLength = 200;
const maxWordSimilarityWords = 2;
/** Articles ranked per query, about (up to a page more): a few milliseconds of ts_rank_cd. */
const candidateBudget = 100;
/** The best full-text matches re-ranked with title similarity (the costlier part, per article). */
const rerankPool = 30;

interface Row extends SearchedArticle {
  score: number;
}

/** The locale and draft filters on the article rows of `alias`. */
const filters = (alias: string, locale: string | null, publishedOnly: boolean) =>
  Prisma.sql`(${locale}::text IS NULL OR ${Prisma.raw(alias)}.locale = ${locale}::text) AND (NOT ${publishedOnly}::boolean OR ${Prisma.raw(alias)}.status = 'published')`;

export function createPostgresSearch(db: Db): KnowledgeSearch {
  return {
    async indexArticle(id) {
      const [row] = await db.$queryRaw<{ title: string; body: string; questions: string[] | null; searchText: string }[]>`
        SELECT title, body, questions, "searchText" FROM "KnowledgeArticle" WHERE id = ${id}::uuid`;
      if (!row) return; // deleted: its row, and so its index entries, are gone already
      const searchText = searchTextOf(row.title, row.body, row.questions ?? []);
      if (searchText !== row.searchText) {
        await db.$executeRaw`UPDATE "KnowledgeArticle" SET "searchText" = ${searchText} WHERE id = ${id}::uuid`;
      }
    },

    async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
      const raw = query.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, maxQueryLength);
      const words = queryWords(raw);
      if (words.length === 0) return []; // blank, punctuation or stopwords only
      const locale = options.locale ?? null;
      const publishedOnly = options.publishedOnly ?? false;
      const limit = searchLimit(options.limit);
      let rows = await fullTextSearch(db, { words, raw, locale, publishedOnly, limit });
      // Only when no word matches does the trigram index find typo'd titles (similarity > 0.3, or
      // word similarity > 0.6 for short queries): running it for every query would recheck most
      // titles of a large base. Word similarity (a typo'd word anywhere in a title) is checked for
      // short queries only: a long query shares some trigram with nearly every title.
      if (rows.length === 0) {
        const shortQuery = raw.split(' ').length <= maxWordSimilarityWords;
        rows = await db.$queryRaw<Row[]>`
          SELECT a.id, a."groupId", a.locale, a.slug, a.title, a.body,
            (${similarityWeight}::float8 * greatest(similarity(lower(a.title), ${raw}), word_similarity(${raw}, lower(a.title))))::float8 AS score
          FROM "KnowledgeArticle" a
          WHERE (lower(a.title) % ${raw} OR (${shortQuery} AND ${raw} <% lower(a.title))) AND ${filters('a', locale, publishedOnly)}
          ORDER BY score DESC, a.id
          LIMIT ${limit}`;
      }
      return rows.map((row) => ({
        articleId: row.id,
        groupId: row.groupId,
        locale: row.locale,
        slug: row.slug,
        title: row.title,
        snippet: snippetOf(row.body, words),
        score: Number(row.score),
      }));
    },
  };
}

/**
 * Full-text matches: at most candidateBudget candidates found through the GIN indexes alone,
 * ranked by ts_rank_cd on the stored weighted vector (title A, body B); the best of them get
 * title similarity added.
 *
 * The candidates come in tiers, from the most telling to the least:
 *   all        every word, in the title (title index) or anywhere
 *   rare       one of the rarest words, as many of them as occur in at most candidateBudget
 *              articles together ("KnowledgeLexeme" counts them): IDF in its simplest form, and
 *              what finds the article for a long question whose other words are everywhere
 *   allButOne  every word but one (3 to 8 words): a typo, or one word the article does not use
 *   rest       any word
 * allButOne is read only when the tiers above found less than a page, and rest only when all
 * three did. When the question's words occur in at most candidateBudget articles together, they
 * are all rare, the first two tiers hold every match, and the result is the same as ranking
 * every match.
 */
async function fullTextSearch(db: Db, input: { words: string[]; raw: string; locale: string | null; publishedOnly: boolean; limit: number }): Promise<Row[]> {
  const { words, raw, locale, publishedOnly, limit } = input;
  const allButOne = allButOneQuery(words);

  // One tier: ids from one GIN index, the filters checked on the rows it yields. The tsqueries
  // sit in the materialized CTE q, where the planner cannot look into them: shown a query it
  // guessed to match many rows, it chose a sequential scan that reads every stored vector.
  // OFFSET 0 keeps it from also reading the whole (status, locale) index for every tier.
  const tier = (vector: Prisma.Sql, query: string) => Prisma.sql`
      (SELECT m.id FROM (SELECT a.id, a.locale, a.status FROM "KnowledgeArticle" a, q WHERE ${vector} @@ q.${Prisma.raw(query)} OFFSET 0) m
       WHERE ${filters('m', locale, publishedOnly)} LIMIT ${candidateBudget})`;
  const vector = Prisma.sql`a."searchVector"`;
  // The expression of "KnowledgeArticle_titleWords_idx", which a query must repeat to use it.
  const titleVector = Prisma.sql`to_tsvector('simple', split_part(a."searchText", E'\\n', 1))`;

  // The tiers exclude each other inside their tsqueries (the GIN index applies `!`), except that
  // rest leaves out only the rare words: excluding allButOne too made PostgreSQL evaluate that
  // long query on every article holding any word. A tier whose query is NULL finds nothing.
  // A UNION ALL under a LIMIT reads its branches in order and stops once the budget is full; the
  // later tiers wait on one-time filters (counts of the earlier ones), so they cost nothing when
  // the earlier ones found a page.
  const query = Prisma.sql`
    WITH words AS (
      SELECT w.word, coalesce(k.articles, 0) AS articles
      FROM unnest(${words}::text[]) AS w(word) LEFT JOIN "KnowledgeLexeme" k ON k.lexeme = w.word
    ),
    rare AS (
      SELECT to_tsquery('simple', string_agg('''' || word || '''', ' | ')) AS query
      FROM (SELECT word, sum(articles) OVER (ORDER BY articles, word) AS articles_so_far FROM words) running
      WHERE articles_so_far <= ${candidateBudget}
    ),
    q AS MATERIALIZED (
      SELECT t.*,
        t.rare && !! t.all_words AS rare_tier,
        t.all_but_one && !! t.all_words && !! coalesce(t.rare, t.all_words) AS all_but_one_tier,
        t.any_word && !! coalesce(t.rare, t.all_words) AS rest_tier
      FROM (
        SELECT to_tsquery('simple', ${anyWordQuery(words)}) AS any_word, to_tsquery('simple', ${allWordsQuery(words)}) AS all_words,
          to_tsquery('simple', ${allButOne}) AS all_but_one, rare.query AS rare, ${raw}::text AS raw
        FROM rare OFFSET 0 -- not merged into the SELECT above, which would compute each query once per use
      ) t
    ),
    strong AS MATERIALIZED (
      SELECT DISTINCT found.id FROM (
        SELECT id FROM (${tier(titleVector, 'all_words')} UNION ALL ${tier(vector, 'all_words')} UNION ALL ${tier(vector, 'rare_tier')}) tiers
        LIMIT ${candidateBudget}
      ) found
    ),
    near AS MATERIALIZED (
      SELECT id FROM ${tier(vector, 'all_but_one_tier')} found WHERE (SELECT count(*) FROM strong) < ${limit}
    ),
    candidates AS (
      SELECT id FROM strong
      UNION SELECT id FROM near
      UNION SELECT id FROM ${tier(vector, 'rest_tier')} found WHERE (SELECT count(*) FROM strong) + (SELECT count(*) FROM near) < ${limit}
    ),
    ranked AS (
      SELECT a.id, ts_rank_cd(a."searchVector", q.any_word, 1) AS rank
      FROM candidates c JOIN "KnowledgeArticle" a ON a.id = c.id, q
      ORDER BY rank DESC, a.id
      LIMIT ${rerankPool}
    )
    SELECT a.id, a."groupId", a.locale, a.slug, a.title, a.body,
      (r.rank + ${similarityWeight}::float8 * greatest(similarity(lower(a.title), q.raw), word_similarity(q.raw, lower(a.title))))::float8 AS score
    FROM ranked r JOIN "KnowledgeArticle" a ON a.id = r.id, q
    ORDER BY score DESC, a.id
    LIMIT ${limit}`;
  return db.$queryRaw<Row[]>(query);
}
