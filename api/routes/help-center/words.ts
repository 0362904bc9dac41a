// The help center's words in English and Chinese, and its paths: one site per article language.
import type { ArticleLocale } from '../../services/knowledge-service.js';

/** Every word a help-center page shows, in each of its languages. */
export const dictionary = {
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

export const otherLocale = (locale: ArticleLocale): ArticleLocale => (locale === 'en' ? 'zh-CN' : 'en');
export const homePath = (locale: ArticleLocale) => `/help/${locale}`;
export const articlePath = (locale: ArticleLocale, slug: string) => `/help/${locale}/${encodeURIComponent(slug)}`;

/** An instant as a date in the page's language; UTC, so a page reads the same everywhere. */
export const dateOf = (locale: ArticleLocale, iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
