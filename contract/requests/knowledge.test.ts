import { describe, expect, it } from 'vitest';
import { articleListQuery, createArticleBody, publicArticleQuery, publicSearchQuery, updateArticleBody } from './knowledge.js';

describe('article bodies', () => {
  it('keeps each example question once, trimmed', () => {
    const article = createArticleBody.parse({ title: 'Lost card', body: 'Call us.', locale: 'zh-CN', questions: [' 卡丢了咋办 ', '卡丢了咋办', 'lost card'] });
    expect(article.questions).toEqual(['卡丢了咋办', 'lost card']);
  });

  it('writes in the console’s languages only', () => {
    expect(createArticleBody.safeParse({ title: 'x', body: 'y', locale: 'fr' }).success).toBe(false);
  });

  it('needs at least one change', () => {
    expect(updateArticleBody.safeParse({}).error?.issues[0]?.message).toBe('Change at least one field.');
    expect(updateArticleBody.parse({ status: 'published' })).toEqual({ status: 'published' });
  });
});

describe('queries', () => {
  it('reads a limit from the query string as a number between 1 and 20', () => {
    expect(publicSearchQuery.parse({ q: 'card', limit: '5' })).toEqual({ q: 'card', limit: 5 });
    expect(publicSearchQuery.safeParse({ q: 'card', limit: '21' }).success).toBe(false);
    expect(publicSearchQuery.safeParse({ limit: '5' }).success).toBe(false);
  });

  it('reads a public article in English unless asked otherwise', () => {
    expect(publicArticleQuery.parse({})).toEqual({ locale: 'en' });
  });

  it('filters the console list by language and status', () => {
    expect(articleListQuery.parse({ locale: 'en', status: 'draft' })).toEqual({ locale: 'en', status: 'draft' });
    expect(articleListQuery.safeParse({ status: 'archived' }).success).toBe(false);
  });
});
