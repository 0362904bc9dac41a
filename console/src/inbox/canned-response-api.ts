// The console's call to the canned responses endpoint (api/README.md, "Endpoints"): the ones the
// agent may use (the shared ones and their team's; admins see all). The composer asks once and
// filters as the agent types (canned-responses.ts): the server lists up to 500, by shortcut.
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';
import type { CannedResponse } from './canned-responses';

export interface CannedResponseQuery {
  /** Substring of the shortcut, title or body; a leading "/" is ignored. */
  q?: string;
  locale?: string;
}

export interface CannedResponseApi {
  listCannedResponses(query: CannedResponseQuery, signal?: AbortSignal): Promise<{ cannedResponses: CannedResponse[] }>;
}

export function createCannedResponseApi(request: HttpClient): CannedResponseApi {
  return {
    listCannedResponses: (query, signal) => {
      const params = new URLSearchParams();
      if (query.q?.trim()) params.set('q', query.q.trim());
      if (query.locale) params.set('locale', query.locale);
      const text = params.toString();
      return request('GET', `/api/canned-responses${text ? `?${text}` : ''}`, { signal });
    },
  };
}

/** Bound to the session; a 401 is checked through the session's own client, which signs out. */
export const cannedResponseApi = createCannedResponseApi(sessionRequest);
