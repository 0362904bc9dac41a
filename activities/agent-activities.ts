// Activities of the agent workflow.
import type { ActivityDeps } from './activity-deps.js';
import { offerQueuedConversations, requeueConversationsOf } from './conversation-activities.js';

export interface AgentSettings {
  /** How long an agent may be offline before their conversations go to others. */
  offlineGraceMinutes: number;
}

export interface AgentActivities {
  agentSettings(): Promise<AgentSettings>;
  /** Offers the queue to routing (an agent came online). */
  offerQueue(input: { reason: string }): Promise<number>;
  /** Re-routes the agent's open and snoozed conversations, if the agent is still offline. */
  requeueAgentConversations(input: { userId: string; reason: string }): Promise<number>;
}

export function createAgentActivities(deps: ActivityDeps): AgentActivities {
  return {
    async agentSettings() {
      const organization = await deps.db.organization.findUnique({ where: { id: 1 } });
      const settings = (organization?.settings ?? {}) as Partial<AgentSettings>;
      return { offlineGraceMinutes: Number(settings.offlineGraceMinutes ?? 5) };
    },
    offerQueue: ({ reason }) => offerQueuedConversations(deps, reason),
    async requeueAgentConversations({ userId, reason }) {
      const agent = await deps.db.user.findUnique({ where: { id: userId }, select: { presence: true } });
      if (agent?.presence !== 'offline') return 0; // came back just as the timer fired
      return requeueConversationsOf(deps, userId, reason);
    },
  };
}
