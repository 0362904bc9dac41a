// The public help center over real HTTP: published articles as server-rendered pages per locale,
// Markdown rendered with raw HTML and script links made inert, search through the knowledge
// search, a strict CSP, drafts and unknown pages as 404 pages, /help sent to the browser's language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpCenterCsp } from '../api/routes/help-center-routes.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let admin: string;

interface Page {
  status: number;
  headers: Headers;
  html: string;
}

/** A GET as a browser sends it (redirects not followed), with the HTML as text. */
async function get(path: string, headers: Record<string, string> = {}): Promise<Page> {
  const response = await fetch(`${system.url}${path}`, { headers, redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** Every real tag of a page (text `<` is `&lt;`, so whatever starts with `<` is markup). */
const tagsOf = (html: string) => html.match(/<(?:[^>"]|"[^"]*")*>/g) ?? [];
/** Every href and src value, as the browser would read it. */
const urlsOf = (html: string) => [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map(([, url]) => url!);
/** The article slugs a page links to in one locale. */
const linkedSlugs = (html: string, locale: string) =>
  [...html.matchAll(new RegExp(`href="/help/${locale}/([^"]+)"`, 'g'))].map(([, slug]) => decodeURIComponent(slug!));
const resultsOf = (html: string) => html.match(/<section aria-labelledby="results">[\s\S]*?<\/section>/)?.[0] ?? '';

/** No script can run from this page: no script element, no event-handler attribute, no script URL. */
function expectInert(html: string) {
  expect(html).not.toMatch(/<script/i);
  // Quoted attribute values are blanked first: `title="a&quot; onmouseover=…"` is one harmless value.
  for (const tag of tagsOf(html)) expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son\w+\s*=|onerror=/i);
  for (const url of urlsOf(html)) expect(url).not.toMatch(/^\s*(?:javascript|vbscript|data:text)/i);
  expect(urlsOf(html).join(' ')).not.toMatch(/javascript:/i);
}

const injections = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click me](javascript:alert(1))',
  '[shout](JAVASCRIPT:alert(1))',
  '[payload](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="javascript:alert(1)">raw link</a>',
  '[hover](https://example.com "tip\\" onmouseover=\\"alert(1)")',
].join('\n\n');

const english = {
  title: 'Replacing a damaged <b>card</b>',
  body: `## Before you start\n\n- Keep your **old card** until the new one arrives\n- A laminated or bent card cannot be repaired\n\nRun \`order-card\` in the app, or see the [status page](https://status.example.com).\n\n${injections}`,
  category: 'cards',
  locale: 'en',
  status: 'published',
};
const chinese = {
  title: '更换损坏的银行卡',
  body: `## 开始之前\n\n如果卡片的**磁条**损坏，请在应用中申请新卡。\n\n${injections}`,
  category: 'cards',
  locale: 'zh-CN',
  status: 'published',
};

let englishArticle: { id: string; slug: string; groupId: string; updatedAt: string };
let chineseArticle: { id: string; slug: string };
let draftSlug: string;

beforeAll(async () => {
  system = await startSystem();
  admin = await system.login('admin@seamless.local');
  const en = await system.request('POST', '/api/knowledge/articles', { token: admin, body: english });
  expect(en.status).toBe(201);
  englishArticle = en.body.article;
  const zh = await system.request('POST', '/api/knowledge/articles', { token: admin, body: { ...chinese, groupId: englishArticle.groupId } });
  expect(zh.status).toBe(201);
  chineseArticle = zh.body.article;
  const draft = await system.request('POST', '/api/knowledge/articles', {
    token: admin,
    body: { title: 'Unannounced laminated card', body: 'Secret.', locale: 'en' },
  });
  expect(draft.body.article.status).toBe('draft');
  draftSlug = draft.body.article.slug;
});
afterAll(() => system?.stop());

describe('help-center article pages', () => {
  it('renders the Markdown of a published article, with its title, category and updated date', async () => {
    const page = await get(`/help/en/${englishArticle.slug}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.html).toContain('<html lang="en">');
    expect(page.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.html).toContain('<h1>Replacing a damaged &lt;b&gt;card&lt;/b&gt;</h1>');
    expect(page.html).toContain('<h2>Before you start</h2>');
    expect(page.html).toContain('<li>Keep your <strong>old card</strong> until the new one arrives</li>');
    expect(page.html).toContain('<code>order-card</code>');
    expect(page.html).toContain('<a href="https://status.example.com" rel="noopener noreferrer nofollow" target="_blank">status page</a>');
    expect(page.html).toContain('Category: cards');
    const updated = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(englishArticle.updatedAt));
    expect(page.html).toContain(`<time datetime="${englishArticle.updatedAt}">${updated}</time>`);
    // The language switch leads to the translation.
    expect(page.html).toContain(`<a href="/help/zh-CN/${chineseArticle.slug}" lang="zh-CN" hreflang="zh-CN">阅读中文版</a>`);
  });

  it('shows every injection attempt as inert text', async () => {
    for (const path of [`/help/en/${englishArticle.slug}`, `/help/zh-CN/${chineseArticle.slug}`]) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expectInert(page.html);
      // Raw HTML is shown, escaped; refused links stay as their Markdown text.
      expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(page.html).toContain('&lt;a href=&quot;javascript:alert(1)&quot;&gt;raw link&lt;/a&gt;');
      expect(page.html).toContain('[click me](javascript:alert(1))');
      expect(page.html).toContain('[payload](data:text/html;base64,');
      expect(page.html).toContain('title="tip&quot; onmouseover=&quot;alert(1)"');
    }
  });

  it('renders a Chinese article in Chinese, its text intact', async () => {
    const page = await get(`/help/zh-CN/${chineseArticle.slug}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<html lang="zh-CN">');
    expect(page.html).toContain('<h1>更换损坏的银行卡</h1>');
    expect(page.html).toContain('<p>如果卡片的<strong>磁条</strong>损坏，请在应用中申请新卡。</p>');
    expect(page.html).toContain('分类: cards · 更新于');
    expect(page.html).toContain(`<a href="/help/en/${englishArticle.slug}" lang="en" hreflang="en">Read in English</a>`);
  });

  it('sets the Content-Security-Policy on every help-center page, 404s included', async () => {
    for (const path of ['/help/en', `/help/en/${englishArticle.slug}`, '/help/zh-CN?q=%E7%A3%81%E6%9D%A1', '/help/fr', `/help/en/${draftSlug}`]) {
      const page = await get(path);
      expect(page.headers.get('content-security-policy'), path).toBe(helpCenterCsp);
      expect(page.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect(helpCenterCsp).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; form-action 'self'; base-uri 'none'");
  });

  it('answers a draft, an unknown slug and an article of the other locale with the 404 page', async () => {
    for (const path of [`/help/en/${draftSlug}`, '/help/en/no-such-article', '/help/en/x/y']) {
      const page = await get(path);
      expect(page.status, path).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.html).toContain('<h1>Page not found</h1>');
      expect(page.html).not.toContain('Secret.');
    }
    // In the page's own language: a zh-CN path gets the Chinese 404 page.
    for (const path of [`/help/zh-CN/${draftSlug}`, '/help/zh-CN/no-such-article']) {
      const page = await get(path);
      expect(page.status, path).toBe(404);
      expect(page.html).toContain('<h1>页面不存在</h1>');
      expect(page.html).not.toContain('Secret.');
    }
  });
});

describe('help-center home pages', () => {
  it("lists only the locale's published articles, grouped by category", async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const page = await get(`/help/${locale}`);
      expect(page.status).toBe(200);
      expect(page.html).toContain(`<html lang="${locale}">`);
      const published = await system.db.knowledgeArticle.findMany({ where: { locale, status: 'published' }, select: { slug: true } });
      expect(linkedSlugs(page.html, locale).sort()).toEqual(published.map((row) => row.slug).sort());
      expectInert(page.html);
    }
    const en = await get('/help/en');
    expect(linkedSlugs(en.html, 'en')).toContain(englishArticle.slug);
    expect(linkedSlugs(en.html, 'en')).not.toContain(draftSlug);
    const cards = en.html.match(/<h3 id="category-\d+">cards<\/h3>[\s\S]*?<\/section>/)?.[0] ?? '';
    expect(linkedSlugs(cards, 'en')).toContain(englishArticle.slug);
    expect(en.html).toContain('Replacing a damaged &lt;b&gt;card&lt;/b&gt;');
    expect(en.html).not.toContain('更换损坏的银行卡');
    // The switch leads to the other language's home.
    expect(en.html).toContain('<a href="/help/zh-CN" lang="zh-CN" hreflang="zh-CN">阅读中文版</a>');
    // The search input has a label.
    expect(en.html).toContain('<label for="q">Search articles</label>');
    expect(en.html).toMatch(/<input id="q" name="q" type="search"/);

    const zh = await get('/help/zh-CN');
    expect(linkedSlugs(zh.html, 'zh-CN')).toContain(chineseArticle.slug);
    expect(zh.html).toContain('更换损坏的银行卡');
    expect(zh.html).not.toContain('Replacing a damaged');
    expect(zh.html).toContain('<label for="q">搜索文章</label>');
  });

  it('finds the English article by an English word and the Chinese one by a Chinese word', async () => {
    const en = await get('/help/en?q=laminated');
    expect(en.status).toBe(200);
    const enResults = resultsOf(en.html);
    expect(linkedSlugs(enResults, 'en')).toEqual([englishArticle.slug]); // not the draft that shares the word
    expect(en.html).toContain('value="laminated"');

    const zh = await get(`/help/zh-CN?q=${encodeURIComponent('磁条')}`);
    expect(zh.status).toBe(200);
    const zhResults = resultsOf(zh.html);
    expect(linkedSlugs(zhResults, 'zh-CN')[0]).toBe(chineseArticle.slug);
    expect(zhResults).not.toContain('/help/en/');
  });

  it('echoes the query escaped, and says when nothing matches', async () => {
    const page = await get(`/help/en?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(page.status).toBe(200);
    expectInert(page.html);
    expect(page.html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page.html).toContain('<h2 id="results">Results for “&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;”</h2>');

    const nothing = await get('/help/en?q=xyzzyplugh');
    expect(resultsOf(nothing.html)).toContain('No article matches your search.');
    expect(linkedSlugs(resultsOf(nothing.html), 'en')).toEqual([]);
  });

  it('answers an unknown locale with the 404 page in the browser language', async () => {
    const page = await get('/help/fr');
    expect(page.status).toBe(404);
    expect(page.html).toContain('<html lang="en">');
    const zh = await get('/help/de', { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(zh.status).toBe(404);
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(zh.html).toContain('<a href="/help/zh-CN">返回帮助中心</a>');
  });
});

describe('/help', () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', '/help/zh-CN'],
    ['zh-TW', '/help/zh-CN'],
    ['en;q=0.5, zh;q=0.8', '/help/zh-CN'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', '/help/en'],
    ['fr-FR', '/help/en'],
    [undefined, '/help/en'],
  ])('sends Accept-Language %s to %s', async (acceptLanguage, location) => {
    const page = await get('/help', acceptLanguage ? { 'accept-language': acceptLanguage } : {});
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(location);
    expect(page.headers.get('vary')).toMatch(/accept-language/i);
  });
});
