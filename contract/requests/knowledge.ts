// The knowledge base: articles as admins write them, the lists and searches agents and the public
// run (the languages and statuses are the views': ../views.ts).
import { z } from 'zod';
import { maxQuestionLength, maxQuestionsPerArticle } from '../../domain/example-questions.js';
import { articleLocales, articleStatuses } from '../views.js';

export const articleLocale = z.enum(articleLocales);
export const articleStatus = z.enum(articleStatuses);

const title = z.string().trim().min(1).max(300);
const body = z.string().trim().min(1).max(50_000);
const category = z.string().trim().min(1).max(100);
const tags = z.array(z.string().trim().min(1).max(50)).max(20);
// Repeats are dropped rather than refused: pasting a list of phrasings often repeats one.
const questions = z
  .array(z.string().trim().min(1).max(maxQuestionLength))
  .max(maxQuestionsPerArticle)
  .transform((list) => [...new Set(list)]);
const searchText = z.string().trim().min(1).max(200);

/** POST /api/knowledge/articles (`groupId`: the article this one translates). */
export const createArticleBody = z.strictObject({
  title,
  body,
  category: category.optional(),
  tags: tags.optional(),
  questions: questions.optional(),
  locale: articleLocale,
  status: articleStatus.optional(),
  groupId: z.uuid().optional(),
});
/** An article as it is created; `questions` are how customers ask for it (searched, never shown publicly). */
export type CreateArticleInput = z.input<typeof createArticleBody>;

/** PATCH /api/knowledge/articles/:id */
export const updateArticleBody = z
  .strictObject({
    title: title.optional(),
    body: body.optional(),
    category: category.optional(),
    tags: tags.optional(),
    questions: questions.optional(),
    status: articleStatus.optional(),
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined), { message: 'Change at least one field.' });
export type UpdateArticleInput = z.input<typeof updateArticleBody>;

/** GET /api/knowledge/articles: a list, or search hits with `q`. */
export const articleListQuery = z.strictObject({ locale: articleLocale.optional(), status: articleStatus.optional(), q: searchText.optional() });
export type ArticleListQuery = z.infer<typeof articleListQuery>;

/** GET /api/public/knowledge/search */
export const publicSearchQuery = z.strictObject({ q: searchText, locale: articleLocale.optional(), limit: z.coerce.number().int().min(1).max(20).optional() });

/** GET /api/public/knowledge/articles/:slug */
export const publicArticleQuery = z.strictObject({ locale: articleLocale.default('en') });
export const slugParams = z.object({ slug: z.string().min(1).max(200) });

/** /api/knowledge/articles/:id/suggested-questions/:suggestionId… */
export const suggestionParams = z.object({ id: z.uuid(), suggestionId: z.uuid() });
