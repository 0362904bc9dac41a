// The knowledge base: admins write articles (every write a new version, re-indexed in the same
// transaction), agents and admins read and search them, anyone reads and searches what is
// published, and agents get articles suggested for a conversation. Admins also add or dismiss the
// example questions customers suggested by marking a bot answer helpful. Integrations read with
// knowledge:read and write with knowledge:write (which agents never have: writing is for admins).
import { Router } from 'express';
import { z } from 'zod';
import { maxQuestionLength, maxQuestionsPerArticle } from '../../domain/example-questions.js';
import { createPostgresSearch } from '../../infra/search/postgres-search.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { actorOf } from '../../infra/auth/principal.js';
import { passesScope, requireScope, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import {
  acceptSuggestedQuestion,
  articleLocaleOf,
  articleLocales,
  articleStatuses,
  createArticle,
  deleteArticle,
  dismissSuggestedQuestion,
  findPublishedArticle,
  shownSuggestions,
  toArticleSummary,
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

const title = z.string().trim().min(1).max(300);
const body = z.string().trim().min(1).max(50_000);
const category = z.string().trim().min(1).max(100);
const tags = z.array(z.string().trim().min(1).max(50)).max(20);
// Repeats are dropped rather than refused: pasting a list of phrasings often repeats one.
const questions = z
  .array(z.string().trim().min(1).max(maxQuestionLength))
  .max(maxQuestionsPerArticle)
  .transform((list) => [...new Set(list)]);
const locale = z.enum(articleLocales);
const status = z.enum(articleStatuses);
const query = z.string().trim().min(1).max(200);

const createBody = z.strictObject({
  title,
  body,
  category: category.optional(),
  tags: tags.optional(),
  questions: questions.optional(),
  locale,
  status: status.optional(),
  groupId: z.uuid().optional(),
});
const updateBody = z
  .strictObject({
    title: title.optional(),
    body: body.optional(),
    category: category.optional(),
    tags: tags.optional(),
    questions: questions.optional(),
    status: status.optional(),
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined), { message: 'Change at least one field.' });
const listQuery = z.strictObject({ locale: locale.optional(), status: status.optional(), q: query.optional() });
const publicSearchQuery = z.strictObject({ q: query, locale: locale.optional(), limit: z.coerce.number().int().min(1).max(20).optional() });
const publicArticleQuery = z.strictObject({ locale: locale.default('en') });
const idParams = z.object({ id: z.uuid() });
const suggestionParams = z.object({ id: z.uuid(), suggestionId: z.uuid() });
const slugParams = z.object({ slug: z.string().min(1).max(200) });

export function knowledgeRoutes(deps: ApiDeps): Router {
  const router = Router();
  const search = deps.search ?? createPostgresSearch(deps.db);
  const serviceDeps = { db: deps.db, log: deps.log, search };

  router.post('/api/knowledge/articles', async (req, res) => {
    const caller = requireScope(res, 'knowledge:write', { users: 'admin' });
    const input = parse(createBody, req.body);
    res.status(201).json({ article: articleAnswer(caller, await createArticle(serviceDeps, actorOf(caller), input)) });
  });

  router.get('/api/knowledge/articles', async (req, res) => {
    requireScope(res, 'knowledge:read');
    const input = parse(listQuery, req.query, 'query');
    if (input.q) {
      const hits = await search.search(input.q, { locale: input.locale, limit: 50, publishedOnly: input.status === 'published' });
      if (input.status === 'draft') {
        const drafts = new Set(
          (await deps.db.knowledgeArticle.findMany({ where: { id: { in: hits.map((hit) => hit.articleId) }, status: 'draft' }, select: { id: true } })).map(
            (row) => row.id,
          ),
        );
        res.json({ hits: hits.filter((hit) => drafts.has(hit.articleId)) });
        return;
      }
      res.json({ hits });
      return;
    }
    const where: Prisma.KnowledgeArticleWhereInput = { ...(input.locale ? { locale: input.locale } : {}), ...(input.status ? { status: input.status } : {}) };
    const rows = await deps.db.knowledgeArticle.findMany({ where, orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }], take: 500 });
    res.json({ articles: rows.map(toArticleSummary) });
  });

  router.get('/api/knowledge/articles/:id', async (req, res) => {
    const reader = requireScope(res, 'knowledge:read');
    const { id } = parse(idParams, req.params, 'path');
    const row = await deps.db.knowledgeArticle.findUnique({
      where: { id },
      include: {
        versions: { orderBy: { version: 'desc' } },
        suggestedQuestions: { orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: shownSuggestions },
      },
    });
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
    const input = parse(updateBody, req.body);
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
    const first = await deps.db.message.findFirst({
      where: { conversationId: id, authorKind: 'customer' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { body: true },
    });
    if (!first) {
      res.json({ locale: null, articles: [] });
      return;
    }
    const articleLocale = articleLocaleOf(conversation.language, first.body);
    const hits = await search.search(first.body, { locale: articleLocale, limit: suggestionCount, publishedOnly: true });
    res.json({ locale: articleLocale, articles: hits });
  });

  return router;
}
