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

/**
 * What the send needs of the message path: activities may not import api/, so the worker passes
 * it in. `Connection` is the caller's transaction: the message and the scheduled message's new
 * status commit together, so a send is stored once or not at all.
 */
export interface AgentReplyPort<Connection> {
  /** Stores the agent's public reply with the console's message statement (idempotent by the key): its id, or why it was refused. */
  post(connection: Connection, reply: AgentReply): Promise<{ outcome: 'stored'; messageId: string } | { outcome: 'refused'; reason: ScheduledFailure }>;
}
