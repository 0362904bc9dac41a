// The public help center: server-rendered HTML pages of the published knowledge articles, one
// site per locale (en, zh-CN), no login. Every page is built with the `html` template below,
// which escapes every interpolated value; the only markup not escaped is renderMarkdown's, which
// is safe by construction (infra/markdown.ts). A strict CSP backs both up: no script runs at all.
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import { renderMarkdown } from '../../infra/markdown.js';
import type { SearchHit } from '../../infra/search/knowledge-search.js';
import { createPostgresSearch } from '../../infra/search/postgres-search.js';
import type { ApiDeps } from '../deps.js';
import { HttpError, notFound } from '../http-error.js';
import {
  articleLocales,
  findPublishedArticle,
  findPublishedTranslationSlug,
  listPublishedArticles,
  type ArticleLocale,
  type PublicArticleView,
} from '../services/knowledge-service.js';

/** Sent with every help-center page: no scripts, no frames, forms post back here only. */
export const helpCenterCsp = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; form-action 'self'; base-uri 'none'";

/** Search results shown on one page. */
export const helpSearchLimit = 20;
const maxQueryLength = 200;

// ----- HTML -----

/** Text made safe to put in HTML text or in a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Markup that is already safe: made only by `html` (which escapes) or from renderMarkdown. */
class Html {
  constructor(readonly value: string) {}
}
type Interpolation = Html | string | number | null | undefined | false | readonly Interpolation[];

function interpolate(value: Interpolation): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** A template whose interpolations are escaped unless they are Html already. */
function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  return new Html(strings.reduce((out, text, index) => out + text + (index < values.length ? interpolate(values[index]) : ''), ''));
}

// ----- words -----

const dictionary = {
  en: {
    languageName: 'English',
    helpCenter: 'Help center',
    tagline: 'Answers to common questions.',
    searchLabel: 'Search articles',
    searchButton: 'Search',
    searchPlaceholder: 'e.g. card not arrived',
    resultsFor: 'Results for',
    noResults: 'No article matches your search. Try other words, or browse the articles below.',
    allArticles: 'All articles',
    noArticles: 'No articles have been published yet.',
    category: 'Category',
    updated: 'Updated',
    notFoundTitle: 'Page not found',
    notFoundText: 'This page does not exist, or the article is not published.',
    errorTitle: 'Something went wrong',
    errorText: 'The page could not be shown. Please try again in a moment.',
    backHome: 'Back to the help center',
    switchLanguage: 'Read in English',
  },
  'zh-CN': {
    languageName: '中文',
    helpCenter: '帮助中心',
    tagline: '常见问题解答。',
    searchLabel: '搜索文章',
    searchButton: '搜索',
    searchPlaceholder: '例如：卡片未收到',
    resultsFor: '搜索结果：',
    noResults: '没有找到相关文章。请换个说法，或浏览下方的全部文章。',
    allArticles: '全部文章',
    noArticles: '暂无已发布的文章。',
    category: '分类',
    updated: '更新于',
    notFoundTitle: '页面不存在',
    notFoundText: '该页面不存在，或文章尚未发布。',
    errorTitle: '出错了',
    errorText: '页面暂时无法显示，请稍后再试。',
    backHome: '返回帮助中心',
    switchLanguage: '阅读中文版',
  },
} satisfies Record<ArticleLocale, Record<string, string>>;

const otherLocale = (locale: ArticleLocale): ArticleLocale => (locale === 'en' ? 'zh-CN' : 'en');
const homePath = (locale: ArticleLocale) => `/help/${locale}`;
const articlePath = (locale: ArticleLocale, slug: string) => `/help/${locale}/${encodeURIComponent(slug)}`;

