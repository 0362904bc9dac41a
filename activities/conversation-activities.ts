// Activities of the conversation workflow.
import { eventTypes } from '../domain/events.js';
import { pickAgent } from '../domain/routing.js';
import type { ConversationStatus } from '../domain/vocabulary.js';
import type { Db } from '../infra/db.js';
import { appendEvent } from '../infra/event-log.js';
import { conversationInclude, conversationScope, toConversationView } from '../infra/views.js';

export interface ActivityDeps {
  db: Db;
}

/** Conversations that count against an agent's capacity. */
const holdingStatuses: ConversationStatus[] = ['open', 'snoozed'];

export interface ConversationActivities {
  /** Decides who should take the conversation; null when nobody online has capacity. */
  findAssignee(input: { conversationId: string }): Promise<{ agentId: string | null }>;
  /** Writes the assignment; a repeat with the same agent, or on a conversation no longer queued, changes nothing. */
  assignConversation(input: { conversationId: string; agentId: string }): Promise<void>;
  /** Persists a lifecycle status chosen by the workflow. */
  setConversationStatus(input: { conversationId: string; status: ConversationStatus; actorId: string | null }): Promise<void>;
}

export function createConversationActivities({ db }: ActivityDeps): ConversationActivities {
  return {
    async findAssignee() {
      const agents = await db.user.findMany({
        where: { role: 'agent', presence: 'online' },
        select: {
          id: true,
          capacity: true,
          lastAssignedAt: true,
          _count: { select: { conversations: { where: { status: { in: holdingStatuses } } } } },
        },
      });
      const chosen = pickAgent(agents.map((agent) => ({ ...agent, openCount: agent._count.conversations })));
      return { agentId: chosen?.id ?? null };
    },

    async assignConversation({ conversationId, agentId }) {
      await db.$transaction(async (tx) => {
        const agent = await tx.user.findUniqueOrThrow({ where: { id: agentId }, select: { teamId: true } });
        // Guarded update: only a still-queued, unassigned conversation is assigned, so a retried
        // activity or a conversation resolved meanwhile is left as it is.
        const claimed = await tx.conversation.updateMany({
          where: { id: conversationId, status: 'queued', assigneeId: null },
          data: { assigneeId: agentId, teamId: agent.teamId, status: 'open' },
        });
        if (claimed.count === 0) return;
        await tx.user.update({ where: { id: agentId }, data: { lastAssignedAt: new Date() } });
        const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: conversationInclude });
        await appendEvent(tx, {
          type: eventTypes.conversationAssigned,
          actorKind: 'system',
          conversationId,
          ...conversationScope(conversation),
          payload: { conversation: toConversationView(conversation) },
        });
      });
    },

    async setConversationStatus({ conversationId, status, actorId }) {
      await db.$transaction(async (tx) => {
        const before = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId } });
        if (before.status === status) return;
        const conversation = await tx.conversation.update({
          where: { id: conversationId },
          data: {
            status,
            waitingOn: status === 'resolved' || status === 'closed' ? null : before.waitingOn,
            resolvedAt: status === 'resolved' ? new Date() : before.resolvedAt,
          },
          include: conversationInclude,
        });
        await appendEvent(tx, {
          type: eventTypes.conversationStatusChanged,
          actorKind: actorId ? 'agent' : 'system',
          actorId,
          conversationId,
          ...conversationScope(conversation),
          payload: { from: before.status, to: status, conversation: toConversationView(conversation) },
        });
      });
    },
  };
}
