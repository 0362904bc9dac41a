// Knowledge-base commands. Each write stores the article, its search text (the PostgreSQL search
// index) and its event in one transaction, so the index never lags the row; an external index
// (Meilisearch) is brought up to date after the commit through KnowledgeSearch.indexArticle().
import { randomBytes } from 'node:crypto';
import type { EventPayloadOf } from '../../contract/events.js';
import type { CreateArticleInput, UpdateArticleInput } from '../../contract/requests/knowledge.js';
import { maxQuestionsPerArticle } from '../../domain/example-questions.js';
import type { Actor } from '../../infra/auth/principal.js';
import { appendEvent } from '../../infra/event-log.js';
import type { Db, Tx } from '../../infra/db.js';
import { searchTextOf } from '../../infra/search/text.js';
import type { KnowledgeSearch } from '../../infra/search/knowledge-search.js';
import { type ArticleQuestionSuggestion, type KnowledgeArticle, type KnowledgeArticleVersion } from '../../prisma/generated/client.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, conflict, notFound } from '../http-error.js';
import { isUniqueViolation } from './prisma-errors.js';
import { workflowGateway, type GatewayDeps } from './workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'log'> & Partial<GatewayDeps> & { search: KnowledgeSearch };

/**
 * A change the bot answers from (a published article created, changed, unpublished or deleted):
 * the organisation's calibration workflow recalibrates, debounced (workflows/knowledge-calibration.ts),
 * through the outbox in the change's own transaction. Without Temporal deps (scripts), nothing.
 */
function calibrationOutbox(deps: Deps) {
  const outbox = deps.temporal ? workflowGateway({ db: deps.db, temporal: deps.temporal, relay: deps.relay }).outbox() : undefined;
  return {
    write: async (tx: Tx, published: boolean) => {
      if (published) await outbox?.write(tx, [{ kind: 'knowledge_changed', organizationId: 1, trigger: 'article_changed' }]);
    },
    deliver: async () => outbox?.deliver(),
  };
}

export const articleLocales = ['en', 'zh-CN'] as const;
export type ArticleLocale = (typeof articleLocales)[number];
export const articleStatuses = ['draft', 'published'] as const;
export type ArticleStatusValue = (typeof articleStatuses)[number];

export function toArticleView(row: KnowledgeArticle) {
  return {
    id: row.id,
    groupId: row.groupId,
    // A free string in the table; every write goes through articleLocales (the routes' schema).
    locale: row.locale as ArticleLocale,
    slug: row.slug,
    title: row.title,
    body: row.body,
    category: row.category,
    tags: row.tags,
    questions: row.questions,
    status: row.status,
    version: row.version,
    authorId: row.authorId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
  };
}
export type ArticleView = ReturnType<typeof toArticleView>;

/** The list shape: everything but the body. */
export function toArticleSummary(row: KnowledgeArticle) {
  const { body: _body, ...summary } = toArticleView(row);
  return summary;
}

/**
 * What the public help center shows of a published article. The example questions stay inside:
 * they are the customers' phrasings for the bot and search, not text for the page.
 */
export function toPublicArticleView(row: KnowledgeArticle) {
  const { questions: _questions, authorId: _authorId, version: _version, ...article } = toArticleView(row);
  return article;
}
export type PublicArticleView = ReturnType<typeof toPublicArticleView>;

export function toVersionView(row: KnowledgeArticleVersion) {
  return { version: row.version, title: row.title, body: row.body, questions: row.questions, editorId: row.editorId, createdAt: row.createdAt.toISOString() };
}

/** A URL slug from an English title; Chinese titles have no Latin letters and get a random one. */
export function slugOf(title: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f']/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || `article-${randomBytes(4).toString('hex')}`;
}

