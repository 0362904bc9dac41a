// The JSON shapes the API sends (see api/README.md, "Shapes"). Dates arrive as ISO strings.
// Kept here rather than imported from api/: the console talks to the server over HTTP only.
import type {
  AgentTier,
  AuthorKind,
  ConversationStatus,
  Presence,
  Priority,
  RoutingTier,
  SlaState,
  UserRole,
  WaitingOn,
} from '../../../domain/vocabulary';

export interface CustomerSummary {
  id: string;
  name: string | null;
  email: string | null;
}

export interface ConversationView {
  id: string;
  number: number;
  status: ConversationStatus;
  waitingOn: WaitingOn | null;
  priority: Priority;
  tier: RoutingTier | null;
  assigneeId: string | null;
  teamId: string | null;
  customerId: string;
  customer: CustomerSummary | null;
  subject: string | null;
  lastMessageAt: string | null;
  createdAt: string;
  // Sent by the server (infra/views.ts) but not listed in api/README.md's shape; optional so the
  // console works either way.
  assigneeName?: string | null;
  resolvedAt?: string | null;
  // Not sent yet (missing from the contract): read when present, so the SLA badge shows a
  // countdown and "SLA at risk" survives a reload once the API adds them.
  slaState?: SlaState;
  firstResponseDueAt?: string | null;
  nextResponseDueAt?: string | null;
  resolutionDueAt?: string | null;
  tags?: string[];
}

/** An article a bot answer cites (api/README.md, `message.metadata.citations`). */
export interface Citation {
  id: string;
  title: string;
  slug: string;
  locale: string;
}

/** What the product attaches to a message it writes; null for people's messages. */
export type MessageMetadata =
  | { kind: 'bot_answer'; confidence?: number; citations?: Citation[] }
  | { kind: 'handoff_summary'; reason?: string; classification?: { tier?: string | null; language?: string | null; priority?: string | null } };

export interface MessageView {
  id: string;
  conversationId: string;
  authorKind: AuthorKind;
  authorUserId: string | null;
  authorName: string | null;
  body: string;
  private: boolean;
  /** Absent in older payloads; null for people. */
  metadata?: MessageMetadata | null;
  createdAt: string;
}

/** The signed-in agent or admin. The contract names no fields; these are the ones the console reads. */
/** Where a colleague @mentioned the signed-in user (GET /api/me/mentions, conversation.mentioned events). */
export interface Mention {
  id: string;
  conversationId: string;
  occurredAt: string;
  messageId?: string;
  by?: { userId: string | null; name: string | null };
  excerpt?: string;
  conversationNumber?: number;
}

export interface UserView {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  presence: Presence;
  teamId?: string | null;
  tier?: AgentTier | null;
  locale?: string | null;
  timeZone?: string | null;
}

/** A knowledge-search hit (api/README.md, `hit`), e.g. from suggested-articles. */
export interface ArticleHit {
  articleId: string;
  groupId: string;
  locale: string;
  slug: string;
  title: string;
  snippet: string;
  score: number;
}

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
  return (
    typeof v.id === 'string' &&
    typeof v.conversationId === 'string' &&
    typeof v.body === 'string' &&
    typeof v.createdAt === 'string'
  );
}

/** A bot answer's metadata, or null for any other message. */
export function botAnswerOf(message: MessageView): Extract<MessageMetadata, { kind: 'bot_answer' }> | null {
  return message.authorKind === 'bot' && message.metadata?.kind === 'bot_answer' ? message.metadata : null;
}

/** A hand-off summary note's metadata, or null for any other message. */
export function handoffSummaryOf(message: MessageView): Extract<MessageMetadata, { kind: 'handoff_summary' }> | null {
  return message.metadata?.kind === 'handoff_summary' ? message.metadata : null;
}

/** The help-center page of a cited article; slug and locale are escaped, they come from data. */
export function helpArticlePath(article: { locale: string; slug: string }): string {
  return `/help/${encodeURIComponent(article.locale)}/${encodeURIComponent(article.slug)}`;
}
