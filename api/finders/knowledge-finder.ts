// Read-only queries of knowledge articles for the console (drafts included); the public reads
// of published articles are in api/services/knowledge-service.ts, which the help center shares.
import type { ArticleListQuery } from '../../contract/requests/knowledge.js';
import type { Db } from '../../infra/db.js';
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

/** Which of these articles are drafts (search hits carry no status). */
export async function findDraftIds(db: Db, articleIds: readonly string[]): Promise<Set<string>> {
  const rows = await db.knowledgeArticle.findMany({ where: { id: { in: [...articleIds] }, status: 'draft' }, select: { id: true } });
  return new Set(rows.map((row) => row.id));
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
