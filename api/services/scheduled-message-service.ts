// Scheduled messages (issue 22): an agent stores a reply to be sent later. The row, its event and
// the outbox row that starts its workflow (workflows/scheduled-message.ts, kind
// `start_scheduled_message`) are written in one transaction; an edit or a cancel changes the row
// under its lock (the send activity takes the same lock, so a message being sent is never edited
// or cancelled half-way: the edit then finds it sent, 409) and tells the workflow through the
// outbox (`scheduled_message_changed`), which reads the row again: a new time is a new timer.
import { conversationsVisibleTo } from '../finders/conversation-finder.js';
import { maxScheduleAheadMs } from '../../contract/requests/scheduled-messages.js';
import type { ScheduledMessageView } from '../../contract/scheduled-messages.js';
import { canSee, type StaffViewer } from '../../domain/visibility.js';
import type { Tx } from '../../infra/db.js';
import { appendEvent } from '../../infra/event-log.js';
import { scheduledMessageView, scheduledMessageViews } from '../../infra/scheduled-message-view.js';
import type { Conversation, ScheduledMessage } from '../../prisma/generated/client.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, conflict, forbidden, notFound } from '../http-error.js';
import { visibleConversation } from './conversation-service.js';
import { workflowGateway } from './workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;
type UserViewer = Extract<StaffViewer, { kind: 'user' }>;

/** A send time in the future and at most a year ahead, or 400 naming the field. */
function checkSendAt(sendAt: string, now = Date.now()): Date {
  const at = new Date(sendAt);
  if (at.getTime() <= now) throw badRequest('invalid_input', 'sendAt must be in the future.', [{ path: 'sendAt' }]);
  if (at.getTime() > now + maxScheduleAheadMs) throw badRequest('invalid_input', 'sendAt may be at most a year ahead.', [{ path: 'sendAt' }]);
  return at;
}

const eventScope = (conversation: Conversation) => ({
  actorKind: 'agent' as const,
  conversationId: conversation.id,
  customerId: conversation.customerId,
  teamId: conversation.teamId,
  assigneeId: conversation.assigneeId,
  internal: true,
});

/** Schedules a reply in a conversation the agent may see and write to. */
export async function scheduleMessage(deps: Deps, viewer: UserViewer, conversationId: string, input: { body: string; sendAt: string }) {
  const conversation = await visibleConversation(deps.db, viewer, conversationId);
  if (conversation.status === 'closed') throw conflict('conversation_closed', 'This conversation is closed; start a new one.');
  const sendAt = checkSendAt(input.sendAt);
  const outbox = workflowGateway(deps).outbox();
  const view = await deps.db.$transaction(async (tx) => {
    const row = await tx.scheduledMessage.create({ data: { conversationId: conversation.id, authorId: viewer.userId, body: input.body, sendAt } });
    const scheduledMessage = await scheduledMessageView(tx, row);
    await appendEvent(tx, { ...eventScope(conversation), actorId: viewer.userId, type: 'scheduled_message.scheduled', payload: { scheduledMessage } });
    await outbox.write(tx, [{ kind: 'start_scheduled_message', scheduledMessageId: row.id }]);
    return scheduledMessage;
  });
  await outbox.deliver();
  return view;
}

/** The scheduled messages of a conversation the caller may see, by send time. */
export async function conversationScheduledMessages(deps: Deps, viewer: UserViewer, conversationId: string): Promise<ScheduledMessageView[]> {
  const conversation = await visibleConversation(deps.db, viewer, conversationId);
  const rows = await deps.db.scheduledMessage.findMany({ where: { conversationId: conversation.id }, orderBy: [{ sendAt: 'asc' }, { id: 'asc' }] });
  return scheduledMessageViews(deps.db, rows);
}

/** The pending scheduled messages in conversations the caller may see (`mine`: only the caller's own), by send time. */
export async function pendingScheduledMessages(deps: Deps, viewer: UserViewer, mine: boolean): Promise<ScheduledMessageView[]> {
  const rows = await deps.db.scheduledMessage.findMany({
    where: { status: 'pending', ...(mine ? { authorId: viewer.userId } : {}), conversation: conversationsVisibleTo(viewer) },
    orderBy: [{ sendAt: 'asc' }, { id: 'asc' }],
    take: 500,
  });
  return scheduledMessageViews(deps.db, rows);
}

/**
 * Changes a pending scheduled message under its row lock: 404 when the caller may not see its
 * conversation, 403 unless it is theirs (or they are an admin), 409 once it is no longer pending.
 */
async function changeScheduled(
  deps: Deps,
  viewer: UserViewer,
  id: string,
  change: (tx: Tx, row: ScheduledMessage, conversation: Conversation) => Promise<ScheduledMessageView>,
): Promise<ScheduledMessageView> {
  const outbox = workflowGateway(deps).outbox();
  const view = await deps.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "ScheduledMessage" WHERE id = ${id}::uuid FOR UPDATE`;
    const row = await tx.scheduledMessage.findUnique({ where: { id }, include: { conversation: true } });
    if (!row || !canSee(viewer, { ...row.conversation, internal: false })) throw notFound('Scheduled message');
    if (row.authorId !== viewer.userId && viewer.role !== 'admin') throw forbidden('Only its author or an admin may change a scheduled message.');
    if (row.status !== 'pending') throw conflict('scheduled_message_not_pending', `This scheduled message is ${row.status}; it can no longer be changed.`);
    const changed = await change(tx, row, row.conversation);
    await outbox.write(tx, [{ kind: 'scheduled_message_changed', scheduledMessageId: id }]);
    return changed;
  });
  await outbox.deliver();
  return view;
}

/** Edits the text, the time or both of a pending scheduled message; its workflow sets its timer again. */
export function editScheduledMessage(deps: Deps, viewer: UserViewer, id: string, input: { body?: string; sendAt?: string }) {
  const sendAt = input.sendAt === undefined ? undefined : checkSendAt(input.sendAt);
  return changeScheduled(deps, viewer, id, async (tx, row, conversation) => {
    const changed = [
      ...(input.body !== undefined && input.body !== row.body ? ['body'] : []),
      ...(sendAt && sendAt.getTime() !== row.sendAt.getTime() ? ['sendAt'] : []),
    ];
    const updated = await tx.scheduledMessage.update({
      where: { id },
      data: { ...(input.body !== undefined ? { body: input.body } : {}), ...(sendAt ? { sendAt } : {}) },
    });
    const scheduledMessage = await scheduledMessageView(tx, updated);
    await appendEvent(tx, { ...eventScope(conversation), actorId: viewer.userId, type: 'scheduled_message.edited', payload: { scheduledMessage, changed } });
    return scheduledMessage;
  });
}

/** Cancels a pending scheduled message; its workflow ends. */
export function cancelScheduledMessage(deps: Deps, viewer: UserViewer, id: string) {
  return changeScheduled(deps, viewer, id, async (tx, _row, conversation) => {
    const updated = await tx.scheduledMessage.update({ where: { id }, data: { status: 'cancelled' } });
    const scheduledMessage = await scheduledMessageView(tx, updated);
    await appendEvent(tx, { ...eventScope(conversation), actorId: viewer.userId, type: 'scheduled_message.cancelled', payload: { scheduledMessage } });
    return scheduledMessage;
  });
}
