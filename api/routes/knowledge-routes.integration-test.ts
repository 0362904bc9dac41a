// The knowledge routes in-process (test/support/in-process-api.ts): who may write and read,
// the list's filters (language, status, search with drafts only), validation, the public reads,
// and suggested articles for a conversation. Ranking itself: infra/search's tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, signIn, startCustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };
let draft: { id: string; slug: string };
let published: { id: string; slug: string };

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent');
  const write = (body: Record<string, unknown>) => api.request('POST', '/api/knowledge/articles', { token: tokens.admin, body });
  draft = (await write({ title: 'Zebra card draft', body: 'Zebra striped cards are coming.', locale: 'en' })).body.article;
  published = (
    await write({
      title: 'Zebra card fees',
      body: 'Zebra striped cards cost nothing.',
      locale: 'en',
      status: 'published',
      questions: ['zebra?', 'zebra?', 'how much'],
    })
  ).body.article;
});
afterAll(() => api?.stop());

const titlesOf = (body: { articles?: { title: string }[]; hits?: { title: string }[] }) => (body.articles ?? body.hits ?? []).map((article) => article.title);

describe('writing', () => {
  it('keeps the example questions once each', async () => {
    const read = await api.request('GET', `/api/knowledge/articles/${published.id}`, { token: tokens.admin });
    expect(read.body.article.questions).toEqual(['zebra?', 'how much']);
    expect(read.body.versions).toHaveLength(1);
  });

  it('refuses agents, and keys without knowledge:write, changing nothing', async () => {
    const reader = await createApiKey(api, tokens.admin, ['knowledge:read']);
    const body = { title: 'Nope', body: 'Nope', locale: 'en' };
    expect(await api.request('POST', '/api/knowledge/articles', { token: tokens.agent, body })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await api.request('POST', '/api/knowledge/articles', { token: reader, body })).toMatchObject({
      status: 403,
      body: { error: { code: 'missing_scope' } },
    });
    expect(await api.request('DELETE', `/api/knowledge/articles/${draft.id}`, { token: tokens.agent })).toMatchObject({ status: 403 });
    expect(await api.db.knowledgeArticle.count({ where: { title: 'Nope' } })).toBe(0);
  });

  it('names each invalid field, and refuses an empty change', async () => {
    const bad = await api.request('POST', '/api/knowledge/articles', { token: tokens.admin, body: { title: ' ', body: 'x', locale: 'fr' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['locale', 'title']);
    const empty = await api.request('PATCH', `/api/knowledge/articles/${draft.id}`, { token: tokens.admin, body: {} });
    expect(empty).toMatchObject({ status: 400, body: { error: { details: [{ message: 'Change at least one field.' }] } } });
    expect(await api.request('GET', '/api/knowledge/articles/not-a-uuid', { token: tokens.admin })).toMatchObject({
      status: 400,
      body: { error: { message: 'The request path is not valid.' } },
    });
  });
});

describe('reading', () => {
  it('filters the list by status and language', async () => {
    const drafts = await api.request('GET', '/api/knowledge/articles?status=draft', { token: tokens.agent });
    expect(titlesOf(drafts.body)).toContain('Zebra card draft');
    expect(titlesOf(drafts.body)).not.toContain('Zebra card fees');
    const chinese = await api.request('GET', '/api/knowledge/articles?locale=zh-CN', { token: tokens.agent });
    expect(chinese.body.articles.length).toBeGreaterThan(0);
    expect(chinese.body.articles.every((article: { locale: string }) => article.locale === 'zh-CN')).toBe(true);
  });

  it('searches drafts only, published only, or both', async () => {
    const search = (status?: string) => api.request('GET', `/api/knowledge/articles?q=zebra${status ? `&status=${status}` : ''}`, { token: tokens.agent });
    expect(titlesOf((await search('draft')).body)).toEqual(['Zebra card draft']);
    expect(titlesOf((await search('published')).body)).toEqual(['Zebra card fees']);
    expect(titlesOf((await search()).body).sort()).toEqual(['Zebra card draft', 'Zebra card fees']);
  });

  it('shows suggested questions to writers only', async () => {
    const { conversationId } = await startCustomerConversation(api, { body: 'zebra card price?' });
    await api.db.articleQuestionSuggestion.create({ data: { articleId: published.id, text: 'zebra card price?', conversationId } });
    const forAdmin = await api.request('GET', `/api/knowledge/articles/${published.id}`, { token: tokens.admin });
    expect(forAdmin.body.suggestedQuestions.map((suggestion: { text: string }) => suggestion.text)).toEqual(['zebra card price?']);
    const forAgent = await api.request('GET', `/api/knowledge/articles/${published.id}`, { token: tokens.agent });
    expect(forAgent.body.suggestedQuestions).toEqual([]);
  });

  it('lets an admin accept a suggested question into the article, or dismiss one', async () => {
    const [accepted, dismissed] = await Promise.all(
      ['zebra card lost?', 'ignore me'].map((text) => api.db.articleQuestionSuggestion.create({ data: { articleId: published.id, text } })),
    );
    const path = (id: string) => `/api/knowledge/articles/${published.id}/suggested-questions/${id}`;
    expect(await api.request('POST', `${path(accepted!.id)}/accept`, { token: tokens.agent })).toMatchObject({ status: 403 });
    const answer = await api.request('POST', `${path(accepted!.id)}/accept`, { token: tokens.admin });
    expect(answer.status).toBe(200);
    expect(answer.body.article.questions).toContain('zebra card lost?');
    expect((await api.request('DELETE', path(dismissed!.id), { token: tokens.admin })).status).toBe(204);
    const left = await api.db.articleQuestionSuggestion.findMany({ where: { articleId: published.id }, select: { text: true } });
    expect(left.map((row) => row.text)).not.toContain('zebra card lost?');
    expect(left.map((row) => row.text)).not.toContain('ignore me');
  });

  it('publicly finds published articles only, without a login', async () => {
    expect(titlesOf((await api.request('GET', '/api/public/knowledge/search?q=zebra')).body)).toEqual(['Zebra card fees']);
    expect(await api.request('GET', `/api/public/knowledge/articles/${draft.slug}`)).toMatchObject({ status: 404 });
    const article = await api.request('GET', `/api/public/knowledge/articles/${published.slug}?locale=en`);
    expect(article.status).toBe(200);
    expect(article.body.article).not.toHaveProperty('questions');
    expect(await api.request('GET', '/api/public/knowledge/search?q=zebra&limit=21')).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'limit' }] } },
    });
  });

  it('suggests published articles for a conversation from the customer’s first message, best first, at most three', async () => {
    const { conversationId } = await startCustomerConversation(api, { body: 'How much do zebra cards cost?' });
    const suggested = await api.request('GET', `/api/conversations/${conversationId}/suggested-articles`, { token: tokens.agent });
    expect(suggested.body.locale).toBe('en');
    expect(titlesOf(suggested.body)[0]).toBe('Zebra card fees');
    expect(suggested.body.articles.length).toBeLessThanOrEqual(3);
  });
});