/** `base`, or `base-2`, `base-3`, … — the first not yet used in this locale. */
async function freeSlug(tx: Tx, locale: string, base: string): Promise<string> {
  const taken = new Set((await tx.knowledgeArticle.findMany({ where: { locale, slug: { startsWith: base } }, select: { slug: true } })).map((row) => row.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Article events are internal (agents only) and name the editor: an admin, or an integration's key. */
function recordArticleEvent<T extends 'knowledge.article_created' | 'knowledge.article_updated' | 'knowledge.article_deleted'>(
  tx: Tx,
  editor: Actor,
  type: T,
  payload: EventPayloadOf<T>,
) {
  return appendEvent(tx, { type, actorKind: editor.actorKind, actorId: editor.actorId, internal: true, payload });
}

/** After the commit: an external index follows; a failure there is logged, the write stands. */
async function reindex(deps: Deps, id: string): Promise<void> {
  try {
    await deps.search.indexArticle(id);
  } catch (error) {
    deps.log(`could not index knowledge article ${id}`, error);
  }
}

/** `editor`: an admin, or an integration (the article then has no author; the event names the key). */
export async function createArticle(deps: Deps, editor: Actor, input: CreateArticleInput): Promise<ArticleView> {
  const status = input.status ?? 'draft';
  const questions = input.questions ?? [];
  let article: ArticleView;
  const calibration = calibrationOutbox(deps);
  try {
    article = await deps.db.$transaction(async (tx) => {
      let baseSlug = slugOf(input.title);
      if (input.groupId) {
        const siblings = await tx.knowledgeArticle.findMany({ where: { groupId: input.groupId }, orderBy: { createdAt: 'asc' } });
        if (siblings.length === 0) throw badRequest('unknown_group', 'groupId names no existing article: translate an article that exists.');
        if (siblings.some((sibling) => sibling.locale === input.locale)) {
          throw conflict('translation_exists', `This article already has a ${input.locale} translation: edit that one.`);
        }
        // Translations share their slug where they can, so /articles/:slug works in every locale.
        baseSlug = siblings[0]!.slug;
      }
      const row = await tx.knowledgeArticle.create({
        data: {
          ...(input.groupId ? { groupId: input.groupId } : {}),
          locale: input.locale,
          slug: await freeSlug(tx, input.locale, baseSlug),
          title: input.title,
          body: input.body,
          searchText: searchTextOf(input.title, input.body, questions),
          category: input.category ?? 'general',
          tags: input.tags ?? [],
          questions,
          status,
          publishedAt: status === 'published' ? new Date() : null,
          authorId: editor.userId,
          versions: { create: { version: 1, title: input.title, body: input.body, questions, editorId: editor.userId } },
        },
      });
      const view = toArticleView(row);
      await recordArticleEvent(tx, editor, 'knowledge.article_created', { article: toArticleSummary(row) });
      await calibration.write(tx, status === 'published');
      return view;
    });
  } catch (error) {
    // Two creations raced for one slug or one translation slot.
    if (isUniqueViolation(error)) throw conflict('article_conflict', 'Another article took this slug or translation at the same moment: retry.');
    throw error;
  }
  await calibration.deliver();
  await reindex(deps, article.id);
  return article;
}

/** Applies the change, bumps `version` and keeps the new version's copy; one transaction. */
export async function updateArticle(deps: Deps, editor: Actor, id: string, input: UpdateArticleInput): Promise<ArticleView> {
  const calibration = calibrationOutbox(deps);
  const article = await deps.db.$transaction(async (tx) => {
    const current = await tx.knowledgeArticle.findUnique({ where: { id } });
    if (!current) throw notFound('Article');
    const title = input.title ?? current.title;
    const body = input.body ?? current.body;
    const questions = input.questions ?? current.questions;
    // The increment locks the row, so concurrent edits get consecutive versions.
    const row = await tx.knowledgeArticle.update({
      where: { id },
      data: {
        title,
        body,
        searchText: searchTextOf(title, body, questions),
        questions,
        ...(input.category !== undefined ? { category: input.category } : {}),
        ...(input.tags !== undefined ? { tags: input.tags } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.status === 'published' && !current.publishedAt ? { publishedAt: new Date() } : {}),
        version: { increment: 1 },
      },
    });
    await tx.knowledgeArticleVersion.create({ data: { articleId: id, version: row.version, title, body, questions, editorId: editor.userId } });
    await recordArticleEvent(tx, editor, 'knowledge.article_updated', { article: toArticleSummary(row), changed: Object.keys(input) });
    await calibration.write(tx, current.status === 'published' || row.status === 'published');
    return toArticleView(row);
  });
  await calibration.deliver();
  await reindex(deps, id);
  return article;
}

/** How many suggested example questions the article editor lists, newest first. */
export const shownSuggestions = 50;

export function toSuggestedQuestionView(row: ArticleQuestionSuggestion) {
  return { id: row.id, text: row.text, createdAt: row.createdAt.toISOString() };
}

async function findSuggestion(db: Db, articleId: string, suggestionId: string): Promise<ArticleQuestionSuggestion> {
  const suggestion = await db.articleQuestionSuggestion.findFirst({ where: { id: suggestionId, articleId } });
  if (!suggestion) throw notFound('Suggested question');
  return suggestion;
}

/**
 * Makes a customer's suggested question one of the article's example questions, as an ordinary
 * edit (new version, search text, event, index), then drops the suggestion. When the article
 * already has the text (added by hand meanwhile), only the suggestion goes.
 */
export async function acceptSuggestedQuestion(deps: Deps, editor: Actor, articleId: string, suggestionId: string): Promise<ArticleView> {
  const suggestion = await findSuggestion(deps.db, articleId, suggestionId);
  const current = await deps.db.knowledgeArticle.findUnique({ where: { id: articleId } });
  if (!current) throw notFound('Article'); // deleted since: its suggestions went with it
  let article = toArticleView(current);
  if (!current.questions.includes(suggestion.text)) {
    if (current.questions.length >= maxQuestionsPerArticle) {
      throw conflict('too_many_questions', `The article already has ${maxQuestionsPerArticle} example questions: remove one first.`);
    }
    article = await updateArticle(deps, editor, articleId, { questions: [...current.questions, suggestion.text] });
  }
  // deleteMany: a second admin accepting at the same moment may have removed it already.
  await deps.db.articleQuestionSuggestion.deleteMany({ where: { id: suggestionId } });
  return article;
}

/** Drops a suggested question; the article stays as it is. */
export async function dismissSuggestedQuestion(db: Db, articleId: string, suggestionId: string): Promise<void> {
  const { count } = await db.articleQuestionSuggestion.deleteMany({ where: { id: suggestionId, articleId } });
  if (count === 0) throw notFound('Suggested question');
}

/**
 * Deletes the article and its versions for good (translations in its group stay). The event
 * log keeps what was deleted; to hide an article but keep it, PATCH its status to draft.
 */
export async function deleteArticle(deps: Deps, editor: Actor, id: string): Promise<void> {
  const calibration = calibrationOutbox(deps);
  await deps.db.$transaction(async (tx) => {
    const current = await tx.knowledgeArticle.findUnique({ where: { id } });
    if (!current) throw notFound('Article');
    await tx.knowledgeArticle.delete({ where: { id } });
    await recordArticleEvent(tx, editor, 'knowledge.article_deleted', { article: toArticleSummary(current) });
    await calibration.write(tx, current.status === 'published');
  });
  await calibration.deliver();
  await reindex(deps, id);
}

// Read-only finders for the public help center: published articles only, drafts never leave.

/** How many articles one help-center list page shows at most. */
export const maxPublishedArticles = 500;

/** The published articles of one locale without bodies, by category, then title. */
export async function listPublishedArticles(db: Db, locale: ArticleLocale) {
  const rows = await db.knowledgeArticle.findMany({
    where: { locale, status: 'published' },
    orderBy: [{ category: 'asc' }, { title: 'asc' }, { id: 'asc' }],
    take: maxPublishedArticles,
  });
  return rows.map((row) => {
    const { body: _body, ...summary } = toPublicArticleView(row);
    return summary;
  });
}

/** The published article at `slug` in `locale`; null for a draft or an unknown slug. */
export async function findPublishedArticle(db: Db, locale: ArticleLocale, slug: string): Promise<PublicArticleView | null> {
  const row = await db.knowledgeArticle.findUnique({ where: { locale_slug: { locale, slug } } });
  return row && row.status === 'published' ? toPublicArticleView(row) : null;
}

/** The slug of the group's published translation in `locale`, if there is one. */
export async function findPublishedTranslationSlug(db: Db, groupId: string, locale: ArticleLocale): Promise<string | null> {
  const row = await db.knowledgeArticle.findFirst({ where: { groupId, locale, status: 'published' }, select: { slug: true } });
  return row?.slug ?? null;
}

/** A conversation's language as an article locale: Chinese variants read zh-CN, the rest en. */
export function articleLocaleOf(language: string | null | undefined, text: string): ArticleLocale {
  if (language) return language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  return /\p{Script=Han}/u.test(text) ? 'zh-CN' : 'en';
}
