// The hot-path rule (see DESIGN.md, "The hot path and the durable path"): every message is
// stored and pushed to the room, but the conversation workflow is signalled only when a
// message changes its state or its timers — who the conversation waits on, the first
// agent reply, or an agent's reply that takes a queued conversation. Everything that decides this lives here, in one place.

import { agentReplyTakes, endsOnCustomerReply } from './conversation-lifecycle.js';
import type { AuthorKind, ConversationStatus, WaitingOn } from './vocabulary.js';

export interface MessageFacts {
  authorKind: AuthorKind;
  private: boolean;
}

/** Who the conversation waits on after this message; private notes and bot/system lines change nothing. */
export function waitingOnAfter(current: WaitingOn | null, message: MessageFacts): WaitingOn | null {
  if (message.private) return current;
  if (message.authorKind === 'customer') return 'agent';
  if (message.authorKind === 'agent') return 'customer';
  return current;
}

export interface ConversationFacts {
  status: ConversationStatus;
  waitingOn: WaitingOn | null;
  firstResponseAt: Date | null;
}

/** True when the workflow must hear about this message (it moves a timer or the state). */
export function messageWakesWorkflow(conversation: ConversationFacts, message: MessageFacts): boolean {
  if (message.private) return false;
  if (message.authorKind === 'customer' && endsOnCustomerReply(conversation.status)) return true;
  const isFirstAgentReply = message.authorKind === 'agent' && conversation.firstResponseAt === null;
  const takes = message.authorKind === 'agent' && agentReplyTakes(conversation.status);
  return isFirstAgentReply || takes || waitingOnAfter(conversation.waitingOn, message) !== conversation.waitingOn;
}
