// Knowledge search on Meilisearch (used when MEILI_URL is set). Meilisearch segments Chinese
// itself and tolerates typos; this adapter keeps one index, `articles`, in step with the
// KnowledgeArticle rows: indexArticle() re-reads the row and replaces or removes the document.
import { Meilisearch, type Task } from 'meilisearch';
import type { Db } from '../db.js';
import { plainText, searchLimit, snippetOf, type KnowledgeSearch, type SearchHit, type SearchOptions } from './knowledge-search.js';
import { queryWords } from './text.js';

export const meiliIndexName = 'articles';

interface ArticleDocument {
  id: string;
  groupId: string;
  locale: string;
  slug: string;
  title: string;
  body: string;
  status: string;
}

function checked(task: Task): Task {
  if (task.status !== 'succeeded') throw new Error(`Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.message ?? ''}`);
  return task;
}

/** A filter value in double quotes, as Meilisearch's filter syntax wants. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

export function createMeiliSearch(db: Db, config: { host: string; apiKey?: string; indexName?: string }): KnowledgeSearch {
  const client = new Meilisearch({ host: config.host, apiKey: config.apiKey });
  const index = client.index<ArticleDocument>(config.indexName ?? meiliIndexName);
  let configured: Promise<void> | undefined;
  // Settings are applied once per process, before the first write or search; applying the same
  // settings again is a no-op task in Meilisearch.
  const ensureSettings = () =>
    (configured ??= index
      .updateSettings({
        searchableAttributes: ['title', 'body'],
        filterableAttributes: ['locale', 'status'],
      })
      .waitTask()
      .then((task) => void checked(task))
      .catch((error: unknown) => {
        configured = undefined; // retry on the next call
        throw error;
      }));

  return {
    async indexArticle(id) {
      await ensureSettings();
      const row = await db.knowledgeArticle.findUnique({ where: { id } });
      if (!row) {
        checked(await index.deleteDocument(id).waitTask());
        return;
      }
      const document: ArticleDocument = {
        id: row.id,
        groupId: row.groupId,
        locale: row.locale,
        slug: row.slug,
        title: row.title,
        body: plainText(row.body),
        status: row.status,
      };
      checked(await index.addDocuments([document], { primaryKey: 'id' }).waitTask());
    },

    async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
      const text = query.trim();
      if (!text) return [];
      await ensureSettings();
      const filter = [
        ...(options.locale ? [`locale = ${quoted(options.locale)}`] : []),
        ...(options.publishedOnly ? ['status = "published"'] : []),
      ];
      const response = await index.search(text, {
        limit: searchLimit(options.limit),
        filter: filter.length ? filter.join(' AND ') : undefined,
        showRankingScore: true,
      });
      const words = queryWords(text);
      return response.hits.map((hit) => ({
        articleId: hit.id,
        groupId: hit.groupId,
        locale: hit.locale,
        slug: hit.slug,
        title: hit.title,
        snippet: snippetOf(hit.body, words),
        score: hit._rankingScore ?? 0,
      }));
    },
  };
}
