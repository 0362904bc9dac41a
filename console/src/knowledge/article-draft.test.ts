import { describe, expect, it } from 'vitest';
import {
  createInput,
  draftOf,
  draftProblems,
  emptyDraft,
  isDirty,
  parseQuestions,
  parseTags,
  restoredDraft,
  saveActions,
  statusAfter,
  updateInput,
  type ArticleDraft,
} from './article-draft';

const article = {
  title: 'Refunds',
  body: '# Refunds\n\nThree days.',
  locale: 'en' as const,
  category: 'billing',
  tags: ['refund', 'money'],
  questions: ['where is my money', '退款还没到账'],
  status: 'draft' as const,
};
const draft = (overrides: Partial<ArticleDraft> = {}): ArticleDraft => ({ ...draftOf(article), ...overrides });

describe('draftProblems', () => {
  it('asks for a title and a body', () => {
    expect(draftProblems(emptyDraft('zh-CN'))).toEqual([
      { field: 'title', problem: 'required' },
      { field: 'body', problem: 'required' },
    ]);
    expect(draftProblems(draft({ title: '   ' }))).toEqual([{ field: 'title', problem: 'required' }]);
    expect(draftProblems(draft())).toEqual([]);
  });

  it('refuses what the API would: long titles, too many or too long tags', () => {
    expect(draftProblems(draft({ title: 'x'.repeat(301) }))).toEqual([{ field: 'title', problem: 'tooLong' }]);
    expect(draftProblems(draft({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(',') }))).toEqual([{ field: 'tags', problem: 'tooMany' }]);
    expect(draftProblems(draft({ tags: 'y'.repeat(51) }))).toEqual([{ field: 'tags', problem: 'tooLong' }]);
  });

  it('refuses more than 100 example questions, or one longer than 300 characters', () => {
    expect(draftProblems(draft({ questions: Array.from({ length: 101 }, (_, i) => `question ${i}`).join('\n') }))).toEqual([
      { field: 'questions', problem: 'tooMany' },
    ]);
    expect(draftProblems(draft({ questions: `short\n${'q'.repeat(301)}` }))).toEqual([{ field: 'questions', problem: 'tooLong' }]);
    expect(draftProblems(draft({ questions: Array.from({ length: 100 }, (_, i) => `question ${i}`).join('\n') }))).toEqual([]);
  });
});

describe('parseQuestions', () => {
  it('takes one question per line, keeps commas inside a question, trims, drops blanks and repeats', () => {
    expect(parseQuestions(' 卡丢了咋办 \r\n\nmy card, the new one, hasn’t arrived\n卡丢了咋办\n  ')).toEqual([
      '卡丢了咋办',
      'my card, the new one, hasn’t arrived',
    ]);
    expect(parseQuestions('')).toEqual([]);
  });

  it('shows a saved list one per line, and reads it back unchanged', () => {
    expect(draftOf(article).questions).toBe('where is my money\n退款还没到账');
    expect(parseQuestions(draftOf(article).questions)).toEqual(article.questions);
  });
});

describe('parseTags', () => {
  it('splits on Latin and Chinese commas, trims, drops blanks and repeats', () => {
    expect(parseTags(' refund, 退款，卡片、refund ,, ')).toEqual(['refund', '退款', '卡片']);
    expect(parseTags('')).toEqual([]);
  });
});

describe('saving', () => {
  it('notices unsaved changes but not whitespace around them', () => {
    expect(isDirty(draft(), draftOf(article))).toBe(false);
    expect(isDirty(draft({ title: ' Refunds ', tags: 'refund,money' }), draftOf(article))).toBe(false);
    expect(isDirty(draft({ body: 'Five days.' }), draftOf(article))).toBe(true);
  });

  it('creates with every field and the chosen status', () => {
    expect(createInput(draft({ title: ' 退款 ', locale: 'zh-CN' }), 'published')).toEqual({
      title: '退款',
      body: article.body,
      category: 'billing',
      tags: ['refund', 'money'],
      questions: ['where is my money', '退款还没到账'],
      locale: 'zh-CN',
      status: 'published',
    });
    expect(createInput(draft(), 'draft', 'g1')).toMatchObject({ groupId: 'g1' });
  });

  it('updates only what changed, and nothing at all when nothing did', () => {
    expect(updateInput(article, draft({ body: 'Five days.' }), 'draft')).toEqual({ body: 'Five days.' });
    expect(updateInput(article, draft(), 'published')).toEqual({ status: 'published' });
    expect(updateInput(article, draft({ tags: 'refund' }), 'draft')).toEqual({ tags: ['refund'] });
    expect(updateInput(article, draft({ questions: '退款还没到账\nrefund late?' }), 'draft')).toEqual({ questions: ['退款还没到账', 'refund late?'] });
    expect(updateInput(article, draft({ questions: ' where is my money\n\n退款还没到账 ' }), 'draft')).toBeNull();
    expect(updateInput(article, draft(), 'draft')).toBeNull();
  });

  it('offers save-as-draft and publish until published, then update and unpublish', () => {
    expect(saveActions(null)).toEqual(['saveDraft', 'publish']);
    expect(saveActions('draft')).toEqual(['saveDraft', 'publish']);
    expect(saveActions('published')).toEqual(['unpublish', 'update']);
    expect(saveActions('published').map(statusAfter)).toEqual(['draft', 'published']);
  });

  it('restores an old version’s title, body and example questions into the draft', () => {
    expect(restoredDraft(draft(), { title: 'Old', body: 'Old body', questions: ['old question'] })).toEqual(
      draft({ title: 'Old', body: 'Old body', questions: 'old question' }),
    );
  });
});
