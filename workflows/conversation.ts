// The conversation workflow: routes the conversation to an agent, follows who it waits on,
// and ends when it is resolved. SLA timers, tiers, snooze and reopen build on this loop.
import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ConversationActivities } from '../activities/conversation-activities.js';
import { shortActivity } from './activity-options.js';
import {
  agentsAvailableSignal,
  messagePostedSignal,
  resolveUpdate,
  stateQuery,
  type ConversationState,
  type ConversationWorkflowInput,
} from './conversation.messages.js';

const activities = proxyActivities<ConversationActivities>(shortActivity);

/** One durable workflow per conversation, id `conversation-<id>`. */
export async function conversationWorkflow({ conversationId }: ConversationWorkflowInput): Promise<ConversationState> {
  const state: ConversationState = { conversationId, status: 'queued', assigneeId: null, waitingOn: 'agent' };
  let routingWanted = true;

  setHandler(stateQuery, () => state);
  setHandler(messagePostedSignal, ({ authorKind }) => {
    state.waitingOn = authorKind === 'customer' ? 'agent' : 'customer';
  });
  setHandler(agentsAvailableSignal, () => {
    routingWanted = state.status === 'queued';
  });
  setHandler(
    resolveUpdate,
    async ({ byUserId }) => {
      // Set first so a concurrent routing attempt or a second resolve sees it at once.
      state.status = 'resolved';
      await activities.setConversationStatus({ conversationId, status: 'resolved', actorId: byUserId });
      return state;
    },
    {
      validator: ({ byUserId }) => {
        if (typeof byUserId !== 'string' || byUserId.length === 0) {
          throw ApplicationFailure.nonRetryable('byUserId is required', 'InvalidInput');
        }
        if (state.status === 'resolved') {
          throw ApplicationFailure.nonRetryable('The conversation is already resolved', 'AlreadyResolved');
        }
      },
    },
  );

  while (state.status !== 'resolved') {
    if (state.status === 'queued' && routingWanted) {
      routingWanted = false;
      const { agentId } = await activities.findAssignee({ conversationId });
      if (agentId && state.status === 'queued') {
        await activities.assignConversation({ conversationId, agentId });
        state.status = 'open';
        state.assigneeId = agentId;
      }
    }
    await condition(() => state.status === 'resolved' || (state.status === 'queued' && routingWanted));
  }
  // The resolve update sets the status before its activity writes it: let it finish, or the
  // caller would see the update fail because the workflow completed under it.
  await condition(allHandlersFinished);
  return state;
}
