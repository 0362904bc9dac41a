// The JSON shapes the API sends (see api/README.md, "Shapes"). Dates arrive as ISO strings.
// Kept here rather than imported from api/: the console talks to the server over HTTP only.
import type {
  AuthorKind,
  ConversationStatus,
  Presence,
  Priority,
  RoutingTier,
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
}

export interface MessageView {
  id: string;
  conversationId: string;
  authorKind: AuthorKind;
  authorUserId: string | null;
  authorName: string | null;
  body: string;
  private: boolean;
  createdAt: string;
}

/** The signed-in agent or admin. The contract names no fields; these are the ones the console reads. */
export interface UserView {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  presence: Presence;
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
