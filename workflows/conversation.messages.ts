// The conversation workflow's contract: what callers send it and what they can ask.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ConversationStatus, WaitingOn } from '../domain/vocabulary.js';

export const conversationWorkflowName = 'conversationWorkflow';

export interface ConversationWorkflowInput {
  conversationId: string;
}

/** What the workflow knows; returned by the state query and by updates. */
export interface ConversationState {
  conversationId: string;
  status: ConversationStatus;
  assigneeId: string | null;
  waitingOn: WaitingOn | null;
}

export interface MessagePostedInput {
  messageId: string;
  authorKind: 'customer' | 'agent';
}
/** A message changed who the conversation waits on (sent only on such transitions). */
export const messagePostedSignal = defineSignal<[MessagePostedInput]>('messagePosted');

export interface AgentsAvailableInput {
  reason: string;
}
/** Capacity may have freed up: a queued conversation should try routing again. */
export const agentsAvailableSignal = defineSignal<[AgentsAvailableInput]>('agentsAvailable');

export interface ResolveInput {
  byUserId: string;
}
/** An agent resolves the conversation; rejected when it is already resolved. */
export const resolveUpdate = defineUpdate<ConversationState, [ResolveInput]>('resolve');

export const stateQuery = defineQuery<ConversationState>('state');
