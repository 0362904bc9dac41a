// Scheduled messages (issue 22): an agent's reply stored now and sent later by its workflow
// (workflows/scheduled-message.ts). The view the API returns and the events carry.

export const scheduledMessageStatuses = ['pending', 'sent', 'cancelled', 'failed'] as const;
export type ScheduledMessageStatus = (typeof scheduledMessageStatuses)[number];

export interface ScheduledMessageView {
  id: string;
  conversationId: string;
  /** The agent who scheduled it; it is sent in their name. */
  authorId: string;
  authorName: string | null;
  body: string;
  /** When it is to be sent (ISO 8601, UTC). */
  sendAt: string;
  status: ScheduledMessageStatus;
  /** Why the send was refused (status `failed`): the conversation closed, the author no longer allowed. */
  failureReason: string | null;
  /** The message it became (status `sent`). */
  messageId: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}
