// Mentions and knowledge articles.
import { z } from 'zod';
import { articleLocales, articleStatuses, type ArticleHit, type ArticleSummary, type ArticleView, type MentionView } from '../../views.js';
import { tied, timestamp, id } from './support.js';

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
