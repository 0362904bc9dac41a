// The knowledge base over REST: admins write (each write a new version, searchable at once),
// agents read, anyone reads what is published, bad input changes nothing, and agents get
// articles suggested for a conversation.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchTextOf } from '../infra/search/text.js';
import { databaseFingerprint } from './support/fingerprint.js';
import type { BadInputCase } from './support/bad-input-case.js';
import { signIn } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let admin: string;
let agent: string;
let visitor: string;

beforeAll(async () => {
  system = await startSystem();
  ({ admin, agent } = await signIn(system, 'admin', 'agent'));
  visitor = (await system.visitor('Reader')).token;
});
afterAll(() => system?.stop());

const newArticle = {
  title: 'Freezing a lost card',
  body: 'If you lost your card, tap **Cards → Freeze** and the card is blocked for payments at once.',
  category: 'cards',
  tags: ['card', 'freeze'],
  locale: 'en',
};

describe('knowledge articles', () => {
  let articleId: string;
  let groupId: string;

  it('lets an admin create a draft that agents can read but the public cannot', async () => {
    const created = await system.request('POST', '/api/knowledge/articles', { token: admin, body: newArticle });
    expect(created.status).toBe(201);
    expect(created.body.article).toMatchObject({ title: newArticle.title, slug: 'freezing-a-lost-card', status: 'draft', version: 1, locale: 'en' });
    articleId = created.body.article.id;
    groupId = created.body.article.groupId;

    const row = await system.db.knowledgeArticle.findUniqueOrThrow({ where: { id: articleId } });
    expect(row.searchText).toBe(searchTextOf(newArticle.title, newArticle.body));
    expect(await system.db.event.count({ where: { type: 'knowledge.article_created', internal: true } })).toBe(1);

    const read = await system.request('GET', `/api/knowledge/articles/${articleId}`, { token: agent });
    expect(read.status).toBe(200);
    expect(read.body.versions.map((version: { version: number }) => version.version)).toEqual([1]);

    const search = await system.request('GET', '/api/knowledge/articles?q=freeze%20lost%20card&locale=en', { token: agent });
    expect(search.body.hits[0].articleId).toBe(articleId);

    expect((await system.request('GET', '/api/public/knowledge/articles/freezing-a-lost-card?locale=en')).status).toBe(404);
    const publicSearch = await system.request('GET', '/api/public/knowledge/search?q=freeze%20lost%20card&locale=en');
    expect(publicSearch.body.hits.map((hit: { articleId: string }) => hit.articleId)).not.toContain(articleId);
  });

  it('keeps every edit as a new version, re-indexes it and publishes it', async () => {
    const patched = await system.request('PATCH', `/api/knowledge/articles/${articleId}`, {
      token: admin,
      body: { body: 'Tap **Cards → Freeze**: the card is frozen until you unfreeze it. Snowflake icon.', status: 'published' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.article).toMatchObject({ version: 2, status: 'published' });
    expect(patched.body.article.publishedAt).not.toBeNull();

    const read = await system.request('GET', `/api/knowledge/articles/${articleId}`, { token: admin });
    expect(read.body.versions.map((version: { version: number }) => version.version)).toEqual([2, 1]);
    expect(read.body.versions[1].body).toBe(newArticle.body);
    expect(await system.db.event.count({ where: { type: 'knowledge.article_updated' } })).toBe(1);

    const publicSearch = await system.request('GET', '/api/public/knowledge/search?q=snowflake&locale=en');
    expect(publicSearch.status).toBe(200);
    expect(publicSearch.body.hits[0]).toMatchObject({ articleId, slug: 'freezing-a-lost-card' });
    const publicArticle = await system.request('GET', '/api/public/knowledge/articles/freezing-a-lost-card?locale=en');
    expect(publicArticle.status).toBe(200);
    expect(publicArticle.body.article.body).toContain('Snowflake');
    expect(publicArticle.body.article.authorId).toBeUndefined();
  });

  it('adds a translation to the group under the same slug, and refuses a second one', async () => {
    const translation = await system.request('POST', '/api/knowledge/articles', {
      token: admin,
      body: { title: '冻结丢失的卡片', body: '点击 **卡片 → 冻结**，卡片会立即停止支付。', locale: 'zh-CN', status: 'published', groupId },
    });
    expect(translation.status).toBe(201);
    expect(translation.body.article).toMatchObject({ groupId, slug: 'freezing-a-lost-card', locale: 'zh-CN' });
    const publicSearch = await system.request('GET', `/api/public/knowledge/search?q=${encodeURIComponent('卡片丢了怎么冻结')}&locale=zh-CN`);
    expect(publicSearch.body.hits[0].articleId).toBe(translation.body.article.id);

    const again = await system.request('POST', '/api/knowledge/articles', { token: admin, body: { title: '另一个', body: '正文', locale: 'zh-CN', groupId } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('translation_exists');
  });

  it('lists articles by locale and status', async () => {
    const listed = await system.request('GET', '/api/knowledge/articles?locale=zh-CN&status=published', { token: agent });
    expect(listed.status).toBe(200);
    expect(listed.body.articles.length).toBeGreaterThanOrEqual(9);
    expect(listed.body.articles.every((article: { locale: string; status: string }) => article.locale === 'zh-CN' && article.status === 'published')).toBe(
      true,
    );
    expect(listed.body.articles[0].body).toBeUndefined();
  });

  it('lets an admin delete an article for good, leaving an event', async () => {
    const created = await system.request('POST', '/api/knowledge/articles', {
      token: admin,
      body: { title: 'Temporary note', body: 'Soon gone.', locale: 'en' },
    });
    const id = created.body.article.id;
    expect((await system.request('DELETE', `/api/knowledge/articles/${id}`, { token: admin })).status).toBe(204);
    expect((await system.request('GET', `/api/knowledge/articles/${id}`, { token: admin })).status).toBe(404);
    expect(await system.db.knowledgeArticleVersion.count({ where: { articleId: id } })).toBe(0);
    expect(await system.db.event.count({ where: { type: 'knowledge.article_deleted' } })).toBe(1);
  });
});

describe('example questions', () => {
  const questions = ['卡丢了咋办', 'my card hasn’t arrived'];
  let articleId: string;

  it('stores them trimmed and without repeats, searchable at once, in the article and its version', async () => {
    const created = await system.request('POST', '/api/knowledge/articles', {
      token: admin,
      body: { title: 'Ordering a replacement', body: 'Open **Cards → Replace** to order a new one.', locale: 'en', questions: [' 卡丢了咋办 ', ...questions] },
    });
    expect(created.status).toBe(201);
    expect(created.body.article.questions).toEqual(questions);
    articleId = created.body.article.id;

    const row = await system.db.knowledgeArticle.findUniqueOrThrow({ where: { id: articleId } });
    expect(row.searchText).toBe(searchTextOf('Ordering a replacement', 'Open **Cards → Replace** to order a new one.', questions));
    const search = await system.request('GET', `/api/knowledge/articles?q=${encodeURIComponent('卡丢了')}&locale=en`, { token: agent });
    expect(search.body.hits[0].articleId).toBe(articleId);

    const read = await system.request('GET', `/api/knowledge/articles/${articleId}`, { token: agent });
    expect(read.body.article.questions).toEqual(questions);
    expect(read.body.versions[0].questions).toEqual(questions);
    const createdEvent = await system.db.event.findFirstOrThrow({ where: { type: 'knowledge.article_created' }, orderBy: { id: 'desc' } });
    expect(createdEvent.payload).toMatchObject({ article: { id: articleId, questions } });
  });

  it('replaces them on update, and a restored version brings the old ones back', async () => {
    const updated = await system.request('PATCH', `/api/knowledge/articles/${articleId}`, { token: admin, body: { questions: ['lost my wallet'] } });
    expect(updated.status).toBe(200);
    expect(updated.body.article).toMatchObject({ version: 2, questions: ['lost my wallet'] });
    const search = await system.request('GET', `/api/knowledge/articles?q=${encodeURIComponent('卡丢了')}&locale=en`, { token: agent });
    expect(search.body.hits.map((hit: { articleId: string }) => hit.articleId)).not.toContain(articleId);

    // Restoring (as the console does): the old version's fields are saved as a new version.
    const read = await system.request('GET', `/api/knowledge/articles/${articleId}`, { token: admin });
    const first = read.body.versions.find((version: { version: number }) => version.version === 1);
    const restored = await system.request('PATCH', `/api/knowledge/articles/${articleId}`, {
      token: admin,
      body: { title: first.title, body: first.body, questions: first.questions },
    });
    expect(restored.body.article).toMatchObject({ version: 3, questions });
    const updatedEvent = await system.db.event.findFirstOrThrow({ where: { type: 'knowledge.article_updated' }, orderBy: { id: 'desc' } });
    expect(updatedEvent.payload).toMatchObject({ article: { id: articleId, questions }, changed: ['title', 'body', 'questions'] });
  });

  it('refuses questions that are blank, too long, too many or not strings, and changes nothing', async () => {
    for (const bad of [[''], ['   '], ['x'.repeat(301)], Array.from({ length: 101 }, (_, n) => `question ${n}`), [42], 'one question']) {
      const before = await databaseFingerprint(system.db);
      const response = await system.request('PATCH', `/api/knowledge/articles/${articleId}`, { token: admin, body: { questions: bad } });
      expect(response.status, JSON.stringify(bad).slice(0, 40)).toBe(400);
      expect(response.body.error.code).toBe('invalid_input');
      expect(await databaseFingerprint(system.db)).toEqual(before);
    }
    const created = await system.request('POST', '/api/knowledge/articles', { token: admin, body: { ...newArticle, title: 'Never stored', questions: [''] } });
    expect(created.status).toBe(400);
    expect(await system.db.knowledgeArticle.count({ where: { title: 'Never stored' } })).toBe(0);
  });

  it('never shows them to the public: not in the help-center API, its search or its pages', async () => {
    const published = await system.request('PATCH', `/api/knowledge/articles/${articleId}`, { token: admin, body: { status: 'published' } });
    expect(published.status).toBe(200);
    const slug = published.body.article.slug as string;

    const publicArticle = await system.request('GET', `/api/public/knowledge/articles/${slug}?locale=en`);
    expect(publicArticle.status).toBe(200);
    expect(publicArticle.body.article.questions).toBeUndefined();
    // Found through a question, but the hit shows the title and body only.
    const publicSearch = await system.request('GET', `/api/public/knowledge/search?q=${encodeURIComponent('卡丢了咋办')}&locale=en`);
    expect(publicSearch.body.hits[0].articleId).toBe(articleId);
    expect(JSON.stringify(publicSearch.body)).not.toContain('卡丢了咋办');

    // The search page echoes its query: a part of a question, so the whole one must not appear.
    for (const path of [`/help/en/${slug}`, '/help/en', `/help/en?q=${encodeURIComponent('卡丢了')}`]) {
      const response = await fetch(`${system.url}${path}`);
      const html = await response.text();
      expect(response.status, path).toBe(200);
      expect(html, path).toContain('Ordering a replacement');
      for (const question of questions) expect(html, path).not.toContain(question);
    }
  });
});

describe('knowledge bad input and permissions', () => {
  const unknownId = randomUUID();
  let seededId: string;
  beforeAll(async () => {
    seededId = (await system.db.knowledgeArticle.findFirstOrThrow({ where: { slug: 'refund-status', locale: 'en' } })).id;
  });

  const cases: BadInputCase[] = [
    {
      name: 'create without a token',
      method: 'POST',
      path: () => '/api/knowledge/articles',
      options: () => ({ body: newArticle }),
      status: 401,
      code: 'unauthorized',
    },
    {
      name: 'create by an agent',
      method: 'POST',
      path: () => '/api/knowledge/articles',
      options: () => ({ token: agent, body: newArticle }),
      status: 403,
      code: 'forbidden',
    },
    {
      name: 'create by a visitor',
      method: 'POST',
      path: () => '/api/knowledge/articles',
      options: () => ({ token: visitor, body: newArticle }),
      status: 403,
      code: 'forbidden',
    },
    {
      name: 'edit by an agent',
      method: 'PATCH',
      path: () => `/api/knowledge/articles/${seededId}`,
      options: () => ({ token: agent, body: { title: 'x' } }),
      status: 403,
      code: 'forbidden',
    },
    {
      name: 'delete by an agent',
      method: 'DELETE',
      path: () => `/api/knowledge/articles/${seededId}`,
      options: () => ({ token: agent }),
      status: 403,
      code: 'forbidden',
    },
    { name: 'list without a token', method: 'GET', path: () => '/api/knowledge/articles', options: () => ({}), status: 401, code: 'unauthorized' },
    { name: 'list by a visitor', method: 'GET', path: () => '/api/knowledge/articles', options: () => ({ token: visitor }), status: 403, code: 'forbidden' },
    {
      name: 'create with an unknown locale',
      method: 'POST',
      path: () => '/api/knowledge/articles',
      options: () => ({ token: admin, body: { ...newArticle, locale: 'fr' } }),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'create with an unknown field',
      method: 'POST',
      path: () => '/api/knowledge/articles',
      options: () => ({ token: admin, body: { ...newArticle, slug: 'mine' } }),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'create without a title',
      method: 'POST',
      path: () => '/api/knowledge/articles',
      options: () => ({ token: admin, body: { body: 'x', locale: 'en' } }),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'create with tags that are not strings',
      method: 'POST',
      path: () => '/api/knowledge/articles',
      options: () => ({ token: admin, body: { ...newArticle, tags: [1] } }),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'create with malformed JSON',
      method: 'POST',
      path: () => '/api/knowledge/articles',
      options: () => ({ token: admin, rawBody: '{"title":' }),
      status: 400,
      code: 'invalid_json',
    },
    {
      name: 'create in an unknown group',
      method: 'POST',
      path: () => '/api/knowledge/articles',
      options: () => ({ token: admin, body: { ...newArticle, locale: 'zh-CN', groupId: unknownId } }),
      status: 400,
      code: 'unknown_group',
    },
    {
      name: 'edit with an empty body',
      method: 'PATCH',
      path: () => `/api/knowledge/articles/${seededId}`,
      options: () => ({ token: admin, body: {} }),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'edit with an unknown status',
      method: 'PATCH',
      path: () => `/api/knowledge/articles/${seededId}`,
      options: () => ({ token: admin, body: { status: 'archived' } }),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'edit of an unknown article',
      method: 'PATCH',
      path: () => `/api/knowledge/articles/${unknownId}`,
      options: () => ({ token: admin, body: { title: 'x' } }),
      status: 404,
      code: 'not_found',
    },
    {
      name: 'read with a malformed id',
      method: 'GET',
      path: () => '/api/knowledge/articles/not-a-uuid',
      options: () => ({ token: agent }),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'delete of an unknown article',
      method: 'DELETE',
      path: () => `/api/knowledge/articles/${unknownId}`,
      options: () => ({ token: admin }),
      status: 404,
      code: 'not_found',
    },
    {
      name: 'list with an unknown status',
      method: 'GET',
      path: () => '/api/knowledge/articles?status=archived',
      options: () => ({ token: agent }),
      status: 400,
      code: 'invalid_input',
    },
    { name: 'public search without q', method: 'GET', path: () => '/api/public/knowledge/search', options: () => ({}), status: 400, code: 'invalid_input' },
    {
      name: 'public search with an unknown locale',
      method: 'GET',
      path: () => '/api/public/knowledge/search?q=card&locale=de',
      options: () => ({}),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'public article that does not exist',
      method: 'GET',
      path: () => '/api/public/knowledge/articles/no-such-article',
      options: () => ({}),
      status: 404,
      code: 'not_found',
    },
    {
      name: 'suggestions for an unknown conversation',
      method: 'GET',
      path: () => `/api/conversations/${unknownId}/suggested-articles`,
      options: () => ({ token: agent }),
      status: 404,
      code: 'not_found',
    },
    {
      name: 'suggestions without a token',
      method: 'GET',
      path: () => `/api/conversations/${unknownId}/suggested-articles`,
      options: () => ({}),
      status: 401,
      code: 'unauthorized',
    },
  ];

  it.each(cases)('refuses $name with $status $code and changes nothing', async ({ method, path, options, status, code }) => {
    const before = await databaseFingerprint(system.db);
    const response = await system.request(method, path(), options());
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(await databaseFingerprint(system.db)).toEqual(before);
  });
});

describe('public knowledge', () => {
  it('searches and reads published articles without a token, in the asked locale', async () => {
    const search = await system.request('GET', `/api/public/knowledge/search?q=${encodeURIComponent('退款什么时候到账')}&locale=zh-CN`);
    expect(search.status).toBe(200);
    expect(search.body.hits[0]).toMatchObject({ slug: 'refund-status', locale: 'zh-CN' });
    const article = await system.request('GET', '/api/public/knowledge/articles/refund-status?locale=zh-CN');
    expect(article.status).toBe(200);
    expect(article.body.article.title).toBe('退款什么时候到账？');
  });
});

describe('suggested articles', () => {
  it("suggests up to three articles for the conversation's first customer message, in its language", async () => {
    const english = await system.request('POST', '/api/widget/conversations', {
      token: visitor,
      body: { body: 'Hi, my top-up failed twice today, what can I do?' },
    });
    expect(english.status).toBe(201);
    const suggested = await system.request('GET', `/api/conversations/${english.body.conversation.id}/suggested-articles`, { token: admin });
    expect(suggested.status).toBe(200);
    expect(suggested.body.locale).toBe('en');
    expect(suggested.body.articles.length).toBeLessThanOrEqual(3);
    expect(suggested.body.articles[0]).toMatchObject({ slug: 'top-up-failed', locale: 'en' });

    const chinese = await system.request('POST', '/api/widget/conversations', {
      token: (await system.visitor('读者')).token,
      body: { body: '你好，我的转账一直显示处理中' },
    });
    const suggestedZh = await system.request('GET', `/api/conversations/${chinese.body.conversation.id}/suggested-articles`, { token: admin });
    expect(suggestedZh.body.locale).toBe('zh-CN');
    expect(suggestedZh.body.articles[0]).toMatchObject({ slug: 'transfer-pending', locale: 'zh-CN' });
  });
});
