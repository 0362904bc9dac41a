// Agent reminders (issue 22): "remind me tomorrow about this conversation". The row, its event and
// the outbox row that starts its workflow (workflows/reminder.ts, kind `start_reminder`) are one
// transaction; a cancel changes the row under its lock (the fire activity takes the same lock, so
// a reminder firing is never cancelled half-way: the cancel then finds it due, 409) and tells the
// workflow through the outbox (`reminder_changed`). A reminder is its owner's: others never list
// it, and only the owner or an admin may cancel it (anyone else: 404, as for an unknown id).
import type { ReminderView } from '../../contract/reminders.js';
import { maxScheduleAheadMs } from '../../contract/requests/scheduled-messages.js';
import { canSee, type StaffViewer } from '../../domain/visibility.js';
import { appendEvent } from '../../infra/event-log.js';
import { reminderEventScope, toReminderView } from '../../infra/reminder-view.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, conflict, notFound } from '../http-error.js';
import { conversationsVisibleTo } from '../finders/conversation-finder.js';
import { visibleConversation } from './conversation-service.js';
import { workflowGateway } from './workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;
type UserViewer = Extract<StaffViewer, { kind: 'user' }>;

/** A time in the future and at most a year ahead, or 400 naming the field. */
function checkDueAt(dueAt: string, now = Date.now()): Date {
  const at = new Date(dueAt);
  if (at.getTime() <= now) throw badRequest('invalid_input', 'dueAt must be in the future.', [{ path: 'dueAt' }]);
  if (at.getTime() > now + maxScheduleAheadMs) throw badRequest('invalid_input', 'dueAt may be at most a year ahead.', [{ path: 'dueAt' }]);
  return at;
}

/** Sets a reminder for the caller on a conversation they may see. */
export async function setReminder(
  deps: Deps,
  viewer: UserViewer,
  conversationId: string,
  input: { dueAt: string; note?: string | undefined },
): Promise<ReminderView> {
  const conversation = await visibleConversation(deps.db, viewer, conversationId);
  if (conversation.status === 'closed') throw conflict('conversation_closed', 'This conversation is closed; start a new one.');
  const dueAt = checkDueAt(input.dueAt);
  const outbox = workflowGateway(deps).outbox();
  const view = await deps.db.$transaction(async (tx) => {
    const row = await tx.reminder.create({ data: { conversationId: conversation.id, ownerId: viewer.userId, dueAt, note: input.note ?? null } });
    const reminder = toReminderView(row);
    await appendEvent(tx, { ...reminderEventScope(row, conversation, 'agent'), type: 'reminder.set', payload: { reminder } });
    await outbox.write(tx, [{ kind: 'start_reminder', reminderId: row.id }]);
    return reminder;
  });
  await outbox.deliver();
  return view;
}

/** The caller's pending reminders, soonest first; `conversationId`: on that conversation only (404 when they may not see it). */
export async function myReminders(deps: Deps, viewer: UserViewer, conversationId?: string): Promise<ReminderView[]> {
  const where = conversationId
    ? { conversationId: (await visibleConversation(deps.db, viewer, conversationId)).id }
    : { conversation: conversationsVisibleTo(viewer) };
  const rows = await deps.db.reminder.findMany({
    where: { ...where, ownerId: viewer.userId, status: 'pending' },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    take: 500,
  });
  return rows.map(toReminderView);
}

/** Cancels a pending reminder: the owner's own, or any for an admin who sees its conversation; 409 once it has fired. */
export async function cancelReminder(deps: Deps, viewer: UserViewer, id: string): Promise<ReminderView> {
  const outbox = workflowGateway(deps).outbox();
  const view = await deps.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Reminder" WHERE id = ${id}::uuid FOR UPDATE`;
    const row = await tx.reminder.findUnique({ where: { id }, include: { conversation: true } });
    const mayCancel = row && (row.ownerId === viewer.userId || viewer.role === 'admin') && canSee(viewer, { ...row.conversation, internal: false });
    if (!row || !mayCancel) throw notFound('Reminder');
    if (row.status !== 'pending') throw conflict('reminder_not_pending', `This reminder is ${row.status}; it can no longer be cancelled.`);
    const updated = await tx.reminder.update({ where: { id }, data: { status: 'cancelled' } });
    const reminder = toReminderView(updated);
    await appendEvent(tx, { ...reminderEventScope(row, row.conversation, 'agent'), type: 'reminder.cancelled', payload: { reminder, by: viewer.userId } });
    await outbox.write(tx, [{ kind: 'reminder_changed', reminderId: id }]);
    return reminder;
  });
  await outbox.deliver();
  return view;
}
