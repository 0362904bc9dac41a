// Agent assist: a reply drafted by the AI layer from the conversation and the knowledge articles
// its customer's last message is about. The agent edits and sends it; nothing is stored but the
// record of the AI call (tokens, latency).
import { Router } from 'express';
import { z } from 'zod';
import { createAi } from '../../infra/ai/create-ai.js';
import { recordedAiCall } from '../../infra/ai/record-ai-call.js';
import { createPostgresSearch } from '../../infra/search/postgres-search.js';
import { requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { visibleConversation } from '../services/conversation-service.js';
import { articleLocaleOf } from '../services/knowledge-service.js';
import { parse } from '../validate.js';

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
    const conversation = await visibleConversation(deps.db, viewer, id);
    const recent = await deps.db.message.findMany({ where: { conversationId: id, private: false }, orderBy: { createdAt: 'desc' }, take: transcriptLength });
    const transcript = recent.reverse().map((message) => ({ authorKind: message.authorKind, body: message.body }));
    const question = transcript.findLast((message) => message.authorKind === 'customer')?.body ?? '';

    const hits = question ? await search.search(question, { locale: articleLocaleOf(conversation.language, question), limit: draftArticles, publishedOnly: true }) : [];
    const articles = await deps.db.knowledgeArticle.findMany({ where: { id: { in: hits.map((hit) => hit.articleId) } } });
    const result = await recordedAiCall(deps.db, { operation: 'draft', provider: ai.provider, conversationId: id }, () => ai.draftReply(transcript, articles));
    const byId = new Map(articles.map((article) => [article.id, article]));
    const citations = result.citations.flatMap((articleId) => {
      const article = byId.get(articleId);
      return article ? [{ id: article.id, title: article.title, slug: article.slug, locale: article.locale }] : [];
    });
    res.json({ draft: result.draft, citations, provider: ai.provider });
  });

  return router;
}
