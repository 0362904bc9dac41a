// Workflow ids are derived from database ids, so any part can address a conversation's
// workflow without a lookup, and starting one twice is refused by Temporal itself.

export const conversationWorkflowId = (conversationId: string): string => `conversation-${conversationId}`;
export const ticketWorkflowId = (ticketId: string): string => `ticket-${ticketId}`;
/** One workflow per voice or video call (workflows/call.ts): its ring timeout. */
export const callWorkflowId = (callId: string): string => `call-${callId}`;
export const agentWorkflowId = (userId: string): string => `agent-${userId}`;
/** An email channel's IMAP poller (workflows/mailbox.ts): one per channel, running while its IMAP polling is enabled. */
export const mailboxWorkflowId = (channelId: string): string => `mailbox-${channelId}`;
/** One workflow per message that leaves as mail (workflows/email-delivery.ts): started once, however often it is asked. */
export const emailDeliveryWorkflowId = (messageId: string): string => `email-delivery-${messageId}`;
/** The bot's recalibration on the organisation's knowledge base (workflows/knowledge-calibration.ts): one per organisation. */
export const knowledgeCalibrationWorkflowId = (organizationId: number): string => `knowledge-calibration-${organizationId}`;
/** One workflow per scheduled message (workflows/scheduled-message.ts): its timer, then the send, once. */
export const scheduledMessageWorkflowId = (scheduledMessageId: string): string => `scheduled-message-${scheduledMessageId}`;
/**
 * One lane of an outgoing webhook endpoint (workflows/webhook-lane.ts): its deliveries are sent one
 * after the other. The database trigger that writes deliveries builds the same id (migration
 * 20261207111518_webhook_endpoints): change both or neither.
 */
export const webhookLaneWorkflowId = (endpointId: string, lane: string): string => `webhook-${endpointId}-${lane}`;
/**
 * One workflow per follow-up sequence (workflows/follow-up.ts): its timers and step sends. The
 * trigger that wakes it on a customer's message builds the same id (migration
 * 20261207143743_follow_ups): change both or neither.
 */
export const followUpWorkflowId = (followUpId: string): string => `follow-up-${followUpId}`;
/** One workflow per agent's reminder (workflows/reminder.ts): its timer, then the reminder fired, once. */
export const reminderWorkflowId = (reminderId: string): string => `reminder-${reminderId}`;
