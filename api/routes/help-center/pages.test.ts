// The help center's pages as pure functions: escaping, grouping, both languages.
import { describe, expect, it } from 'vitest';
import type { listPublishedArticles, PublicArticleView } from '../../services/knowledge-service.js';
import { escapeHtml, html, Html } from './html.js';
import { articlePage, homePage, messagePage } from './pages.js';

type Summary = Awaited<ReturnType<typeof listPublishedArticles>>[number];

const summary = (fields: Partial<Summary>): Summary => ({
  id: 'a1',
  groupId: 'g1',
  locale: 'en',
  slug: 'lost-card',
  title: 'Lost card',
  category: 'cards',
  tags: [],
  status: 'published',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-03-05T00:00:00.000Z',
  publishedAt: '2026-01-01T00:00:00.000Z',
  ...fields,
});
const article = (fields: Partial<PublicArticleView>): PublicArticleView => ({ ...summary({}), body: 'Call us.', ...fields });

describe('html', () => {
  it('escapes every character that could end text or an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes interpolated strings and lists but keeps markup it made itself', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${['<', 1, null, false, undefined]}</p>`.value).toBe('<p><b>&lt;i&gt;</b>&lt;1</p>');
    expect(html`${new Html('<hr>')}`.value).toBe('<hr>');
  });
});

describe('home page', () => {
  it('groups the articles by category, escaping titles and categories', () => {
    const page = homePage(
      'en',
      '',
      [summary({ title: 'A <b>bold</b> claim', category: 'cards & more' }), summary({ id: 'a2', slug: 'fees', title: 'Fees', category: 'pricing' })],
      null,
    );
    expect(page).toContain('<h3 id="category-0">cards &amp; more</h3>');
    expect(page).toContain('<a href="/help/en/lost-card">A &lt;b&gt;bold&lt;/b&gt; claim</a>');
    expect(page).toContain('<h3 id="category-1">pricing</h3>');
    expect(page).not.toContain('id="results"');
  });

  it('shows the search, its results or a no-results line, in Chinese', () => {
    const none = homePage('zh-CN', '"><script>', [], []);
    expect(none).toContain('<html lang="zh-CN">');
    expect(none).toContain('value="&quot;&gt;&lt;script&gt;"');
    expect(none).toContain('没有找到相关文章');
    expect(none).toContain('暂无已发布的文章。');
    const hits = homePage(
      'zh-CN',
      '挂失',
      [],
      [{ articleId: 'a1', groupId: 'g1', locale: 'zh-CN', slug: '挂失', title: '如何挂失', snippet: '…挂失…', score: 1 }],
    );
    expect(hits).toContain(`<a href="/help/zh-CN/${encodeURIComponent('挂失')}">如何挂失</a>`);
  });
});

describe('article page', () => {
  it('renders the body as safe Markdown and links the translation, else the other language’s home', () => {
    const page = articlePage('en', article({ body: '**Call** us <script>x</script>' }), '挂失');
    expect(page).toContain('<strong>Call</strong>');
    expect(page).not.toContain('<script>');
    expect(page).toContain(`href="/help/zh-CN/${encodeURIComponent('挂失')}"`);
    expect(page).toContain('<time datetime="2026-03-05T00:00:00.000Z">March 5, 2026</time>');
    expect(articlePage('en', article({}), null)).toContain('href="/help/zh-CN" lang="zh-CN"');
  });

  it('writes the date in the page’s language', () => {
    expect(articlePage('zh-CN', article({ locale: 'zh-CN' }), null)).toContain('2026年3月5日');
  });
});

it('a message page says its text and links home', () => {
  const page = messagePage('en', 'Page not found', 'Nothing here.');
  expect(page).toContain('<title>Page not found · Help center</title>');
  expect(page).toContain('<a href="/help/en">Back to the help center</a>');
});
