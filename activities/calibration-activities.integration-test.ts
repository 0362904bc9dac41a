// Article embeddings in PostgreSQL through the scripted endpoint's /embeddings (a database cloned from
// the seeded template): the durable run after article changes (the calibration activity) embeds every
// published article once, records the call, and embeds again only what changed; the nearest articles
// by cosine come back from the stored arrays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { embedChangedArticles } from './calibration-activities.js';
import { useChatCompletionsServer } from '../test/support/chat-completions-server.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { createDb, type Db } from '../infra/db.js';
import { createAi } from '../infra/ai/create-ai.js';
import { createEmbedder, denseRanking, refreshArticleEmbeddings } from '../infra/ai/embeddings.js';

let db: Db;
const server = useChatCompletionsServer();

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
  // A scripted "meaning": card texts one way, everything else another.
  server.setEmbeddingsHandler((inputs) => inputs.map((text) => (/\bcards?\b/i.test(text) ? [1, 0] : [0, 1])));
});
afterAll(() => db?.$disconnect());

describe('article embeddings', () => {
  it('are computed by the durable run after article changes (the calibration activity, before its fit), recorded, and redone only for a changed article', async () => {
    const ai = createAi({ AI_BASE_URL: server.url, AI_MODEL: 'chat-model', AI_EMBEDDING_MODEL: 'embed-model' });
    const published = await db.knowledgeArticle.count({ where: { status: 'published' } });

    await embedChangedArticles(db, ai);
    const sent = server.embeddingsRequests.flatMap((request) => request.input);
    expect(sent).toHaveLength(published);
    expect(await db.articleEmbedding.count({ where: { model: 'embed-model' } })).toBe(published);
    expect(await db.aiCall.count({ where: { operation: 'embed', model: 'embed-model', conversationId: null, ok: true } })).toBe(1);

    const embedder = createEmbedder({ baseURL: server.url, model: 'embed-model' });
    expect((await refreshArticleEmbeddings(db, embedder)).embedded).toBe(0);
    const article = await db.knowledgeArticle.findFirstOrThrow({ where: { status: 'published', locale: 'en' } });
    await db.knowledgeArticle.update({ where: { id: article.id }, data: { body: `${article.body}\n\nUpdated.` } });
    expect((await refreshArticleEmbeddings(db, embedder)).embedded).toBe(1);
  });

  it('give the nearest published articles of a locale by cosine', async () => {
    const nearest = await denseRanking(db, 'embed-model', [1, 0], 'en', 3);
    expect(nearest).toHaveLength(3);
    expect(nearest[0]!.score).toBe(1);
    const titles = await db.knowledgeArticle.findMany({
      where: { id: { in: nearest.map((hit) => hit.articleId) } },
      select: { title: true, body: true, questions: true },
    });
    expect(titles.every((article) => /\bcards?\b/i.test([article.title, ...article.questions, article.body].join('\n')))).toBe(true);
  });
});
