// The console's calls to the contact endpoints (api/routes/customer-routes.ts), one function each;
// kept beside the contacts screens so the feature stays in one folder.
import type { CustomerAttributeDefinitionView, CustomerMergeView, CustomerPage, CustomerProfileView } from '../../../contract/customer-views';
import type { CustomerAttributesInput, CustomerProfileInput } from '../../../contract/requests/customers';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';

export interface ContactQuery {
  q?: string;
  page?: number;
  pageSize?: number;
}

export interface ContactApi {
  list(query: ContactQuery, signal?: AbortSignal): Promise<CustomerPage>;
  get(id: string, signal?: AbortSignal): Promise<{ customer: CustomerProfileView }>;
  update(id: string, changes: CustomerProfileInput): Promise<{ customer: CustomerProfileView }>;
  /** `otherId` moves into `id` and is deleted. */
  merge(id: string, otherId: string): Promise<CustomerMergeView>;
  attributes(signal?: AbortSignal): Promise<{ attributes: CustomerAttributeDefinitionView[] }>;
  saveAttributes(input: CustomerAttributesInput): Promise<{ attributes: CustomerAttributeDefinitionView[] }>;
}

/** The list's query string: only what differs from the defaults. */
export function contactQueryString(query: ContactQuery): string {
  const params = new URLSearchParams();
  if (query.q?.trim()) params.set('q', query.q.trim());
  if (query.page && query.page > 1) params.set('page', String(query.page));
  if (query.pageSize) params.set('pageSize', String(query.pageSize));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function createContactApi(request: HttpClient): ContactApi {
  const contact = (id: string) => `/api/customers/${encodeURIComponent(id)}`;
  return {
    list: (query, signal) => request('GET', `/api/customers${contactQueryString(query)}`, { signal }),
    get: (id, signal) => request('GET', contact(id), { signal }),
    update: (id, changes) => request('PATCH', contact(id), { body: changes }),
    merge: (id, otherId) => request('POST', `${contact(id)}/merge`, { body: { otherId } }),
    attributes: (signal) => request('GET', '/api/customer-attributes', { signal }),
    saveAttributes: (input) => request('PUT', '/api/customer-attributes', { body: input }),
  };
}

/** Bound to the session; a 401 is checked through the session's own client, which signs out. */
export const contactApi = createContactApi(sessionRequest);