/** An instant as a date in the page's language; UTC, so a page reads the same everywhere. */
const dateOf = (locale: ArticleLocale, iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

const styles = `
*{box-sizing:border-box}
body{margin:0;font:1rem/1.65 system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#f6f8fa}
header,main,footer{max-width:46rem;margin:0 auto;padding:1rem}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between;border-bottom:1px solid #d0d7de}
.brand{font-weight:700;font-size:1.2rem;color:inherit;text-decoration:none}
main{background:#fff;border-radius:.5rem;margin-top:1rem}
a{color:#0a58ca}
a:focus-visible,input:focus-visible,button:focus-visible{outline:3px solid #0a58ca;outline-offset:2px}
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
form{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
label{flex-basis:100%;font-weight:600}
input[type=search]{flex:1 1 12rem;min-width:0;padding:.55rem .7rem;font:inherit;border:1px solid #8c959f;border-radius:.375rem}
button{padding:.55rem 1rem;font:inherit;color:#fff;background:#0a58ca;border:0;border-radius:.375rem;cursor:pointer}
ul.articles{padding-left:1.2rem}
ul.articles li{margin:.3rem 0}
.snippet{margin:.2rem 0 0;color:#57606a;font-size:.95rem}
.meta{color:#57606a;font-size:.9rem;margin:0 0 1rem}
.body{overflow-wrap:anywhere}
.body img{max-width:100%;height:auto}
.body pre{overflow-x:auto;padding:.75rem;background:#f6f8fa;border-radius:.375rem}
.body code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.body table{display:block;overflow-x:auto;border-collapse:collapse}
.body th,.body td{border:1px solid #d0d7de;padding:.3rem .6rem}
.body blockquote{margin:0;padding-left:1rem;border-left:4px solid #d0d7de;color:#57606a}
`;

interface PageInput {
  locale: ArticleLocale;
  title: string;
  main: Html;
  /** The same page in the other language (else that language's home). */
  switchPath?: string;
}

function page({ locale, title, main, switchPath }: PageInput): string {
  const t = dictionary[locale];
  const other = otherLocale(locale);
  const documentTitle = title === t.helpCenter ? title : `${title} · ${t.helpCenter}`;
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${documentTitle}</title>
<style>${new Html(styles)}</style>
</head>
<body>
<header>
<a class="brand" href="${homePath(locale)}">${t.helpCenter}</a>
<a href="${switchPath ?? homePath(other)}" lang="${other}" hreflang="${other}">${dictionary[other].switchLanguage}</a>
</header>
<main>
${main}
</main>
</body>
</html>
`.value;
}

function searchForm(locale: ArticleLocale, query: string): Html {
  const t = dictionary[locale];
  return html`<form role="search" method="get" action="${homePath(locale)}">
<label for="q">${t.searchLabel}</label>
<input id="q" name="q" type="search" value="${query}" maxlength="${maxQueryLength}" placeholder="${t.searchPlaceholder}" autocomplete="off">
<button type="submit">${t.searchButton}</button>
</form>`;
}

function searchResults(locale: ArticleLocale, query: string, hits: readonly SearchHit[]): Html {
  const t = dictionary[locale];
  return html`<section aria-labelledby="results">
<h2 id="results">${t.resultsFor} “${query}”</h2>
${
  hits.length === 0
    ? html`<p>${t.noResults}</p>`
    : html`<ul class="articles">
${hits.map((hit) => html`<li><a href="${articlePath(locale, hit.slug)}">${hit.title}</a><p class="snippet">${hit.snippet}</p></li>\n`)}</ul>`
}
</section>`;
}

type ArticleSummary = Awaited<ReturnType<typeof listPublishedArticles>>[number];

function articleList(locale: ArticleLocale, articles: readonly ArticleSummary[]): Html {
  const t = dictionary[locale];
  if (articles.length === 0) return html`<p>${t.noArticles}</p>`;
  // The finder sorts by category, so each category's articles come together.
  const categories = new Map<string, ArticleSummary[]>();
  for (const article of articles) categories.set(article.category, [...(categories.get(article.category) ?? []), article]);
  return html`<h2>${t.allArticles}</h2>
${[...categories].map(
  ([category, inCategory], index) => html`<section aria-labelledby="category-${index}">
<h3 id="category-${index}">${category}</h3>
<ul class="articles">
${inCategory.map((article) => html`<li><a href="${articlePath(locale, article.slug)}">${article.title}</a></li>\n`)}</ul>
</section>
`,
)}`;
}

function homePage(locale: ArticleLocale, query: string, articles: readonly ArticleSummary[], hits: readonly SearchHit[] | null): string {
  const t = dictionary[locale];
  return page({
    locale,
    title: t.helpCenter,
    main: html`<h1>${t.helpCenter}</h1>
<p>${t.tagline}</p>
${searchForm(locale, query)}
${hits && searchResults(locale, query, hits)}
${articleList(locale, articles)}`,
  });
}

function articlePage(locale: ArticleLocale, article: PublicArticleView, translationSlug: string | null): string {
  const t = dictionary[locale];
  return page({
    locale,
    title: article.title,
    switchPath: translationSlug ? articlePath(otherLocale(locale), translationSlug) : undefined,
    main: html`<p><a href="${homePath(locale)}">← ${t.allArticles}</a></p>
<article>
<h1>${article.title}</h1>
<p class="meta">${t.category}: ${article.category} · ${t.updated} <time datetime="${article.updatedAt}">${dateOf(locale, article.updatedAt)}</time></p>
<div class="body">
${new Html(renderMarkdown(article.body))}
</div>
</article>
${searchForm(locale, '')}`,
  });
}

function messagePage(locale: ArticleLocale, title: string, text: string): string {
  const t = dictionary[locale];
  return page({ locale, title, main: html`<h1>${title}</h1>\n<p>${text}</p>\n<p><a href="${homePath(locale)}">${t.backHome}</a></p>` });
}

// ----- requests -----

const localeParam = z.enum(articleLocales);
const slugParam = z.string().min(1).max(200);
// Unknown parameters (utm_…) are ignored and a repeated or odd `q` reads as none: a page answers,
// never a JSON 400. Long queries are cut, as the search would cut them.
const homeQuery = z.object({ q: z.string().optional().catch(undefined) });

/** Chinese (any zh-*) when the browser prefers it to English, else English (also with no header). */
export function preferredLocale(req: Request): ArticleLocale {
  return req.acceptsLanguages('en', 'zh') === 'zh' ? 'zh-CN' : 'en';
}

/** The page's locale from the path; unknown ones are a 404 in the browser's language. */
function localeOf(req: Request, res: Response): ArticleLocale {
  const parsed = localeParam.safeParse(req.params.locale);
  if (!parsed.success) throw notFound('Help-center locale');
  res.locals.helpLocale = parsed.data;
  return parsed.data;
}

export function helpCenterRoutes(deps: ApiDeps): Router {
  const router = Router();
  const search = deps.search ?? createPostgresSearch(deps.db);

  router.use('/help', (_req, res, next) => {
    res.set({ 'Content-Security-Policy': helpCenterCsp, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'strict-origin-when-cross-origin' });
    next();
  });

  router.get('/help', (req, res) => {
    // The answer depends on the header: caches must keep one per language.
    res.vary('Accept-Language');
    res.redirect(302, homePath(preferredLocale(req)));
  });

  router.get('/help/:locale', async (req, res) => {
    const locale = localeOf(req, res);
    const query = (homeQuery.parse(req.query).q ?? '').trim().slice(0, maxQueryLength);
    const [articles, hits] = await Promise.all([
      listPublishedArticles(deps.db, locale),
      query ? search.search(query, { locale, limit: helpSearchLimit, publishedOnly: true }) : Promise.resolve(null),
    ]);
    res.type('html').send(homePage(locale, query, articles, hits));
  });

  router.get('/help/:locale/:slug', async (req, res) => {
    const locale = localeOf(req, res);
    const slug = slugParam.safeParse(req.params.slug);
    const article = slug.success ? await findPublishedArticle(deps.db, locale, slug.data) : null;
    if (!article) throw notFound('Article');
    const translationSlug = await findPublishedTranslationSlug(deps.db, article.groupId, otherLocale(locale));
    res.type('html').send(articlePage(locale, article, translationSlug));
  });

  // Everything under /help is the help center's: other paths are its 404 page, not the console.
  router.use('/help', () => {
    throw notFound('Page');
  });

  // Errors on these pages answer as pages, not as the API's JSON: 404s in the page's language
  // (the browser's for an unknown locale), anything unexpected logged and shown as a plain 500.
  const pageErrors: ErrorRequestHandler = (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const locale = localeParam.safeParse(res.locals.helpLocale).data ?? preferredLocale(req);
    const t = dictionary[locale];
    if (error instanceof HttpError && error.status === 404) {
      res.status(404).type('html').send(messagePage(locale, t.notFoundTitle, t.notFoundText));
      return;
    }
    deps.log('unexpected error on a help-center page', error);
    res.status(500).type('html').send(messagePage(locale, t.errorTitle, t.errorText));
  };
  router.use('/help', pageErrors);

  return router;
}
