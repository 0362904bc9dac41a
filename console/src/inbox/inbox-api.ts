// The console's calls to the conversation endpoints (api/README.md, "Endpoints"), one function
// each: the inbox list and search, a conversation and its messages, replies and drafts, the
// actions on it, tags, suggested articles. Kept beside the inbox screens (as tickets/ticket-api.ts
// is beside the ticket screens); the HTTP client is the session's.
import type { ConversationStatus, Priority } from '../../../domain/vocabulary';
import { session, sessionRequest } from '../auth/session';
import { inlineImageTypes } from './email-message';
import type { HttpClient } from '../shared/http';
import { fetchAttachment, uploadAttachment, type UploadFile } from '../shared/attachments';
import type { BulkConversationInput, EmailConversationBody } from '../../../contract/requests/conversations';
import type { ArticleHit, ConversationView, EmailChannelChoice, EmailOriginalView, MessageView } from '../shared/wire-types';
import type { BulkConversationOutcome, ConversationPage, MessagePage } from '../../../contract/views';
import type { SearchResults, SearchStatus } from '../../../contract/search';
import { listPageSize } from './inbox-list';

export type TransferInput = { toAgentId: string } | { toTeamId: string };

export interface InboxApi {
  /** One page of a status, newest activity first; `cursor`: the previous page's nextCursor. */
  listConversations(status: ConversationStatus, cursor: string | null, signal?: AbortSignal): Promise<ConversationPage>;
  /**
   * A page of the conversations (any status, or `status`) whose messages, subject or customer hold
   * the text, each with where it matched, and on the first page the tickets that do; `cursor` as above.
   */
  search(text: string, status: SearchStatus | null, cursor: string | null, signal?: AbortSignal): Promise<SearchResults>;
  getConversation(id: string): Promise<{ conversation: ConversationView }>;
  /** The newest messages, or (with the previous page's nextCursor) the ones before them; each page oldest first. */
  listMessages(conversationId: string, cursor?: string | null): Promise<MessagePage>;
  /** The original of a message that came by email: headers, the server-sanitised HTML, the text. */
  messageEmail(conversationId: string, messageId: string): Promise<{ email: EmailOriginalView }>;
  /** An email's inline image (a stored attachment) as a data: URL, or null when it is not a raster image or cannot be read. */
  inlineImage(attachmentId: string): Promise<string | null>;
  /** The index-th remote image of a message's mail, fetched by the server (the image proxy), as a data: URL; null when it cannot be shown. */
  remoteImage(conversationId: string, messageId: string, index: number): Promise<string | null>;
  /** `mentions`: colleagues @mentioned in a private note (user ids). */
  sendMessage(
    conversationId: string,
    input: { body: string; private: boolean; mentions?: string[]; attachmentIds?: string[] },
    idempotencyKey: string,
  ): Promise<{ message: MessageView }>;
  /** Uploads one file to the conversation, for a reply or note to name in attachmentIds. */
  upload(conversationId: string): UploadFile;
  /** A message's file (GET /api/attachments/:id), fetched with the session. */
  attachment(attachmentId: string): Promise<Blob>;
  /** An AI-written reply for the agent to edit (from the conversation and the knowledge base). */
  draftReply(conversationId: string): Promise<{ draft: string; citations: { id: string; title: string }[]; provider: string }>;
  changeTags(conversationId: string, change: { add?: string[]; remove?: string[] }): Promise<{ conversation: ConversationView }>;
  /** One action on several conversations (POST /api/conversations/bulk): each one's outcome, in order. */
  bulk(input: BulkConversationInput): Promise<{ results: BulkConversationOutcome[] }>;
  /** The agent has read the conversation up to its newest message (its row's unread count is 0 for them). */
  markRead(conversationId: string): Promise<void>;
  resolve(conversationId: string): Promise<{ conversation: ConversationView }>;
  reopen(conversationId: string): Promise<{ conversation: ConversationView }>;
  /** `until` null: until the customer writes. */
  snooze(conversationId: string, until: string | null): Promise<{ conversation: ConversationView }>;
  transfer(conversationId: string, input: TransferInput): Promise<{ conversation: ConversationView }>;
  setPriority(conversationId: string, priority: Priority): Promise<{ conversation: ConversationView }>;
  suggestedArticles(conversationId: string): Promise<{ locale: string | null; articles: ArticleHit[] }>;
  /** The enabled email channels "New email" offers (GET /api/email-channels: agents and admins). */
  emailChannels(signal?: AbortSignal): Promise<{ channels: EmailChannelChoice[] }>;
  /** Writes first, by email, to a customer (POST /api/conversations): the conversation is the caller's. */
  startEmailConversation(input: EmailConversationBody, idempotencyKey: string): Promise<{ conversation: ConversationView; message: MessageView }>;
}

