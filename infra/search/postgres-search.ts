// Knowledge search on PostgreSQL alone: full-text search over the app-segmented "searchText"
// (stored weighted vector "searchVector" with a GIN index) ranked by ts_rank_cd with title words
// weighted A and body words B, plus pg_trgm similarity on the title so that typos still find
// an article. Indexes: the hand-written tail of prisma/migrations/*_knowledge_search.
import { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../db.js';
import { searchLimit, snippetOf, type KnowledgeSearch, type SearchHit, type SearchOptions } from './knowledge-search.js';
import { queryWords, searchTextOf } from './text.js';

/** How much title similarity (0..1) adds to the full-text rank (ts_rank_cd, about 0..1). */
const similarityWeight = 0.5;
/** Longer queries are cut: trigram work grows with their length and nobody types more. */
const maxQueryLength = 200;
const maxWordSimilarityWords = 2;
/** Full-text matches re-ranked with title similarity. */
const rerankPool = 100;

interface Row {
  id: string;
  groupId: string;
  locale: string;
  slug: string;
  title: string;
  body: string;
  score: number;
}

/** `'a' | 'b'`: any query word may match (questions are phrased freely); ranking prefers more. */
export function toTsQuery(words: readonly string[]): string {
  // segment() yields letters and digits only, so quoting cannot be broken out of.
  return words.map((word) => `'${word.replace(/['\\]/g, '')}'`).join(' | ');
}

export function createPostgresSearch(db: Db): KnowledgeSearch {
  return {
    async indexArticle(id) {
      const [row] = await db.$queryRaw<{ title: string; body: string; searchText: string }[]>`
        SELECT title, body, "searchText" FROM "KnowledgeArticle" WHERE id = ${id}::uuid`;
      if (!row) return; // deleted: its row, and so its index entries, are gone already
      const searchText = searchTextOf(row.title, row.body);
      if (searchText !== row.searchText) {
        await db.$executeRaw`UPDATE "KnowledgeArticle" SET "searchText" = ${searchText} WHERE id = ${id}::uuid`;
      }
    },

    async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
      const raw = query.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, maxQueryLength);
      if (!raw) return [];
      const words = queryWords(raw);
      const tsQuery = toTsQuery(words);
      const locale = options.locale ?? null;
      const publishedOnly = options.publishedOnly ?? false;
      const limit = searchLimit(options.limit);
      // Word similarity (a typo'd word anywhere in a title) is checked for short queries only:
      // a long query shares some trigram with nearly every title, and rechecking them all is slow.
      const shortQuery = raw.split(' ').length <= maxWordSimilarityWords;
      // Full-text first: any query word may match; ranked by ts_rank_cd on the stored weighted
      // vector (title A, body B) plus title similarity. Only when no word matches does the
      // trigram index find typo'd titles (similarity > 0.3, or word similarity > 0.6 for short
      // queries): running it for every query would recheck most titles of a large base.
      const filters = Prisma.sql`(${locale}::text IS NULL OR a.locale = ${locale}::text) AND (NOT ${publishedOnly}::boolean OR a.status = 'published')`;
      let rows: Row[] = [];
      if (tsQuery) {
        rows = await db.$queryRaw<Row[]>`
          WITH q AS (SELECT to_tsquery('simple', ${tsQuery}) AS query, ${raw}::text AS raw),
          ranked AS (
            -- Title similarity is the costlier part: computed for the best full-text matches only.
            SELECT a.id, ts_rank_cd(a."searchVector", q.query, 1) AS rank
            FROM "KnowledgeArticle" a, q
            WHERE a."searchVector" @@ q.query AND ${filters}
            ORDER BY rank DESC
            LIMIT ${rerankPool}
          )
          SELECT a.id, a."groupId", a.locale, a.slug, a.title, a.body,
            (r.rank + ${similarityWeight}::float8 * greatest(similarity(lower(a.title), q.raw), word_similarity(q.raw, lower(a.title))))::float8 AS score
          FROM ranked r JOIN "KnowledgeArticle" a ON a.id = r.id, q
          ORDER BY score DESC, a.id
          LIMIT ${limit}`;
      }
      if (rows.length === 0) {
        rows = await db.$queryRaw<Row[]>`
          SELECT a.id, a."groupId", a.locale, a.slug, a.title, a.body,
            (${similarityWeight}::float8 * greatest(similarity(lower(a.title), ${raw}), word_similarity(${raw}, lower(a.title))))::float8 AS score
          FROM "KnowledgeArticle" a
          WHERE (lower(a.title) % ${raw} OR (${shortQuery} AND ${raw} <% lower(a.title))) AND ${filters}
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
