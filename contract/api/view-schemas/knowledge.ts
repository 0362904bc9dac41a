// Mentions and knowledge articles.
import { z } from 'zod';
import {
  articleLocales,
  articleStatuses,
  type ArticleHit,
  type ArticleSummary,
  type ArticleVersionView,
  type ArticleView,
  type MentionView,
  type SuggestedQuestionView,
} from '../../views.js';
import { named, tied, timestamp, id } from './support.js';

export const mentionViewSchema = tied<MentionView>()(
  'Mention',
  z.strictObject({
    id: z.string(),
    conversationId: id,
    occurredAt: timestamp,
    mentionedUserId: id,
    messageId: id,
    by: z.strictObject({ userId: id.nullable(), name: z.string().nullable() }),
    excerpt: z.string(),
    conversationNumber: z.int(),
  }),
);

export const articleSummarySchema = tied<ArticleSummary>()(
  'ArticleSummary',
  z.strictObject({
    id,
    groupId: id,
    locale: z.enum(articleLocales),
    slug: z.string(),
    title: z.string(),
    category: z.string(),
    tags: z.array(z.string()),
    questions: z.array(z.string()),
    status: z.enum(articleStatuses),
    version: z.int(),
    authorId: id.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    publishedAt: timestamp.nullable(),
  }),
);

export const articleViewSchema = tied<ArticleView>()('Article', articleSummarySchema.extend({ body: z.string() }));

/** What a key with `knowledge:write` but not `knowledge:read` gets of the article it wrote (docs/PERMISSIONS.md). */
export const articleReceiptSchema = articleViewSchema.pick({ id: true, slug: true, locale: true, status: true, version: true, updatedAt: true });

export const articleHitSchema = tied<ArticleHit>()(
  'ArticleHit',
  z.strictObject({ articleId: id, groupId: id, locale: z.string(), slug: z.string(), title: z.string(), snippet: z.string(), score: z.number() }),
);

export const articleVersionViewSchema = tied<ArticleVersionView>()(
  'ArticleVersion',
  z.strictObject({ version: z.int(), title: z.string(), body: z.string(), questions: z.array(z.string()), editorId: id.nullable(), createdAt: timestamp }),
);

export const suggestedQuestionViewSchema = tied<SuggestedQuestionView>()('SuggestedQuestion', z.strictObject({ id, text: z.string(), createdAt: timestamp }));

/** GET /api/knowledge/articles/:id: the article, its saved versions (newest first) and the questions suggested for it. */
export const articleDetailSchema = named(
  'ArticleDetail',
  z.strictObject({ article: articleViewSchema, versions: z.array(articleVersionViewSchema), suggestedQuestions: z.array(suggestedQuestionViewSchema) }),
);

/** A published article as the help center shows it: no example questions, version or author. */
export const publicArticleSchema = named('PublicArticle', articleViewSchema.omit({ questions: true, version: true, authorId: true }));
