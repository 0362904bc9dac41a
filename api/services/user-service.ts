// Agent presence and the user shape the API returns.
import { eventTypes } from '../../domain/events.js';
import type { AgentTier, Presence } from '../../domain/vocabulary.js';
import { appendEvent } from '../../infra/event-log.js';
import { announceViewerChanged } from '../../infra/viewer-changes.js';
import type { User } from '../../prisma/generated/client.js';
import type { ApiDeps } from '../deps.js';
import { agentWorkflowId } from '../../domain/workflow-ids.js';
import { agentWorkflowName, presenceChangedSignal, seatsAddedSignal, type AgentWorkflowInput } from '../../workflows/agent.messages.js';
import type { SignalDefinition } from '@temporalio/common';
import { badRequest, notFound } from '../http-error.js';

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
export async function setPresence(deps: Deps, userId: string, presence: Presence): Promise<User> {
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
  // The presence is stored; if the signal fails, routing picks it up on the next change or offer.
  await tellAgentWorkflow(deps, userId, presenceChangedSignal, { presence });
  return user;
}

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log'>;

/** Signals the agent's workflow, starting it if it does not run yet; failures are logged. */
async function tellAgentWorkflow<Input>(deps: Deps, userId: string, signal: SignalDefinition<[Input]>, input: Input): Promise<void> {
  const workflowInput: AgentWorkflowInput = { userId };
  try {
    await deps.temporal.workflow.signalWithStart(agentWorkflowName, {
      workflowId: agentWorkflowId(userId),
      taskQueue: deps.taskQueue,
      args: [workflowInput],
      signal,
      signalArgs: [input],
    });
  } catch (error) {
    deps.log(`could not signal the workflow of agent ${userId}`, error);
  }
}

export interface AgentChanges {
  capacity?: number;
  tier?: AgentTier;
  skills?: string[];
  teamId?: string | null;
}

/**
 * An admin changes an agent's routing profile. More seats offer the queue at once (through the
 * agent's workflow), so raising capacity assigns waiting conversations without polling.
 */
export async function updateAgent(deps: Deps, userId: string, changes: AgentChanges, byUserId: string): Promise<User> {
  const { before, after } = await deps.db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId } });
    if (!before) throw notFound('User');
    if (changes.teamId && !(await tx.team.findUnique({ where: { id: changes.teamId } }))) throw badRequest('unknown_team', 'That team does not exist.');
    const after = await tx.user.update({ where: { id: userId }, data: changes });
    await appendEvent(tx, {
      type: 'agent.updated',
      actorKind: 'agent',
      actorId: byUserId,
      teamId: after.teamId,
      internal: true,
      payload: { userId, before: pick(before, changes), after: pick(after, changes) },
    });
    // Their open sockets must stop (or start) receiving the teams' events now.
    if (after.teamId !== before.teamId) await announceViewerChanged(tx, [userId]);
    return { before, after };
  });
  if (after.capacity > before.capacity) {
    await tellAgentWorkflow(deps, userId, seatsAddedSignal, { reason: `agent ${userId} capacity ${before.capacity} → ${after.capacity}` });
  }
  return after;
}

const pick = (user: User, changes: AgentChanges) => Object.fromEntries(Object.keys(changes).map((key) => [key, user[key as keyof AgentChanges]]));
