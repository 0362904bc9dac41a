// The JSON shapes the API sends, from the one wire contract (contract/views.ts) the server's
// mappers are typed against. Dates arrive as ISO strings. The guards below narrow what arrives
// over the WebSocket, which TypeScript cannot vouch for.
import type { ConversationStatus } from '../../../domain/vocabulary';
import type { ConversationView, CustomerMessageView, MessageMetadata, MessageView } from '../../../contract/views';

export type {
  ArticleHit,
  Citation,
  ConversationView,
  CustomerConversationView,
  CustomerMessageView,
  CustomerSummary,
  EmailChannelChoice,
  EmailAddressView,
  EmailMessageMetadata,
  EmailOriginalView,
  MentionView as Mention,
  MessageMetadata,
  MessageView,
  TeamView,
  UserView,
} from '../../../contract/views';

/** A conversation the customer has closed for good: the widget starts a new one instead. */
export function isFinished(status: ConversationStatus): boolean {
  return status === 'resolved' || status === 'closed';
}

/** Narrowing for payloads read off the WebSocket, which TypeScript cannot vouch for. */
export function isConversationView(value: unknown): value is ConversationView {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.number === 'number' && typeof v.status === 'string';
}

export function isMessageView(value: unknown): value is MessageView {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.conversationId === 'string' && typeof v.body === 'string' && typeof v.createdAt === 'string';
}

/** The same check for what a customer receives (the fields it reads are in both views). */
export function isCustomerMessageView(value: unknown): value is CustomerMessageView {
  return isMessageView(value);
}

/** A bot answer's metadata, or null for any other message. */
export function botAnswerOf(message: Pick<MessageView, 'authorKind' | 'metadata'>): Extract<MessageMetadata, { kind: 'bot_answer' }> | null {
  return message.authorKind === 'bot' && message.metadata?.kind === 'bot_answer' ? message.metadata : null;
}

/** A hand-off summary note's metadata, or null for any other message. */
export function handoffSummaryOf(message: Pick<MessageView, 'metadata'>): Extract<MessageMetadata, { kind: 'handoff_summary' }> | null {
  return message.metadata?.kind === 'handoff_summary' ? message.metadata : null;
}

/** The help-center page of a cited article; slug and locale are escaped, they come from data. */
export function helpArticlePath(article: { locale: string; slug: string }): string {
  return `/help/${encodeURIComponent(article.locale)}/${encodeURIComponent(article.slug)}`;
}
