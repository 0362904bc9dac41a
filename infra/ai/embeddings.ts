// Dense retrieval through the configured endpoint's /embeddings (issue 20 item 4): each published
// article's embedding is stored in PostgreSQL (ArticleEmbedding, real[]; no pgvector needed), the
// question is embedded when the bot answers, and the articles closest by cosine are fused with the
// lexical search's ranking by reciprocal rank fusion. On only with a model endpoint and
// AI_EMBEDDING_MODEL; the lexical ranking stays the default.
import { createHash } from 'node:crypto';
import type { Db } from '../db.js';
import type { AiUsage } from './ai-api.js';
import { createOpenAiClient } from './openai-ai.js';
import { costOf, type PriceTable } from './prices.js';

export interface Embedder {
  readonly model: string;
  /** One vector per text, in order; usage for the AI calls log. */
  embed(texts: readonly string[]): Promise<{ vectors: number[][]; usage: AiUsage }>;
}

export interface EmbedderOptions {
  baseURL?: string;
  apiKey?: string;
  model: string;
  timeoutMs?: number;
  maxRetries?: number;
  prices?: PriceTable;
}

/** Texts per /embeddings request. */
const batchSize = 64;

/** An embedder on the endpoint's /embeddings. */
export function createEmbedder(options: EmbedderOptions): Embedder {
  const client = createOpenAiClient(options);
  const { model, prices = {} } = options;
  return {
    model,
    async embed(texts) {
      const started = performance.now();
      const vectors: number[][] = [];
      let promptTokens = 0;
      let reportedModel = model;
      for (let at = 0; at < texts.length; at += batchSize) {
        const response = await client.embeddings.create({ model, input: texts.slice(at, at + batchSize) });
        const data = [...response.data].sort((a, b) => a.index - b.index);
        if (data.length !== Math.min(batchSize, texts.length - at))
          throw new Error(`the endpoint returned ${data.length} embeddings for ${Math.min(batchSize, texts.length - at)} texts`);
        vectors.push(...data.map((item) => item.embedding));
        promptTokens += response.usage?.prompt_tokens ?? 0;
        reportedModel = response.model || reportedModel;
      }
      const usage = {
        provider: 'openai' as const,
        model: reportedModel,
        promptTokens,
        completionTokens: 0,
        latencyMs: Math.round(performance.now() - started),
      };
      return { vectors, usage: { ...usage, cost: costOf(prices, usage.model, promptTokens, 0) } };
    },
  };
}

/** What an article's embedding is computed from: its title, example questions and body. */
const embeddedText = (article: { title: string; body: string; questions: readonly string[] }) =>
  [article.title, ...article.questions, article.body].join('\n').slice(0, 8000);

const hashOf = (model: string, text: string) => createHash('sha256').update(model).update('\0').update(text).digest('hex');

/**
 * Embeds the published articles (of one locale, or all) whose stored embedding is missing or was
 * computed from another text or model. Returns how many were embedded and the call's usage (null
 * when nothing needed it).
 */
export async function refreshArticleEmbeddings(db: Db, embedder: Embedder, locale?: string): Promise<{ embedded: number; usage: AiUsage | null }> {
  const articles = await db.knowledgeArticle.findMany({
    where: { status: 'published', ...(locale ? { locale } : {}) },
    select: { id: true, title: true, body: true, questions: true },
  });
  const stored = new Map(
    (
      await db.articleEmbedding.findMany({
        where: { articleId: { in: articles.map((article) => article.id) } },
        select: { articleId: true, contentHash: true },
      })
    ).map((row) => [row.articleId, row.contentHash]),
  );
  const stale = articles
    .map((article) => ({ id: article.id, text: embeddedText(article) }))
    .map((article) => ({ ...article, hash: hashOf(embedder.model, article.text) }))
    .filter((article) => stored.get(article.id) !== article.hash);
  if (stale.length === 0) return { embedded: 0, usage: null };
  const { vectors, usage } = await embedder.embed(stale.map((article) => article.text));
  await db.$transaction(
    stale.map((article, index) =>
      db.articleEmbedding.upsert({
        where: { articleId: article.id },
        create: { articleId: article.id, model: embedder.model, contentHash: article.hash, vector: vectors[index]! },
        update: { model: embedder.model, contentHash: article.hash, vector: vectors[index]! },
      }),
    ),
  );
  return { embedded: stale.length, usage };
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** The published articles of a locale closest to a query vector, best first (embeddings of this model only). */
export async function denseRanking(
  db: Db,
  model: string,
  query: readonly number[],
  locale: string,
  limit: number,
): Promise<{ articleId: string; score: number }[]> {
  const rows = await db.$queryRaw<{ articleId: string; vector: number[] }[]>`
    SELECT e."articleId", e.vector FROM "ArticleEmbedding" e JOIN "KnowledgeArticle" a ON a.id = e."articleId"
    WHERE a.status = 'published' AND a.locale = ${locale} AND e.model = ${model}`;
  return rows
    .map((row) => ({ articleId: row.articleId, score: cosine(query, row.vector) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/** Reciprocal rank fusion: each list adds 1 / (k + rank) to an id's score (rank from 1); best first, ties in first-seen order. */
export function fuseRankings(lists: readonly (readonly string[])[], k = 60): string[] {
  const scores = new Map<string, number>();
  for (const list of lists) list.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1)));
  return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}
