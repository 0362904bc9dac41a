// The knowledge base: admins write articles (every write a new version, re-indexed in the same
// transaction), agents and admins read and search them, anyone reads and searches what is
// published, and agents get articles suggested for a conversation. Admins also add or dismiss the
// example questions customers suggested by marking a bot answer helpful. Integrations read with
// knowledge:read and write with knowledge:write (which agents never have: writing is for admins).
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import {
  articleListQuery,
  createArticleBody,
  publicArticleQuery,
  publicSearchQuery,
  slugParams,
  suggestionParams,
  updateArticleBody,
} from '../../contract/requests/knowledge.js';
import { actorOf } from '../../infra/auth/principal.js';
import { passesScope, requireScope, requireUser } from '../authentication.js';
import type { ResolvedApiDeps } from '../deps.js';
import { findFirstCustomerMessage } from '../finders/conversation-finder.js';
import { findArticles, findArticleWithHistory, searchArticles } from '../finders/knowledge-finder.js';
import { notFound } from '../http-error.js';
import {
  acceptSuggestedQuestion,
  articleLocaleOf,
  createArticle,
  deleteArticle,
  dismissSuggestedQuestion,
  findPublishedArticle,
  toArticleView,
  toSuggestedQuestionView,
  toVersionView,
  updateArticle,
} from '../services/knowledge-service.js';
import { articleAnswer } from '../readable-views.js';
import { visibleConversation } from '../services/conversation-service.js';
import { parse } from '../validate.js';

/** Suggested articles per conversation. */
export const suggestionCount = 3;

export function knowledgeRoutes(deps: ResolvedApiDeps): Router {
  const router = Router();
  const { search } = deps;
  const serviceDeps = { db: deps.db, log: deps.log, temporal: deps.temporal, relay: deps.relay, search };

  router.post('/api/knowledge/articles', async (req, res) => {
    const caller = requireScope(res, 'knowledge:write', { users: 'admin' });
    const input = parse(createArticleBody, req.body);
    res.status(201).json({ article: articleAnswer(caller, await createArticle(serviceDeps, actorOf(caller), input)) });
  });

  router.get('/api/knowledge/articles', async (req, res) => {
    requireScope(res, 'knowledge:read');
    const input = parse(articleListQuery, req.query, 'query');
    if (input.q) res.json({ hits: await searchArticles(deps, input.q, input) });
    else res.json({ articles: await findArticles(deps.db, input) });
  });

  router.get('/api/knowledge/articles/:id', async (req, res) => {
    const reader = requireScope(res, 'knowledge:read');
    const { id } = parse(idParams, req.params, 'path');
    const row = await findArticleWithHistory(deps.db, id);
    if (!row) throw notFound('Article');
    res.json({
      article: toArticleView(row),
      versions: row.versions.map(toVersionView),
      // Customers' words, for whoever may accept them; readers of the article do not need them.
      suggestedQuestions: passesScope(reader, 'knowledge:write', { users: 'admin' }) ? row.suggestedQuestions.map(toSuggestedQuestionView) : [],
    });
  });

  router.patch('/api/knowledge/articles/:id', async (req, res) => {
    const caller = requireScope(res, 'knowledge:write', { users: 'admin' });
    const { id } = parse(idParams, req.params, 'path');
    const input = parse(updateArticleBody, req.body);
    res.json({ article: articleAnswer(caller, await updateArticle(serviceDeps, actorOf(caller), id, input)) });
  });

  router.post('/api/knowledge/articles/:id/suggested-questions/:suggestionId/accept', async (req, res) => {
    const caller = requireScope(res, 'knowledge:write', { users: 'admin' });
    const { id, suggestionId } = parse(suggestionParams, req.params, 'path');
    res.json({ article: articleAnswer(caller, await acceptSuggestedQuestion(serviceDeps, actorOf(caller), id, suggestionId)) });
  });

  router.delete('/api/knowledge/articles/:id/suggested-questions/:suggestionId', async (req, res) => {
    requireScope(res, 'knowledge:write', { users: 'admin' });
    const { id, suggestionId } = parse(suggestionParams, req.params, 'path');
    await dismissSuggestedQuestion(deps.db, id, suggestionId);
    res.status(204).end();
  });

  router.delete('/api/knowledge/articles/:id', async (req, res) => {
    const editor = actorOf(requireScope(res, 'knowledge:write', { users: 'admin' }));
    const { id } = parse(idParams, req.params, 'path');
    await deleteArticle(serviceDeps, editor, id);
    res.status(204).end();
  });

  router.get('/api/public/knowledge/search', async (req, res) => {
    const input = parse(publicSearchQuery, req.query, 'query');
    res.json({ hits: await search.search(input.q, { locale: input.locale, limit: input.limit ?? 10, publishedOnly: true }) });
  });

  router.get('/api/public/knowledge/articles/:slug', async (req, res) => {
    const { slug } = parse(slugParams, req.params, 'path');
    const input = parse(publicArticleQuery, req.query, 'query');
    const article = await findPublishedArticle(deps.db, input.locale, slug);
    if (!article) throw notFound('Article');
    res.json({ article });
  });

  router.get('/api/conversations/:id/suggested-articles', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const conversation = await visibleConversation(deps.db, viewer, id);
    const first = await findFirstCustomerMessage(deps.db, id);
    if (first === null) {
      res.json({ locale: null, articles: [] });
      return;
    }
    const articleLocale = articleLocaleOf(conversation.language, first);
    const hits = await search.search(first, { locale: articleLocale, limit: suggestionCount, publishedOnly: true });
    res.json({ locale: articleLocale, articles: hits });
  });

  return router;
}
