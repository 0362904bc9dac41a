// Knowledge search on Meilisearch (used when MEILI_URL is set). This adapter keeps one index,
// `articles`, in step with the KnowledgeArticle rows: indexArticle() re-reads the row and replaces
// or removes the document, and waits until Meilisearch has applied it, so a search right after
// the write sees it (the behaviour both backends owe: test/support/knowledge-search-contract.ts).
//
// Meilisearch cuts text into words by language, and guesses the language of a text it is not
// told: a short Chinese text can pass for Japanese and be cut differently when indexed and when
// searched, and then its words never meet. So each document keeps its searchable text in fields
// named for its locale (title_en / body_en / questions_en, title_zh / ...), the index's localizedAttributes
// say which language those fields are in, and a search in one locale says the query's language.
import { Meilisearch, type Settings, type Task } from 'meilisearch';
import { simplifiedChinese } from '../chinese-text.js';
import type { Db } from '../db.js';
import { plainText, searchLimit, snippetOf, type KnowledgeSearch, type SearchedArticle, type SearchHit, type SearchOptions } from './knowledge-search.js';
import { queryWords, stopwords } from './text.js';

export const meiliIndexName = 'articles';

/** Per locale: the suffix of its searchable fields and its language for Meilisearch (ISO 639-3). */
const languages: Record<string, { suffix: string; locale: string }> = {
  en: { suffix: 'en', locale: 'eng' },
  'zh-CN': { suffix: 'zh', locale: 'cmn' },
};
/** Fields of any other locale: Meilisearch detects their language. */
const otherSuffix = 'other';
const suffixes = [...Object.values(languages).map((language) => language.suffix), otherSuffix];

/** `body` is plain text here, for snippets. */
interface ArticleDocument extends SearchedArticle {
  status: string;
  /**
   * `title_en`, `body_zh`, `questions_en`, ...: the searchable copies, in the fields of the
   * article's locale. Only searched, never retrieved: the example questions are not shown.
   */
  [localized: `${'title' | 'body' | 'questions'}_${string}`]: string | string[];
}

const settings: Settings = {
  // Meilisearch's attribute rule ranks a match in an earlier field higher: the title first, then
  // the example questions (a customer's own phrasing of what the article answers, chosen by an
  // admin), then the body, whose words are often only mentioned in passing.
  searchableAttributes: (['title', 'questions', 'body'] as const).flatMap((field) => suffixes.map((suffix) => `${field}_${suffix}`)),
  filterableAttributes: ['locale', 'status'],
  localizedAttributes: Object.values(languages).map((language) => ({ attributePatterns: [`*_${language.suffix}`], locales: [language.locale] })),
  // The words PostgreSQL drops too: questions are phrased freely ("how can I ...").
  stopWords: [...stopwords],
};

/** Applying settings re-indexes every document, and tasks run one after another: be patient. */
const taskTimeoutMs = 60_000;

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
  // Settings are applied once per process, before the first write or search (creating the index
  // if need be); applying the same settings again changes nothing in Meilisearch.
  const ensureSettings = () =>
    (configured ??= index
      .updateSettings(settings)
      .waitTask({ timeout: taskTimeoutMs })
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
        checked(await index.deleteDocument(id).waitTask({ timeout: taskTimeoutMs }));
        return;
      }
      const body = plainText(row.body);
      const suffix = languages[row.locale]?.suffix ?? otherSuffix;
      const document: ArticleDocument = {
        id: row.id,
        groupId: row.groupId,
        locale: row.locale,
        slug: row.slug,
        title: row.title,
        body,
        status: row.status,
        // The searchable copies have Traditional Chinese folded to Simplified, as the query has: the
        // same folding as the PostgreSQL backend, whatever Meilisearch's own normalizer does.
        [`title_${suffix}`]: simplifiedChinese(row.title),
        [`body_${suffix}`]: simplifiedChinese(body),
        // A list, not joined text: Meilisearch keeps its items apart, so no phrase runs into the next.
        [`questions_${suffix}`]: row.questions.map(simplifiedChinese),
      };
      // Adding a document with a known id replaces it whole, so words it lost are gone too.
      checked(await index.addDocuments([document], { primaryKey: 'id' }).waitTask({ timeout: taskTimeoutMs }));
    },

    async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
      const text = query.trim();
      const words = queryWords(text);
      // Meilisearch answers a query without a word (blank, or only stopwords) with every document.
      if (words.length === 0) return [];
      await ensureSettings();
      const filter = [...(options.locale ? [`locale = ${quoted(options.locale)}`] : []), ...(options.publishedOnly ? ['status = "published"'] : [])];
      const language = options.locale ? languages[options.locale]?.locale : undefined;
      const response = await index.search(simplifiedChinese(text), {
        limit: searchLimit(options.limit),
        filter: filter.length ? filter.join(' AND ') : undefined,
        ...(language ? { locales: [language] } : {}),
        // A question rarely has all its words in one article: drop the commonest words first
        // (the default drops the last ones, often the most telling).
        matchingStrategy: 'frequency',
        attributesToRetrieve: ['id', 'groupId', 'locale', 'slug', 'title', 'body'],
        showRankingScore: true,
      });
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
