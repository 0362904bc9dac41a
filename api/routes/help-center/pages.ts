// The help center's pages: home (search and every article by category), an article, a message
// (not found, an error). Built with the `html` template only (html.ts), so everything is escaped.
import { renderMarkdown } from '../../../contract/markdown.js';
import type { SearchHit } from '../../../infra/search/knowledge-search.js';
import type { ArticleLocale, listPublishedArticles, PublicArticleView } from '../../services/knowledge-service.js';
import { Html, html } from './html.js';
import { articlePath, dateOf, dictionary, homePath, otherLocale } from './words.js';

/** The longest search text the form sends (the route cuts longer ones). */
export const maxQueryLength = 200;

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

export function homePage(locale: ArticleLocale, query: string, articles: readonly ArticleSummary[], hits: readonly SearchHit[] | null): string {
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

export function articlePage(locale: ArticleLocale, article: PublicArticleView, translationSlug: string | null): string {
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

export function messagePage(locale: ArticleLocale, title: string, text: string): string {
  const t = dictionary[locale];
  return page({ locale, title, main: html`<h1>${title}</h1>\n<p>${text}</p>\n<p><a href="${homePath(locale)}">${t.backHome}</a></p>` });
}
