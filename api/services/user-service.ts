// Agent presence and the user shape the API returns.
import { eventTypes } from '../../domain/events.js';
import type { AgentTier, Presence } from '../../domain/vocabulary.js';
import { appendEvent } from '../../infra/event-log.js';
import { announceViewerChanged } from '../../infra/viewer-changes.js';
import type { User } from '../../prisma/generated/client.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, notFound } from '../http-error.js';
import { workflowGateway } from './workflow-gateway.js';

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
    active: !user.deactivatedAt,
  };
}

/**
 * Records the change and, in the same transaction, the signal that tells the agent's workflow
 * (started by it if need be; delivered after the commit, or once Temporal answers): coming online
 * offers the queue to routing at once (event-driven, not polled); going offline re-routes their
 * conversations after a grace period. Changes reach the workflow in the order they were made.
 */
export async function setPresence(deps: Deps, userId: string, presence: Presence): Promise<User> {
  const outbox = workflowGateway(deps).outbox();
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
    await outbox.write(tx, [{ kind: 'agent_presence_changed', userId, presence }]);
    return updated;
  });
  await outbox.deliver();
  return user;
}

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;

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
  const outbox = workflowGateway(deps).outbox();
  const { after } = await deps.db.$transaction(async (tx) => {
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
    if (after.capacity > before.capacity) {
      await outbox.write(tx, [{ kind: 'agent_seats_added', userId, reason: `agent ${userId} capacity ${before.capacity} → ${after.capacity}` }]);
    }
    return { after };
  });
  await outbox.deliver();
  return after;
}

const pick = (user: User, changes: AgentChanges) => Object.fromEntries(Object.keys(changes).map((key) => [key, user[key as keyof AgentChanges]]));
