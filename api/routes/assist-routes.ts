// Agent assist: a reply drafted by the AI layer from the conversation and the knowledge articles
// its customer's last message is about. The agent edits and sends it; nothing is stored but the
// record of the AI call (tokens, latency).
import { Router } from 'express';
import { z } from 'zod';
import { canSee } from '../../domain/visibility.js';
import { createAi } from '../../infra/ai/create-ai.js';
import { createPostgresSearch } from '../../infra/search/postgres-search.js';
import { requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import { parse } from '../validate.js';
import { articleLocaleOf } from './knowledge-routes.js';

const idParams = z.object({ id: z.uuid() });
/** Articles the draft may draw on. */
const draftArticles = 3;
/** Recent messages the AI reads: enough context, bounded cost. */
const transcriptLength = 40;

export function assistRoutes(deps: ApiDeps): Router {
  const router = Router();
  const search = deps.search ?? createPostgresSearch(deps.db);
  const ai = deps.ai ?? createAi();

  router.post('/api/conversations/:id/draft', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const conversation = await deps.db.conversation.findUnique({ where: { id } });
    if (!conversation || !canSee(viewer, { ...conversation, internal: false })) throw notFound('Conversation');
    const recent = await deps.db.message.findMany({ where: { conversationId: id, private: false }, orderBy: { createdAt: 'desc' }, take: transcriptLength });
    const transcript = recent.reverse().map((message) => ({ authorKind: message.authorKind, body: message.body }));
    const question = transcript.findLast((message) => message.authorKind === 'customer')?.body ?? '';

    const hits = question ? await search.search(question, { locale: articleLocaleOf(conversation.language, question), limit: draftArticles, publishedOnly: true }) : [];
    const articles = await deps.db.knowledgeArticle.findMany({ where: { id: { in: hits.map((hit) => hit.articleId) } } });
    const started = performance.now();
    let result;
    try {
      result = await ai.draftReply(transcript, articles);
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      await deps.db.aiCall.create({ data: { operation: 'draft', provider: ai.provider, model: 'unknown', latencyMs, ok: false, conversationId: id } });
      throw error;
    }
    await deps.db.aiCall.create({ data: { operation: 'draft', ...result.usage, ok: true, conversationId: id } });
    const byId = new Map(articles.map((article) => [article.id, article]));
    const citations = result.citations.flatMap((articleId) => {
      const article = byId.get(articleId);
      return article ? [{ id: article.id, title: article.title, slug: article.slug, locale: article.locale }] : [];
    });
    res.json({ draft: result.draft, citations, provider: ai.provider });
  });

  return router;
}
