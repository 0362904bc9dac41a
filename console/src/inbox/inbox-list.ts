// The inbox list as a pure reducer: the REST snapshot is the starting point and each realtime
// event is folded into it. Applying the same event twice gives the same list, so a replay
// after a reconnect is harmless even if the cursor let one through.
import type { EventView } from '../../../domain/events';
import { eventTypes } from '../../../domain/events';
import { isConversationView, isMessageView, type ConversationView } from '../shared/wire-types';

export const inboxFilters = ['mine', 'unassigned', 'all'] as const;
export type InboxFilter = (typeof inboxFilters)[number];

export function isInboxFilter(value: unknown): value is InboxFilter {
  return typeof value === 'string' && (inboxFilters as readonly string[]).includes(value);
}

/** The query string of GET /api/conversations for a tab. */
export function filterQuery(filter: InboxFilter): string {
  if (filter === 'mine') return '?assignee=me';
  if (filter === 'unassigned') return '?assignee=unassigned';
  return '';
}

export interface InboxContext {
  filter: InboxFilter;
  /** The signed-in agent, to decide what "Mine" holds. */
  meId: string;
}

/**
 * Whether a conversation belongs on the tab. "All" shows whatever the server lets this agent
 * see: the server only sends events the agent may see, so no visibility check is repeated here.
 */
export function matchesFilter(conversation: ConversationView, context: InboxContext): boolean {
  if (context.filter === 'mine') return conversation.assigneeId === context.meId;
  if (context.filter === 'unassigned') return conversation.assigneeId === null;
  return true;
}

function activityAt(conversation: ConversationView): string {
  return conversation.lastMessageAt ?? conversation.createdAt;
}

/** Most recent activity first; ties broken by number so the order is stable. */
export function sortInbox(list: readonly ConversationView[]): ConversationView[] {
  return [...list].sort((a, b) => {
    const x = activityAt(a);
    const y = activityAt(b);
    if (x !== y) return x < y ? 1 : -1;
    return b.number - a.number;
  });
}

/** Inserts, replaces or (when it no longer fits the tab) removes one conversation. */
export function upsertConversation(
  list: readonly ConversationView[],
  conversation: ConversationView,
  context: InboxContext,
): ConversationView[] {
  const rest = list.filter((c) => c.id !== conversation.id);
  return matchesFilter(conversation, context) ? sortInbox([...rest, conversation]) : rest;
}

/** Folds one realtime event into the list; returns the same array when the event does not touch it. */
export function applyEventToInbox(
  list: readonly ConversationView[],
  event: EventView,
  context: InboxContext,
): ConversationView[] {
  switch (event.type) {
    case eventTypes.conversationCreated:
    case eventTypes.conversationAssigned:
    case eventTypes.conversationStatusChanged: {
      const conversation = event.payload.conversation;
      return isConversationView(conversation) ? upsertConversation(list, conversation, context) : (list as ConversationView[]);
    }
    case eventTypes.messageCreated: {
      const message = event.payload.message;
      if (!isMessageView(message)) return list as ConversationView[];
      const row = list.find((c) => c.id === message.conversationId);
      // A message for a conversation not on this tab: its conversation event will bring the row.
      if (!row || (row.lastMessageAt !== null && row.lastMessageAt >= message.createdAt)) return list as ConversationView[];
      return sortInbox(list.map((c) => (c === row ? { ...c, lastMessageAt: message.createdAt } : c)));
    }
    default:
      return list as ConversationView[];
  }
}

/** The name to show for a conversation's customer; null when the visitor is anonymous. */
export function customerLabel(conversation: ConversationView): string | null {
  return conversation.customer?.name || conversation.customer?.email || null;
}
