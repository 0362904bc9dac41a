// The console's calls to the REST API (api/README.md, "Endpoints"), one function each.
import type { Presence } from '../../domain/vocabulary';
import { createHttpClient, type HttpClient } from './shared/http';
import type { ConversationView, MessageView, UserView } from './shared/wire-types';
import { filterQuery, type InboxFilter } from './inbox/inbox-list';

export interface ConsoleApi {
  login(email: string, password: string): Promise<{ token: string; expiresAt: string; user: UserView }>;
  logout(): Promise<void>;
  me(): Promise<{ user: UserView }>;
  setPresence(presence: Presence): Promise<{ user: UserView }>;
  listConversations(filter: InboxFilter, signal?: AbortSignal): Promise<{ conversations: ConversationView[] }>;
  getConversation(id: string): Promise<{ conversation: ConversationView }>;
  listMessages(conversationId: string): Promise<{ messages: MessageView[] }>;
  sendMessage(conversationId: string, input: { body: string; private: boolean }, idempotencyKey: string): Promise<{ message: MessageView }>;
  resolve(conversationId: string): Promise<{ conversation: ConversationView }>;
}

export function createConsoleApi(request: HttpClient): ConsoleApi {
  const id = encodeURIComponent;
  return {
    login: (email, password) => request('POST', '/api/auth/login', { body: { email, password } }),
    logout: () => request('POST', '/api/auth/logout'),
    me: () => request('GET', '/api/auth/me'),
    setPresence: (presence) => request('PUT', '/api/me/presence', { body: { presence } }),
    listConversations: (filter, signal) => request('GET', '/api/conversations' + filterQuery(filter), { signal }),
    getConversation: (conversationId) => request('GET', `/api/conversations/${id(conversationId)}`),
    listMessages: (conversationId) => request('GET', `/api/conversations/${id(conversationId)}/messages`),
    sendMessage: (conversationId, input, idempotencyKey) =>
      request('POST', `/api/conversations/${id(conversationId)}/messages`, { body: input, idempotencyKey }),
    resolve: (conversationId) => request('POST', `/api/conversations/${id(conversationId)}/resolve`),
  };
}

export { createHttpClient };
