// Decisions the widget makes about which conversation it is in. Pure, so they are unit-tested.
import type { EventView } from '../../../domain/events';
import { eventTypes } from '../../../domain/events';
import { isConversationView, isFinished, isMessageView, type ConversationView, type MessageView } from '../shared/wire-types';

/** The conversation to continue on open: the newest one not yet resolved, or none (start a new one). */
export function conversationToContinue(conversations: readonly ConversationView[]): ConversationView | null {
  let best: ConversationView | null = null;
  for (const conversation of conversations) {
    if (isFinished(conversation.status)) continue;
    if (!best || conversation.createdAt > best.createdAt) best = conversation;
  }
  return best;
}

/** What a realtime event means for the conversation the widget shows, if anything. */
export type ThreadUpdate = { kind: 'message'; message: MessageView } | { kind: 'conversation'; conversation: ConversationView } | null;

export function threadUpdate(event: EventView, conversationId: string | null): ThreadUpdate {
  if (conversationId === null) return null;
  if (event.type === eventTypes.messageCreated) {
    const message = event.payload.message;
    // The server never sends a customer private notes; the check guards against a server bug
    // leaking one anyway, since the cost of showing one is high.
    return isMessageView(message) && message.conversationId === conversationId && !message.private ? { kind: 'message', message } : null;
  }
  if (event.type === eventTypes.conversationStatusChanged || event.type === eventTypes.conversationAssigned) {
    const conversation = event.payload.conversation;
    return isConversationView(conversation) && conversation.id === conversationId ? { kind: 'conversation', conversation } : null;
  }
  return null;
}
