// Follow-up sequences (issue 22): an agent sets steps to send while the customer stays silent
// (workflows/follow-up.ts). The row, its event and the outbox row that starts its workflow are one
// transaction (infra/follow-up-start.ts, shared with the rule action `start_follow_up`); a cancel
// changes the row under the conversation's lock, then the row's (the order of the step's send,
// which then finds it cancelled) and wakes the workflow through the outbox (`follow_up_changed`).
import type { FollowUpStep, FollowUpView } from '../../contract/follow-ups.js';
import { canSee, type StaffViewer } from '../../domain/visibility.js';
import { appendEvent } from '../../infra/event-log.js';
import { startFollowUp } from '../../infra/follow-up-start.js';
import { toFollowUpView } from '../../infra/follow-up-view.js';
import type { ApiDeps } from '../deps.js';
import { conflict, forbidden, notFound } from '../http-error.js';
import { visibleConversation } from './conversation-service.js';
import { workflowGateway } from './workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;
type UserViewer = Extract<StaffViewer, { kind: 'user' }>;

/** Sets a follow-up on a conversation the agent may see and write to (one active at a time). */
export async function setFollowUp(deps: Deps, viewer: UserViewer, conversationId: string, input: { steps: FollowUpStep[] }): Promise<FollowUpView> {
  const conversation = await visibleConversation(deps.db, viewer, conversationId);
  const outbox = workflowGateway(deps).outbox();
  const started = await deps.db.$transaction((tx) =>
    startFollowUp(tx, { conversationId: conversation.id, authorId: viewer.userId, ruleId: null, steps: input.steps }, (tx, followUpId) =>
      outbox.write(tx, [{ kind: 'start_follow_up', followUpId }]),
    ),
  );
  if (started.outcome === 'closed') throw conflict('conversation_closed', 'This conversation is closed; start a new one.');
  if (started.outcome === 'active') throw conflict('follow_up_active', 'This conversation has a follow-up already; cancel it first.');
  await outbox.deliver();
  return started.followUp;
}

/** The follow-ups of a conversation the caller may see, newest first. */
export async function conversationFollowUps(deps: Deps, viewer: UserViewer, conversationId: string): Promise<FollowUpView[]> {
  const conversation = await visibleConversation(deps.db, viewer, conversationId);
  const rows = await deps.db.followUp.findMany({ where: { conversationId: conversation.id }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: 50 });
  return rows.map(toFollowUpView);
}

/**
 * Cancels an active follow-up: 404 when the caller may not see its conversation, 403 for an
 * agent's follow-up unless it is theirs (or they are an admin; a rule's any agent who sees the
 * conversation may stop), 409 once it has ended.
 */
export async function cancelFollowUp(deps: Deps, viewer: UserViewer, id: string): Promise<FollowUpView> {
  const outbox = workflowGateway(deps).outbox();
  const view = await deps.db.$transaction(async (tx) => {
    const found = await tx.followUp.findUnique({ where: { id }, select: { conversationId: true } });
    if (!found) throw notFound('Follow-up');
    await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${found.conversationId}::uuid FOR UPDATE`;
    await tx.$queryRaw`SELECT id FROM "FollowUp" WHERE id = ${id}::uuid FOR UPDATE`;
    const row = await tx.followUp.findUnique({ where: { id }, include: { conversation: true } });
    if (!row || !canSee(viewer, { ...row.conversation, internal: false })) throw notFound('Follow-up');
    if (row.authorId && row.authorId !== viewer.userId && viewer.role !== 'admin') throw forbidden('Only its author or an admin may cancel this follow-up.');
    if (row.status !== 'active') throw conflict('follow_up_not_active', `This follow-up is ${row.status}; it can no longer be cancelled.`);
    const updated = await tx.followUp.update({ where: { id }, data: { status: 'cancelled', endReason: 'cancelled_by_agent' } });
    const followUp = toFollowUpView(updated);
    const conversation = row.conversation;
    await appendEvent(tx, {
      type: 'follow_up.cancelled',
      actorKind: 'agent',
      actorId: viewer.userId,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      teamId: conversation.teamId,
      assigneeId: conversation.assigneeId,
      internal: true,
      payload: { followUp, reason: 'cancelled_by_agent' },
    });
    await outbox.write(tx, [{ kind: 'follow_up_changed', followUpId: id }]);
    return followUp;
  });
  await outbox.deliver();
  return view;
}
