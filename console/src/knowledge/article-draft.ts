// The article editor's logic: the draft being edited, what is wrong with it (the API's limits,
// checked before sending so the admin sees which field), whether it has unsaved changes, the
// request body a save sends (only what changed: every PATCH writes a new version), and which
// save buttons apply in which status.
import type { ArticleChange, ArticleInput } from './knowledge-api';
import type { ArticleLocale, ArticleStatus, ArticleVersion, ArticleView } from './article-types';

export interface ArticleDraft {
  title: string;
  /** Markdown. */
  body: string;
  locale: ArticleLocale;
  category: string;
  /** As typed: comma-separated. */
  tags: string;
  /** As typed: one example question per line (a question may hold commas). */
  questions: string;
}

/** The API's limits (api/routes/knowledge-routes.ts). */
export const limits = { title: 300, body: 50_000, category: 100, tag: 50, tags: 20, question: 300, questions: 100 } as const;

export function emptyDraft(locale: ArticleLocale): ArticleDraft {
  return { title: '', body: '', locale, category: 'general', tags: '', questions: '' };
}

export function draftOf(article: Pick<ArticleView, 'title' | 'body' | 'locale' | 'category' | 'tags' | 'questions'>): ArticleDraft {
  return {
    title: article.title,
    body: article.body,
    locale: article.locale,
    category: article.category,
    tags: article.tags.join(', '),
    questions: article.questions.join('\n'),
  };
}

/** Unique, trimmed, non-blank items, in the order first written. */
const distinctItems = (items: readonly string[]) => [...new Set(items.map((item) => item.trim()).filter(Boolean))];

/** Tags as typed ("refund, 退款，cards") to the list the API takes: trimmed, no blanks, no repeats. */
export function parseTags(text: string): string[] {
  return distinctItems(text.split(/[,，、]/));
}

/** Example questions as typed, one per line, to the list the API takes: trimmed, no blanks, no repeats. */
export function parseQuestions(text: string): string[] {
  return distinctItems(text.split(/\r?\n/));
}

export type DraftField = 'title' | 'body' | 'category' | 'tags' | 'questions';
export type DraftProblem = { field: DraftField; problem: 'required' | 'tooLong' | 'tooMany' };

/** What stops the draft from being saved, per field; empty when it can be. */
export function draftProblems(draft: ArticleDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const check = (field: 'title' | 'body' | 'category', value: string, max: number) => {
    const text = value.trim();
    if (!text) problems.push({ field, problem: 'required' });
    else if (text.length > max) problems.push({ field, problem: 'tooLong' });
  };
  check('title', draft.title, limits.title);
  check('body', draft.body, limits.body);
  check('category', draft.category, limits.category);
  const tags = parseTags(draft.tags);
  if (tags.length > limits.tags) problems.push({ field: 'tags', problem: 'tooMany' });
  else if (tags.some((tag) => tag.length > limits.tag)) problems.push({ field: 'tags', problem: 'tooLong' });
  const questions = parseQuestions(draft.questions);
  if (questions.length > limits.questions) problems.push({ field: 'questions', problem: 'tooMany' });
  else if (questions.some((question) => question.length > limits.question)) problems.push({ field: 'questions', problem: 'tooLong' });
  return problems;
}

/** The fields as they would be saved, for comparing: trimmed, tags and questions parsed. */
function normalised(draft: ArticleDraft) {
  return {
    title: draft.title.trim(),
    body: draft.body.trim(),
    category: draft.category.trim(),
    tags: parseTags(draft.tags),
    questions: parseQuestions(draft.questions),
    locale: draft.locale,
  };
}

/** Whether the draft differs from what was saved last (what leaving the page would lose). */
export function isDirty(draft: ArticleDraft, saved: ArticleDraft): boolean {
  return JSON.stringify(normalised(draft)) !== JSON.stringify(normalised(saved));
}

/** POST /api/knowledge/articles for a new article. */
export function createInput(draft: ArticleDraft, status: ArticleStatus, groupId?: string): ArticleInput {
  const value = normalised(draft);
  return {
    title: value.title,
    body: value.body,
    category: value.category,
    tags: value.tags,
    questions: value.questions,
    locale: value.locale,
    status,
    ...(groupId ? { groupId } : {}),
  };
}

/**
 * PATCH /api/knowledge/articles/:id: only the fields that changed, and the status when it does;
 * null when nothing would change (no empty version is written).
 */
export function updateInput(
  article: Pick<ArticleView, 'title' | 'body' | 'category' | 'tags' | 'questions' | 'status'>,
  draft: ArticleDraft,
  status: ArticleStatus,
): ArticleChange | null {
  const value = normalised(draft);
  const change: ArticleChange = {};
  if (value.title !== article.title) change.title = value.title;
  if (value.body !== article.body.trim()) change.body = value.body;
  if (value.category !== article.category) change.category = value.category;
  if (JSON.stringify(value.tags) !== JSON.stringify(article.tags)) change.tags = value.tags;
  if (JSON.stringify(value.questions) !== JSON.stringify(article.questions)) change.questions = value.questions;
  if (status !== article.status) change.status = status;
  return Object.keys(change).length > 0 ? change : null;
}

export type SaveAction = 'saveDraft' | 'publish' | 'update' | 'unpublish';

/**
 * The save buttons, the main one last. A new or draft article is saved as a draft or published;
 * a published one is updated in place (customers see the change at once) or taken back to draft.
 */
export function saveActions(status: ArticleStatus | null): SaveAction[] {
  return status === 'published' ? ['unpublish', 'update'] : ['saveDraft', 'publish'];
}

/** The status a save action leaves the article in. */
export function statusAfter(action: SaveAction): ArticleStatus {
  return action === 'publish' || action === 'update' ? 'published' : 'draft';
}

/** Restoring an old version: its title, body and example questions become the draft (saved as a new version). */
export function restoredDraft(draft: ArticleDraft, version: Pick<ArticleVersion, 'title' | 'body' | 'questions'>): ArticleDraft {
  return { ...draft, title: version.title, body: version.body, questions: version.questions.join('\n') };
}