/** Messages the console asks for at a time: the newest when a conversation opens, then older ones as it is scrolled up. */
export const messagePageSize = 50;

/** Images larger than this stay blank rather than swell the mail's document (the server's own limit for remote ones). */
const maxImageBytes = 5 * 1024 * 1024;

/** GET an image of ours with the session's token, read as a data: URL when it is a raster image. */
async function fetchImageAsDataUrl(url: string): Promise<string | null> {
  const response = await fetch(url, {
    headers: session.token ? { Authorization: `Bearer ${session.token}` } : {},
  });
  if (!response.ok) return null;
  const blob = await response.blob();
  const type = (response.headers.get('content-type') ?? blob.type).split(';')[0]!.trim().toLowerCase();
  if (!inlineImageTypes.includes(type) || blob.size > maxImageBytes) return null;
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return `data:${type};base64,${btoa(binary)}`;
}

export function createInboxApi(request: HttpClient): InboxApi {
  const id = encodeURIComponent;
  const conversation = (conversationId: string) => `/api/conversations/${id(conversationId)}`;
  const page = (cursor: string | null) => `&limit=${listPageSize}${cursor ? `&cursor=${id(cursor)}` : ''}`;
  return {
    listConversations: (status, cursor, signal) => request('GET', `/api/conversations?status=${id(status)}${page(cursor)}`, { signal }),
    search: (text, status, cursor, signal) => request('GET', `/api/search?q=${id(text)}${status ? `&status=${id(status)}` : ''}${page(cursor)}`, { signal }),
    getConversation: (conversationId) => request('GET', conversation(conversationId)),
    listMessages: (conversationId, cursor = null) =>
      request('GET', `${conversation(conversationId)}/messages?limit=${messagePageSize}${cursor ? `&cursor=${id(cursor)}` : ''}`),
    messageEmail: (conversationId, messageId) => request('GET', `${conversation(conversationId)}/messages/${id(messageId)}/email`),
    inlineImage: (attachmentId) => fetchImageAsDataUrl(`/api/attachments/${id(attachmentId)}`).catch(() => null),
    remoteImage: (conversationId, messageId, index) =>
      fetchImageAsDataUrl(`${conversation(conversationId)}/messages/${id(messageId)}/email/remote-images/${index}`).catch(() => null),
    sendMessage: (conversationId, input, idempotencyKey) => request('POST', `${conversation(conversationId)}/messages`, { body: input, idempotencyKey }),
    upload: (conversationId) => (file, onProgress, signal) =>
      uploadAttachment(`${conversation(conversationId)}/attachments`, session.token, file, onProgress, signal),
    attachment: (attachmentId) => fetchAttachment(`/api/attachments/${id(attachmentId)}`, session.token),
    draftReply: (conversationId) => request('POST', `${conversation(conversationId)}/draft`, { body: {} }),
    changeTags: (conversationId, change) => request('POST', `${conversation(conversationId)}/tags`, { body: change }),
    bulk: (input) => request('POST', '/api/conversations/bulk', { body: input }),
    markRead: (conversationId) => request('POST', `${conversation(conversationId)}/read`, { body: {} }),
    resolve: (conversationId) => request('POST', `${conversation(conversationId)}/resolve`, { body: {} }),
    reopen: (conversationId) => request('POST', `${conversation(conversationId)}/reopen`, { body: {} }),
    snooze: (conversationId, until) => request('POST', `${conversation(conversationId)}/snooze`, { body: { until } }),
    transfer: (conversationId, input) => request('POST', `${conversation(conversationId)}/transfer`, { body: input }),
    setPriority: (conversationId, priority) => request('POST', `${conversation(conversationId)}/priority`, { body: { priority } }),
    suggestedArticles: (conversationId) => request('GET', `${conversation(conversationId)}/suggested-articles`),
    emailChannels: (signal) => request('GET', '/api/email-channels', { signal }),
    startEmailConversation: (input, idempotencyKey) => request('POST', '/api/conversations', { body: input, idempotencyKey }),
  };
}

export const inboxApi = createInboxApi(sessionRequest);
