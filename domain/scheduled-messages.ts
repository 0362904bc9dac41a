// Scheduled messages (issue 22): what the send activity (activities/scheduled-message-activities.ts)
// and the message path the worker hands it (api/services/agent-reply-port.ts) agree on.

/** Stable reasons a scheduled message was not sent (the row's failureReason; the console words them). */
export const scheduledFailures = {
  conversationClosed: 'conversation_closed',
  authorNotAllowed: 'author_not_allowed',
} as const;
export type ScheduledFailure = (typeof scheduledFailures)[keyof typeof scheduledFailures];

/** The idempotency key of a scheduled message's reply: one message per scheduled message. */
export const scheduledReplyKey = (scheduledMessageId: string) => `scheduled:${scheduledMessageId}`;

export interface AgentReply {
  conversationId: string;
  authorId: string;
  body: string;
  idempotencyKey: string;
}

/** What the send needs of the message path: activities may not import api/, so the worker passes it in. */
export interface AgentReplyPort {
  /** The message an earlier try stored under this key, if any (whatever the conversation's state now). */
  find(reply: AgentReply): Promise<string | null>;
  /** Stores the agent's public reply as the console's send does (idempotent by the key): its id, or why it was refused. */
  post(reply: AgentReply): Promise<{ outcome: 'stored'; messageId: string } | { outcome: 'refused'; reason: ScheduledFailure }>;
}
