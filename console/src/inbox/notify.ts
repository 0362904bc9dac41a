// When the console notifies its person (desktop notification, sound) and of what, as pure
// functions: a conversation assigned to me (by someone else or by routing), a mention of me, a new
// customer message in my conversation while the console's tab is hidden, an SLA warning on my
// conversation — each only when the person's preferences (GET /api/me/notifications) want it —
// and a reminder of mine come due, always (I asked for it).
// And the tab's title with my unread count: "(3) Seamless".
import type { NotificationPreferences } from '../../../contract/requests/account';
import type { EventView } from '../../../domain/events';
import { eventTypes } from '../../../domain/events';
import { isConversationView, isMessageView, type ConversationView } from '../shared/wire-types';

export type NotificationKind = 'assigned' | 'mention' | 'customerMessage' | 'slaWarning' | 'reminder';

export interface Notice {
  kind: NotificationKind;
  conversationId: string;
  /** The conversation's number, for the title ("#42"); null when the inbox does not hold it. */
  number: number | null;
  /** What the notification says under its title: the message or the mention's excerpt; '' when nothing to quote. */
  text: string;
}

export interface NotifyContext {
  userId: string;
  preferences: NotificationPreferences;
  /** The console's tab is hidden (another tab or window is in front). */
  hidden: boolean;
  /** The inbox's rows, by id: whose conversation a message or a warning is about. */
  conversations: Readonly<Record<string, ConversationView>>;
}

const excerpt = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
};

/** The notice an event deserves for this person, or null (not theirs, not wanted, or their own doing). */
export function noticeFor(event: EventView, context: NotifyContext): Notice | null {
  const { preferences, userId } = context;
  const mine = (id: string | null) => (id ? context.conversations[id]?.assigneeId === userId : false);
  const numberOf = (id: string) => context.conversations[id]?.number ?? null;
  switch (event.type) {
    case eventTypes.conversationAssigned: {
      const conversation = event.payload.conversation;
      if (!preferences.assigned || !isConversationView(conversation) || conversation.assigneeId !== userId) return null;
      if (event.actorKind === 'agent' && event.actorId === userId) return null; // took it myself
      return { kind: 'assigned', conversationId: conversation.id, number: conversation.number, text: excerpt(conversation.lastMessage?.text ?? '') };
    }
    case 'conversation.mentioned': {
      const {
        mentionedUserId,
        excerpt: said,
        conversationNumber,
      } = event.payload as { mentionedUserId?: unknown; excerpt?: unknown; conversationNumber?: unknown };
      if (!preferences.mention || mentionedUserId !== userId || !event.conversationId) return null;
      return {
        kind: 'mention',
        conversationId: event.conversationId,
        number: typeof conversationNumber === 'number' ? conversationNumber : numberOf(event.conversationId),
        text: typeof said === 'string' ? excerpt(said) : '',
      };
    }
    case eventTypes.messageCreated: {
      const message = event.payload.message;
      if (!preferences.customerMessage || !context.hidden || !isMessageView(message) || message.authorKind !== 'customer') return null;
      if (!mine(message.conversationId)) return null;
      return { kind: 'customerMessage', conversationId: message.conversationId, number: numberOf(message.conversationId), text: excerpt(message.body) };
    }
    case 'sla.warning': {
      // A ticket's warning carries a ticket: only conversations are the inbox's.
      const conversation = event.payload.conversation;
      if (!preferences.slaWarning || !isConversationView(conversation) || conversation.assigneeId !== userId) return null;
      return { kind: 'slaWarning', conversationId: conversation.id, number: conversation.number, text: '' };
    }
    case 'reminder.due': {
      // The server sends a reminder to its owner alone; the check keeps a stray one quiet.
      const reminder = event.payload.reminder as { ownerId?: unknown; note?: unknown } | undefined;
      if (!event.conversationId || reminder?.ownerId !== userId) return null;
      return {
        kind: 'reminder',
        conversationId: event.conversationId,
        number: numberOf(event.conversationId),
        text: typeof reminder.note === 'string' ? excerpt(reminder.note) : '',
      };
    }
    default:
      return null;
  }
}

/** How a notice reaches the person: a desktop notification (switched on and allowed by the browser), a tone, both or neither. */
export function deliveryOf(preferences: NotificationPreferences, permission: NotificationPermission | 'unsupported'): { desktop: boolean; sound: boolean } {
  return { desktop: preferences.desktop && permission === 'granted', sound: preferences.sound };
}

/** The tab's title with my unread messages in front: "(3) Seamless"; the plain title at 0. */
export function titleWithCount(title: string, unread: number): string {
  return unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${title}` : title;
}
