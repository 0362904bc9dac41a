// Read-only queries of knowledge articles for the console (drafts included); the public reads
// of published articles are in api/services/knowledge-service.ts, which the help center shares.
import type { ArticleListQuery } from '../../contract/requests/knowledge.js';
import type { Db } from '../../infra/db.js';
import type { KnowledgeSearch, SearchHit } from '../../infra/search/knowledge-search.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { shownSuggestions, toArticleSummary } from '../services/knowledge-service.js';

/** Articles one list shows at most, last updated first. */
export const articlePageSize = 500;

/** Articles by language and status, last updated first. */
export async function findArticles(db: Db, filter: Pick<ArticleListQuery, 'locale' | 'status'>) {
  const where: Prisma.KnowledgeArticleWhereInput = { ...(filter.locale ? { locale: filter.locale } : {}), ...(filter.status ? { status: filter.status } : {}) };
  const rows = await db.knowledgeArticle.findMany({ where, orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }], take: articlePageSize });
  return rows.map(toArticleSummary);
}

/** Search hits one console search shows at most, best first. */
export const articleSearchSize = 50;

/**
 * The console's search: the best hits among articles of the language and status asked for. The
 * index knows published from not, so drafts are picked out of all hits by their rows (hits carry
 * no status).
 */
export async function searchArticles(
  deps: { db: Db; search: KnowledgeSearch },
  text: string,
  filter: Pick<ArticleListQuery, 'locale' | 'status'>,
): Promise<SearchHit[]> {
  const hits = await deps.search.search(text, { locale: filter.locale, limit: articleSearchSize, publishedOnly: filter.status === 'published' });
  if (filter.status !== 'draft') return hits;
  const drafts = await deps.db.knowledgeArticle.findMany({ where: { id: { in: hits.map((hit) => hit.articleId) }, status: 'draft' }, select: { id: true } });
  const draftIds = new Set(drafts.map((row) => row.id));
  return hits.filter((hit) => draftIds.has(hit.articleId));
}

/** One article with every version (newest first) and the latest suggested questions, or null. */
export function findArticleWithHistory(db: Db, id: string) {
  return db.knowledgeArticle.findUnique({
    where: { id },
    include: {
      versions: { orderBy: { version: 'desc' } },
      suggestedQuestions: { orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: shownSuggestions },
    },
  });
}

/** These articles' rows, in no particular order (unknown ids are left out). */
export function findArticlesByIds(db: Db, ids: readonly string[]) {
  return db.knowledgeArticle.findMany({ where: { id: { in: [...ids] } } });
}
