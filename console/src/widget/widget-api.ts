// The widget's calls to the REST API, made with the visitor token (api/README.md, "Widget").
import { createHttpClient } from '../shared/http';
import type { ConversationView, MessageView } from '../shared/wire-types';
import type { FeedbackOutcome } from './widget-thread';

export interface WidgetApi {
  createVisitor(input: { name?: string; email?: string; locale?: string }): Promise<{ token: string; customer: { id: string } }>;
  listConversations(): Promise<{ conversations: ConversationView[] }>;
  startConversation(body: string, idempotencyKey: string): Promise<{ conversation: ConversationView; message: MessageView }>;
  listMessages(conversationId: string): Promise<{ messages: MessageView[] }>;
  sendMessage(conversationId: string, body: string, idempotencyKey: string): Promise<{ message: MessageView }>;
  /** The customer's verdict on the bot's answer: helpful resolves; wants_human hands over. */
  botFeedback(conversationId: string, outcome: FeedbackOutcome): Promise<{ conversation: ConversationView }>;
  /** The customer's 1-5 rating of a resolved conversation; rating again replaces it. */
  rate(conversationId: string, input: { score: number; comment?: string }): Promise<{ csat: { score: number; replaced: boolean } }>;
}

export function createWidgetApi(getToken: () => string | null): WidgetApi {
  const request = createHttpClient({ getToken });
  const id = encodeURIComponent;
  return {
    createVisitor: (input) => request('POST', '/api/widget/visitors', { body: input }),
    listConversations: () => request('GET', '/api/widget/conversations'),
    startConversation: (body, idempotencyKey) => request('POST', '/api/widget/conversations', { body: { body }, idempotencyKey }),
    listMessages: (conversationId) => request('GET', `/api/widget/conversations/${id(conversationId)}/messages`),
    sendMessage: (conversationId, body, idempotencyKey) =>
      request('POST', `/api/widget/conversations/${id(conversationId)}/messages`, { body: { body }, idempotencyKey }),
    botFeedback: (conversationId, outcome) => request('POST', `/api/widget/conversations/${id(conversationId)}/bot-feedback`, { body: { outcome } }),
    rate: (conversationId, input) => request('POST', `/api/widget/conversations/${id(conversationId)}/csat`, { body: input }),
  };
}

/** Where the visitor token is kept, so a returning visitor sees their earlier conversations. */
export const visitorStorageKey = 'seamless.visitor';

export function readVisitorToken(): string | null {
  try {
    return localStorage.getItem(visitorStorageKey);
  } catch {
    return null;
  }
}

export function writeVisitorToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(visitorStorageKey, token);
    else localStorage.removeItem(visitorStorageKey);
  } catch {
    // Storage blocked (private mode, third-party iframe): the visitor lasts for this page only.
  }
}
