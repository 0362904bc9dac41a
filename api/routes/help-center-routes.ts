// The public help center: server-rendered HTML pages of the published knowledge articles, one
// site per locale (en, zh-CN), no login. Every page is built with the `html` template (help-center/),
// which escapes every interpolated value; the only markup not escaped is renderMarkdown's, which
// is safe by construction (infra/markdown.ts). A strict CSP backs both up: no script runs at all.
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ResolvedApiDeps } from '../deps.js';
import { HttpError, notFound } from '../http-error.js';
import {
  articleLocales,
  findPublishedArticle,
  findPublishedTranslationSlug,
  listPublishedArticles,
  type ArticleLocale,
} from '../services/knowledge-service.js';
import { articlePage, homePage, maxQueryLength, messagePage } from './help-center/pages.js';
import { dictionary, homePath, otherLocale } from './help-center/words.js';

/** Sent with every help-center page: no scripts, no frames, forms post back here only. */
export const helpCenterCsp = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; form-action 'self'; base-uri 'none'";

/** Search results shown on one page. */
export const helpSearchLimit = 20;

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

export function helpCenterRoutes(deps: ResolvedApiDeps): Router {
  const router = Router();
  const { search } = deps;

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
      res
        .status(404)
        .type('html')
        .send(messagePage(locale, t.notFoundTitle, t.notFoundText));
      return;
    }
    deps.log('unexpected error on a help-center page', error);
    res
      .status(500)
      .type('html')
      .send(messagePage(locale, t.errorTitle, t.errorText));
  };
  router.use('/help', pageErrors);

  return router;
}
