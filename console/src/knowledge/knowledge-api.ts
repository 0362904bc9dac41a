// The console's calls to the knowledge endpoints (api/README.md, "Endpoints"). Reading is open
// to every agent; writing (create, edit, publish, delete) is for admins only.
import type { CreateArticleInput, UpdateArticleInput } from '../../../contract/requests/knowledge';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';
import {
  articleQueryString,
  type ArticleHit,
  type ArticleListQuery,
  type ArticleSummary,
  type ArticleVersion,
  type ArticleView,
  type SuggestedQuestion,
} from './article-types';

/** The bodies of POST and PATCH /api/knowledge/articles, as the API's schemas take them. */
export type ArticleInput = CreateArticleInput;
export type ArticleChange = UpdateArticleInput;

export interface KnowledgeApi {
  listArticles(query: ArticleListQuery, signal?: AbortSignal): Promise<{ articles: ArticleSummary[] }>;
  searchArticles(q: string, query: ArticleListQuery, signal?: AbortSignal): Promise<{ hits: ArticleHit[] }>;
  /** `suggestedQuestions` is empty unless the caller may edit the article. */
  getArticle(id: string): Promise<{ article: ArticleView; versions: ArticleVersion[]; suggestedQuestions: SuggestedQuestion[] }>;
  createArticle(input: ArticleInput): Promise<{ article: ArticleView }>;
  updateArticle(id: string, change: ArticleChange): Promise<{ article: ArticleView }>;
  deleteArticle(id: string): Promise<void>;
  acceptSuggestedQuestion(id: string, suggestionId: string): Promise<{ article: ArticleView }>;
  dismissSuggestedQuestion(id: string, suggestionId: string): Promise<void>;
}

export function createKnowledgeApi(request: HttpClient): KnowledgeApi {
  const article = (id: string) => `/api/knowledge/articles/${encodeURIComponent(id)}`;
  const suggestion = (id: string, suggestionId: string) => `${article(id)}/suggested-questions/${encodeURIComponent(suggestionId)}`;
  return {
    listArticles: (query, signal) => request('GET', `/api/knowledge/articles${articleQueryString(query)}`, { signal }),
    searchArticles: (q, query, signal) => request('GET', `/api/knowledge/articles${articleQueryString({ ...query, q })}`, { signal }),
    getArticle: (id) => request('GET', article(id)),
    createArticle: (input) => request('POST', '/api/knowledge/articles', { body: input }),
    updateArticle: (id, change) => request('PATCH', article(id), { body: change }),
    deleteArticle: (id) => request('DELETE', article(id)),
    acceptSuggestedQuestion: (id, suggestionId) => request('POST', `${suggestion(id, suggestionId)}/accept`),
    dismissSuggestedQuestion: (id, suggestionId) => request('DELETE', suggestion(id, suggestionId)),
  };
}

/** Bound to the session; a 401 is checked through the session's own client, which signs out. */
export const knowledgeApi = createKnowledgeApi(sessionRequest);
