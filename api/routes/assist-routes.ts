// Agent assist: a reply drafted by the AI layer from the conversation and the knowledge articles
// its customer's last message is about. The agent edits and sends it; nothing is stored but the
// record of the AI call (tokens, latency).
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import { recordedAiCall } from '../../infra/ai/record-ai-call.js';
import { requireUser } from '../authentication.js';
import type { ResolvedApiDeps } from '../deps.js';
import { findRecentTranscript } from '../finders/conversation-finder.js';
import { findArticlesByIds } from '../finders/knowledge-finder.js';
import { visibleConversation } from '../services/conversation-service.js';
import { articleLocaleOf } from '../services/knowledge-service.js';
import { parse } from '../validate.js';

/** Articles the draft may draw on. */
const draftArticles = 3;
/** Recent messages the AI reads: enough context, bounded cost. */
const transcriptLength = 40;

export function assistRoutes(deps: ResolvedApiDeps): Router {
  const router = Router();
  const { search, ai } = deps;

  router.post('/api/conversations/:id/draft', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const conversation = await visibleConversation(deps.db, viewer, id);
    const transcript = await findRecentTranscript(deps.db, id, transcriptLength);
    const question = transcript.findLast((message) => message.authorKind === 'customer')?.body ?? '';

    const hits = question
      ? await search.search(question, { locale: articleLocaleOf(conversation.language, question), limit: draftArticles, publishedOnly: true })
      : [];
    const articles = await findArticlesByIds(
      deps.db,
      hits.map((hit) => hit.articleId),
    );
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
