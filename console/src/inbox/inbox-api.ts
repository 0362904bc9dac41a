// The console's calls to the conversation endpoints (api/README.md, "Endpoints"), one function
// each: the inbox list and search, a conversation and its messages, replies and drafts, the
// actions on it, tags, suggested articles. Kept beside the inbox screens (as tickets/ticket-api.ts
// is beside the ticket screens); the HTTP client is the session's.
import type { ConversationStatus, Priority } from '../../../domain/vocabulary';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';
import type { ArticleHit, ConversationView, EmailOriginalView, MessageView } from '../shared/wire-types';

export type TransferInput = { toAgentId: string } | { toTeamId: string };

export interface InboxApi {
  listConversations(status: ConversationStatus, signal?: AbortSignal): Promise<{ conversations: ConversationView[] }>;
  /** Conversations whose customer or messages contain the text (server-side, 200 at most). */
  searchConversations(text: string, signal?: AbortSignal): Promise<{ conversations: ConversationView[] }>;
  getConversation(id: string): Promise<{ conversation: ConversationView }>;
  listMessages(conversationId: string): Promise<{ messages: MessageView[] }>;
  /** The original of a message that came by email: headers, the server-sanitised HTML, the text. */
  messageEmail(conversationId: string, messageId: string): Promise<{ email: EmailOriginalView }>;
  /** `mentions`: colleagues @mentioned in a private note (user ids). */
  sendMessage(
    conversationId: string,
    input: { body: string; private: boolean; mentions?: string[] },
    idempotencyKey: string,
  ): Promise<{ message: MessageView }>;
  /** An AI-written reply for the agent to edit (from the conversation and the knowledge base). */
  draftReply(conversationId: string): Promise<{ draft: string; citations: { id: string; title: string }[]; provider: string }>;
  changeTags(conversationId: string, change: { add?: string[]; remove?: string[] }): Promise<{ conversation: ConversationView }>;
  resolve(conversationId: string): Promise<{ conversation: ConversationView }>;
  reopen(conversationId: string): Promise<{ conversation: ConversationView }>;
  /** `until` null: until the customer writes. */
  snooze(conversationId: string, until: string | null): Promise<{ conversation: ConversationView }>;
  transfer(conversationId: string, input: TransferInput): Promise<{ conversation: ConversationView }>;
  setPriority(conversationId: string, priority: Priority): Promise<{ conversation: ConversationView }>;
  suggestedArticles(conversationId: string): Promise<{ locale: string | null; articles: ArticleHit[] }>;
}

export function createInboxApi(request: HttpClient): InboxApi {
  const id = encodeURIComponent;
  const conversation = (conversationId: string) => `/api/conversations/${id(conversationId)}`;
  return {
    listConversations: (status, signal) => request('GET', `/api/conversations?status=${id(status)}`, { signal }),
    searchConversations: (text, signal) => request('GET', `/api/conversations?q=${id(text)}`, { signal }),
    getConversation: (conversationId) => request('GET', conversation(conversationId)),
    listMessages: (conversationId) => request('GET', `${conversation(conversationId)}/messages`),
    messageEmail: (conversationId, messageId) => request('GET', `${conversation(conversationId)}/messages/${id(messageId)}/email`),
    sendMessage: (conversationId, input, idempotencyKey) => request('POST', `${conversation(conversationId)}/messages`, { body: input, idempotencyKey }),
    draftReply: (conversationId) => request('POST', `${conversation(conversationId)}/draft`, { body: {} }),
    changeTags: (conversationId, change) => request('POST', `${conversation(conversationId)}/tags`, { body: change }),
    resolve: (conversationId) => request('POST', `${conversation(conversationId)}/resolve`, { body: {} }),
    reopen: (conversationId) => request('POST', `${conversation(conversationId)}/reopen`, { body: {} }),
    snooze: (conversationId, until) => request('POST', `${conversation(conversationId)}/snooze`, { body: { until } }),
    transfer: (conversationId, input) => request('POST', `${conversation(conversationId)}/transfer`, { body: input }),
    setPriority: (conversationId, priority) => request('POST', `${conversation(conversationId)}/priority`, { body: { priority } }),
    suggestedArticles: (conversationId) => request('GET', `${conversation(conversationId)}/suggested-articles`),
  };
}

export const inboxApi = createInboxApi(sessionRequest);
