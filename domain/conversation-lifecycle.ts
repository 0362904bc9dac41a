// The conversation lifecycle, in one place: which statuses allow each action, which hold an
// agent's seat, which a customer's reply ends. The workflow's update validators enforce these
// rules; activities (rule actions, seat counts), the API and the console's action bar read the
// same lists, so the console never offers what the workflow would refuse.
//
//   bot ──(hand-off)──► queued ──(routed)──► open ◄──► snoozed
//    │                    │                   │          │
//    └────────────────────┴──── resolve ──────┴──────────┘──► resolved ──(window ends)──► closed
//                                                               └──(reopen)──► open / queued
// Merging closes a conversation from any status but closed.
import type { ConversationStatus } from './vocabulary.js';

/** What a person (agent, or the customer for botFeedback) asks a conversation to do. */
export const conversationActions = ['resolve', 'reopen', 'snooze', 'transfer', 'priority', 'merge', 'botFeedback'] as const;
export type ConversationAction = (typeof conversationActions)[number];

/** Still being worked on: neither resolved nor closed. */
export const activeConversationStatuses = ['bot', 'queued', 'open', 'snoozed'] as const satisfies readonly ConversationStatus[];

/** Not closed yet: a resolved conversation can still be reopened, re-prioritised or merged. */
const notClosed = [...activeConversationStatuses, 'resolved'] as const satisfies readonly ConversationStatus[];

/** The statuses in which each action is allowed (the workflow refuses it in any other). */
export const conversationActionStatuses: Readonly<Record<ConversationAction, readonly ConversationStatus[]>> = {
  resolve: activeConversationStatuses,
  reopen: ['resolved'],
  snooze: ['open'],
  transfer: activeConversationStatuses,
  priority: notClosed,
  merge: notClosed,
  botFeedback: ['bot'],
};

export function conversationAllows(action: ConversationAction, status: ConversationStatus): boolean {
  return conversationActionStatuses[action].includes(status);
}

/**
 * Conversations that take one of their agent's seats (capacity): assigned and being worked on.
 * A queued or bot conversation has no agent yet; a resolved one has freed its seat.
 */
export const seatHoldingStatuses = ['open', 'snoozed'] as const satisfies readonly ConversationStatus[];

export function holdsSeat(status: ConversationStatus): boolean {
  return (seatHoldingStatuses as readonly ConversationStatus[]).includes(status);
}

/** Statuses a customer's message ends: it wakes a snoozed conversation and reopens a resolved one. */
export const endedByCustomerReply = ['snoozed', 'resolved'] as const satisfies readonly ConversationStatus[];

export function endsOnCustomerReply(status: ConversationStatus): boolean {
  return (endedByCustomerReply as readonly ConversationStatus[]).includes(status);
}

/**
 * Whether an agent may take the conversation for themselves ("Assign to me"): a transfer to
 * them, offered while it is still being worked on and is not already theirs. The API lets an
 * agent transfer any conversation they can see (domain/visibility.ts), so this is the same rule.
 */
export function canTake(status: ConversationStatus, assigneeId: string | null, userId: string): boolean {
  return conversationAllows('transfer', status) && assigneeId !== userId;
}

/**
 * Statuses in which an agent's public reply takes the conversation (as in Chatwoot, replying to
 * an unassigned conversation assigns it to you): waiting in the queue, so nobody owns it. The
 * reply assigns regardless of the agent's seats — they chose to answer it. A bot conversation is
 * not taken: the bot is serving it until the customer asks for a person.
 */
export const takenByAgentReply = ['queued'] as const satisfies readonly ConversationStatus[];

export function agentReplyTakes(status: ConversationStatus): boolean {
  return (takenByAgentReply as readonly ConversationStatus[]).includes(status);
}

/** The status after an agent is given the conversation: a snoozed one stays snoozed, anything else opens. */
export function statusAfterAssignment(status: ConversationStatus): 'open' | 'snoozed' {
  return status === 'snoozed' ? 'snoozed' : 'open';
}
