// Agent presence and the user shape the API returns.
import { eventTypes } from '../../domain/events.js';
import type { Presence } from '../../domain/vocabulary.js';
import { appendEvent } from '../../infra/event-log.js';
import type { User } from '../../prisma/generated/client.js';
import type { ApiDeps } from '../deps.js';
import { agentWorkflowId } from '../../domain/workflow-ids.js';
import { agentWorkflowName, presenceChangedSignal, type AgentWorkflowInput } from '../../workflows/agent.messages.js';

export function toUserView(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    tier: user.tier,
    skills: user.skills,
    teamId: user.teamId,
    capacity: user.capacity,
    presence: user.presence,
    locale: user.locale,
    timeZone: user.timeZone,
  };
}

/**
 * Records the change, then tells the agent's workflow: coming online offers the queue to routing
 * at once (event-driven, not polled); going offline re-routes their conversations after a grace period.
 */
export async function setPresence(deps: Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log'>, userId: string, presence: Presence): Promise<User> {
  const user = await deps.db.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    if (before.presence === presence) return before;
    const updated = await tx.user.update({ where: { id: userId }, data: { presence, presenceChangedAt: new Date() } });
    await appendEvent(tx, {
      type: eventTypes.agentPresenceChanged,
      actorKind: 'agent',
      actorId: userId,
      teamId: updated.teamId,
      internal: true,
      payload: { userId, from: before.presence, to: presence },
    });
    return updated;
  });
  const input: AgentWorkflowInput = { userId };
  try {
    await deps.temporal.workflow.signalWithStart(agentWorkflowName, {
      workflowId: agentWorkflowId(userId),
      taskQueue: deps.taskQueue,
      args: [input],
      signal: presenceChangedSignal,
      signalArgs: [{ presence }],
    });
  } catch (error) {
    // The presence is stored; routing picks it up on the next change or queue offer.
    deps.log(`could not tell the workflow of agent ${userId} about presence ${presence}`, error);
  }
  return user;
}
