// The console's calls to the REST API (api/README.md, "Endpoints"), one function each.
import type { EventView } from '../../domain/events';
import type { ConversationStatus, Presence, Priority } from '../../domain/vocabulary';
import { createHttpClient, type HttpClient } from './shared/http';
import type { ArticleHit, ConversationView, Mention, MessageView, UserView } from './shared/wire-types';

export type TransferInput = { toAgentId: string } | { toTeamId: string };

export interface ConsoleApi {
  login(email: string, password: string): Promise<{ token: string; expiresAt: string; user: UserView }>;
  logout(): Promise<void>;
  me(): Promise<{ user: UserView }>;
  /** Renews the session for another idle hour (up to its 12-hour cap). */
  refreshSession(): Promise<{ expiresAt: string }>;
  /** An AI-written reply for the agent to edit (from the conversation and the knowledge base). */
  draftReply(conversationId: string): Promise<{ draft: string; citations: { id: string; title: string }[]; provider: string }>;
  setPresence(presence: Presence): Promise<{ user: UserView }>;
  listUsers(): Promise<{ users: UserView[] }>;
  myMentions(): Promise<{ mentions: Mention[] }>;
  listConversations(status: ConversationStatus, signal?: AbortSignal): Promise<{ conversations: ConversationView[] }>;
  /** Conversations whose customer or messages contain the text (server-side, 200 at most). */
  searchConversations(text: string, signal?: AbortSignal): Promise<{ conversations: ConversationView[] }>;
  changeTags(conversationId: string, change: { add?: string[]; remove?: string[] }): Promise<{ conversation: ConversationView }>;
  getConversation(id: string): Promise<{ conversation: ConversationView }>;
  listMessages(conversationId: string): Promise<{ messages: MessageView[] }>;
  /** `mentions`: colleagues @mentioned in a private note (user ids). */
  sendMessage(conversationId: string, input: { body: string; private: boolean; mentions?: string[] }, idempotencyKey: string): Promise<{ message: MessageView }>;
  resolve(conversationId: string): Promise<{ conversation: ConversationView }>;
  reopen(conversationId: string): Promise<{ conversation: ConversationView }>;
  /** `until` null: until the customer writes. */
  snooze(conversationId: string, until: string | null): Promise<{ conversation: ConversationView }>;
  transfer(conversationId: string, input: TransferInput): Promise<{ conversation: ConversationView }>;
  setPriority(conversationId: string, priority: Priority): Promise<{ conversation: ConversationView }>;
  suggestedArticles(conversationId: string): Promise<{ locale: string | null; articles: ArticleHit[] }>;
  customerEvents(customerId: string): Promise<{ events: EventView[] }>;
}

export function createConsoleApi(request: HttpClient): ConsoleApi {
  const id = encodeURIComponent;
  const conversation = (conversationId: string) => `/api/conversations/${id(conversationId)}`;
  return {
    login: (email, password) => request('POST', '/api/auth/login', { body: { email, password } }),
    refreshSession: () => request('POST', '/api/auth/refresh', { body: {} }),
    draftReply: (conversationId) => request('POST', `${conversation(conversationId)}/draft`, { body: {} }),
    logout: () => request('POST', '/api/auth/logout'),
    me: () => request('GET', '/api/auth/me'),
    setPresence: (presence) => request('PUT', '/api/me/presence', { body: { presence } }),
    listUsers: () => request('GET', '/api/users'),
    myMentions: () => request('GET', '/api/me/mentions'),
    listConversations: (status, signal) => request('GET', `/api/conversations?status=${id(status)}`, { signal }),
    searchConversations: (text, signal) => request('GET', `/api/conversations?q=${id(text)}`, { signal }),
    changeTags: (conversationId, change) => request('POST', `${conversation(conversationId)}/tags`, { body: change }),
    getConversation: (conversationId) => request('GET', conversation(conversationId)),
    listMessages: (conversationId) => request('GET', `${conversation(conversationId)}/messages`),
    sendMessage: (conversationId, input, idempotencyKey) => request('POST', `${conversation(conversationId)}/messages`, { body: input, idempotencyKey }),
    resolve: (conversationId) => request('POST', `${conversation(conversationId)}/resolve`, { body: {} }),
    reopen: (conversationId) => request('POST', `${conversation(conversationId)}/reopen`, { body: {} }),
    snooze: (conversationId, until) => request('POST', `${conversation(conversationId)}/snooze`, { body: { until } }),
    transfer: (conversationId, input) => request('POST', `${conversation(conversationId)}/transfer`, { body: input }),
    setPriority: (conversationId, priority) => request('POST', `${conversation(conversationId)}/priority`, { body: { priority } }),
    suggestedArticles: (conversationId) => request('GET', `${conversation(conversationId)}/suggested-articles`),
    customerEvents: (customerId) => request('GET', `/api/customers/${id(customerId)}/events`),
  };
}

export { createHttpClient };
