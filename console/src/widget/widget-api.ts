// The widget's calls to the REST API, made with the visitor token (api/README.md, "Widget").
import { ApiError, createHttpClient } from '../shared/http';
import { newIdempotencyKey } from '../shared/idempotency';
import { fetchAttachment, uploadAttachment, type UploadFile } from '../shared/attachments';
import type { CustomerConversationView, CustomerMessageView } from '../shared/wire-types';
import type { FeedbackOutcome } from './widget-thread';
import type { IdentityClaim } from './widget-host';
import type { PreChatForm } from '../../../contract/requests/widget';
import type { QueuePlaceView } from '../../../contract/views';
import type { SupportAvailability } from './reply-expectation';
import type { OfflineMessage } from './offline-form';

/** The channel's public widget settings (GET /api/widget/config). */
export interface WidgetConfig {
  channelId: string;
  requireVerifiedIdentity: boolean;
  preChatForm: PreChatForm | null;
  /** Visitors may ask for a voice or video call (the channel's `calls` setting). */
  calls?: boolean;
}

/** The visitor's answers to the pre-chat form (POST /api/widget/pre-chat). */
export interface PreChatAnswers {
  channelId?: string;
  name?: string;
  email?: string;
  fields: Record<string, string>;
}

export interface WidgetApi {
  /** A new visitor; with `identity`, the host site's user (their token, if any, is sent along: an anonymous one's conversations follow). */
  createVisitor(input: {
    name?: string;
    email?: string;
    locale?: string;
    channelId?: string;
    identity?: IdentityClaim;
  }): Promise<{ token: string; customer: { id: string }; verified?: boolean }>;
  config(channelId?: string): Promise<{ config: WidgetConfig }>;
  /** Whether a team is at work now, else when one is back (the "we usually reply …" line). */
  availability(channelId?: string): Promise<{ availability: SupportAvailability }>;
  preChat(answers: PreChatAnswers): Promise<{ customer: { id: string; name: string | null } }>;
  /** The offline form: the message becomes an email conversation; the answer names the address the reply goes to. */
  leaveOfflineMessage(input: OfflineMessage, idempotencyKey: string): Promise<{ email: string }>;
  listConversations(): Promise<{ conversations: CustomerConversationView[] }>;
  startConversation(body: string, idempotencyKey: string): Promise<{ conversation: CustomerConversationView; message: CustomerMessageView }>;
  listMessages(conversationId: string): Promise<{ messages: CustomerMessageView[] }>;
  /** `attachmentIds`: files uploaded to this conversation with `upload`, sent with the message. */
  sendMessage(conversationId: string, body: string, idempotencyKey: string, attachmentIds?: string[]): Promise<{ message: CustomerMessageView }>;
  /** Uploads one file to the conversation (then named in a message's attachmentIds). */
  upload(conversationId: string): UploadFile;
  /** A file of the visitor's conversation (GET /api/widget/attachments/:id). */
  download(attachmentId: string): Promise<Blob>;
  /** The customer's verdict on the bot's answer: helpful resolves; wants_human hands over. */
  botFeedback(conversationId: string, outcome: FeedbackOutcome): Promise<{ conversation: CustomerConversationView }>;
  /** Where the conversation stands while it waits for a person: its place in line and the expected wait. */
  queuePlace(conversationId: string): Promise<{ queue: QueuePlaceView }>;
  /** The customer's 1-5 rating of a resolved conversation; rating again replaces it. */
  rate(conversationId: string, input: { score: number; comment?: string }): Promise<{ csat: { score: number; replaced: boolean } }>;
}

export function createWidgetApi(getToken: () => string | null, options: { fetch?: typeof fetch; newKey?: () => string } = {}): WidgetApi {
  const request = createHttpClient({ getToken, fetch: options.fetch });
  const id = encodeURIComponent;
  // One Idempotency-Key per visitor to create: a retry after a failure that may have reached the
  // server (network, 5xx) reuses it, so it gets that visitor back rather than a second one. Once
  // answered (created, or refused for good), the next visitor — say after the token was refused —
  // is a new one with a new key.
  let visitorKey: string | null = null;
  const newKey = options.newKey ?? (() => newIdempotencyKey());
  return {
    async createVisitor(input) {
      visitorKey ??= newKey();
      try {
        const created = await request<{ token: string; customer: { id: string } }>('POST', '/api/widget/visitors', { body: input, idempotencyKey: visitorKey });
        visitorKey = null;
        return created;
      } catch (cause) {
        if (!(cause instanceof ApiError && cause.retryable)) visitorKey = null;
        throw cause;
      }
    },
    config: (channelId) => request('GET', channelId ? `/api/widget/config?channelId=${id(channelId)}` : '/api/widget/config'),
    availability: (channelId) => request('GET', channelId ? `/api/widget/availability?channelId=${id(channelId)}` : '/api/widget/availability'),
    preChat: (answers) => request('POST', '/api/widget/pre-chat', { body: answers }),
    leaveOfflineMessage: (input, idempotencyKey) => request('POST', '/api/widget/offline-messages', { body: input, idempotencyKey }),
    listConversations: () => request('GET', '/api/widget/conversations'),
    startConversation: (body, idempotencyKey) => request('POST', '/api/widget/conversations', { body: { body, ...visitorTimeZone() }, idempotencyKey }),
    listMessages: (conversationId) => request('GET', `/api/widget/conversations/${id(conversationId)}/messages`),
    sendMessage: (conversationId, body, idempotencyKey, attachmentIds = []) =>
      request('POST', `/api/widget/conversations/${id(conversationId)}/messages`, {
        body: { body, ...(attachmentIds.length ? { attachmentIds } : {}), ...visitorTimeZone() },
        idempotencyKey,
      }),
    upload: (conversationId) => (file, onProgress, signal) =>
      uploadAttachment(`/api/widget/conversations/${id(conversationId)}/attachments`, getToken(), file, onProgress, signal),
    download: (attachmentId) => fetchAttachment(`/api/widget/attachments/${id(attachmentId)}`, getToken()),
    botFeedback: (conversationId, outcome) => request('POST', `/api/widget/conversations/${id(conversationId)}/bot-feedback`, { body: { outcome } }),
    queuePlace: (conversationId) => request('GET', `/api/widget/conversations/${id(conversationId)}/queue`),
    rate: (conversationId, input) => request('POST', `/api/widget/conversations/${id(conversationId)}/csat`, { body: input }),
  };
}

/** The browser's IANA time zone, sent with the visitor's messages so agents can schedule in it (the server ignores one it does not know). */
function visitorTimeZone(): { timeZone?: string } {
  try {
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return timeZone ? { timeZone } : {};
  } catch {
    return {};
  }
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

/** Which host-site user the stored token was issued for (absent: an anonymous visitor). */
export const visitorUserStorageKey = 'seamless.visitor.user';
/** Set once this visitor answered the pre-chat form. */
export const preChatStorageKey = 'seamless.visitor.prechat';

export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string | null): void {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // Storage blocked: remembered for this page only.
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
