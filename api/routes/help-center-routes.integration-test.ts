// The help center's routes in-process (test/support/in-process-api.ts): languages, 404 pages,
// the CSP, what a query string may hold, and the error page when search fails. The pages
// themselves: help-center/pages.test.ts; the whole stack with XSS payloads: test/help-center.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeSearch } from '../../infra/search/knowledge-search.js';
import { createPostgresSearch } from '../../infra/search/postgres-search.js';
import { signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';
import { helpCenterCsp } from './help-center-routes.js';

let api: InProcessApi;
/** Search as in production, until a test makes it fail. */
let failSearch = false;

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${api.url}${path}`, { headers, redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

beforeAll(async () => {
  let real: KnowledgeSearch | null = null;
  const search: KnowledgeSearch = {
    indexArticle: (id) => real!.indexArticle(id),
    search: (query, options) => (failSearch ? Promise.reject(new Error('search is down')) : real!.search(query, options)),
  };
  api = await startInProcessApi({ search });
  real = createPostgresSearch(api.db);
  const { admin } = await signIn(api, 'admin');
  const draft = await api.request('POST', '/api/knowledge/articles', {
    token: admin,
    body: { title: 'Unannounced metal card', body: 'Secret.', locale: 'en' },
  });
  expect(draft.status).toBe(201);
});
afterAll(() => api?.stop());

describe('languages', () => {
  it('sends /help to the browser’s language, varying by it', async () => {
    const chinese = await get('/help', { 'accept-language': 'zh-TW,zh;q=0.9,en;q=0.5' });
    expect([chinese.status, chinese.headers.get('location')]).toEqual([302, '/help/zh-CN']);
    expect(chinese.headers.get('vary')).toMatch(/\bAccept-Language\b/);
    expect((await get('/help')).headers.get('location')).toBe('/help/en');
  });

  it('answers an unknown locale with a 404 page in the browser’s language, not JSON', async () => {
    const page = await get('/help/fr', { 'accept-language': 'zh-CN' });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.html).toContain('页面不存在');
  });

  it('answers an unknown article and any other path under /help with the page’s language', async () => {
    const article = await get('/help/zh-CN/no-such-article');
    expect([article.status, article.html.includes('该页面不存在')]).toEqual([404, true]);
    const deeper = await get('/help/en/a/b');
    expect([deeper.status, deeper.html.includes('Page not found')]).toEqual([404, true]);
  });
});

describe('pages', () => {
  it('carries the strict CSP and no-sniff on pages and 404s alike', async () => {
    for (const path of ['/help/en', '/help/xx']) {
      const page = await get(path);
      expect(page.headers.get('content-security-policy')).toBe(helpCenterCsp);
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('lists published articles only', async () => {
    const home = await get('/help/en');
    expect(home.status).toBe(200);
    expect(home.html).not.toContain('Unannounced metal card');
    expect((await get('/help/en/unannounced-metal-card')).status).toBe(404);
  });

  it('reads a repeated or unknown query parameter as no search, never a 400', async () => {
    const repeated = await get('/help/en?q=card&q=fees&utm_source=mail');
    expect(repeated.status).toBe(200);
    expect(repeated.html).not.toContain('id="results"');
    const searched = await get(`/help/en?q=${encodeURIComponent('card'.padEnd(300, 'x'))}`);
    expect(searched.html).toMatch(/value="cardx{196}"/);
  });

  it('shows an error page in the page’s language when search fails, and logs it', async () => {
    failSearch = true;
    try {
      const page = await get(`/help/zh-CN?q=${encodeURIComponent('挂失')}`);
      expect(page.status).toBe(500);
      expect(page.html).toContain('出错了');
      expect(api.logged.map((entry) => entry.message)).toContain('unexpected error on a help-center page');
    } finally {
      failSearch = false;
    }
  });
});
