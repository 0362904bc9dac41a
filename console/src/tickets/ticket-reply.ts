// The ticket's reply box (TicketReplyBox.vue), its pure parts: how many of the conversation's
// messages it shows, and the send shortcut (Ctrl+Enter, ⌘+Enter on a Mac) as in the inbox.
import type { MessageView } from '../shared/wire-types';

/** The thread shown on a ticket: the newest messages, oldest first. */
export const ticketThreadLength = 10;

export function latestMessages(messages: readonly MessageView[]): MessageView[] {
  return [...messages].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).slice(-ticketThreadLength);
}

export const isSendShortcut = (event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'isComposing'>) =>
  event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing;
