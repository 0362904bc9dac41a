// Agent reminders (issue 22): "remind me tomorrow about this conversation". The row, its event and
// the outbox row that starts its workflow (workflows/reminder.ts, kind `start_reminder`) are one
// transaction; a cancel changes the row under its lock (the fire activity takes the same lock, so
// a reminder firing is never cancelled half-way: the cancel then finds it due, 409) and tells the
// workflow through the outbox (`reminder_changed`). A reminder is its owner's: others never list
// it, and only the owner or an admin may cancel it (anyone else: 404, as for an unknown id).
// A call-back (issue 24) is a reminder of kind `callback`: its events are call.callback_scheduled
// and call.callback_due, seen by the agents who see the conversation (the prompt is its owner's),
// and an answered call in the conversation cancels the pending ones.
import type { CustomerCallbackView, ReminderKind, ReminderView } from '../../contract/reminders.js';
import { maxCustomerCallbackAheadMs } from '../../contract/requests/reminders.js';
import { maxScheduleAheadMs } from '../../contract/requests/scheduled-messages.js';
import { canSee, type StaffViewer } from '../../domain/visibility.js';
import type { Tx } from '../../infra/db.js';
import { appendEvent } from '../../infra/event-log.js';
import type { Conversation } from '../../prisma/generated/client.js';
import { reminderEventScope, toCustomerCallbackView, toReminderView } from '../../infra/reminder-view.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, conflict, notFound } from '../http-error.js';
import { conversationsVisibleTo } from '../finders/conversation-finder.js';
import { visibleConversation } from './conversation-service.js';
import { workflowGateway, type WorkflowIntent } from './workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;
type UserViewer = Extract<StaffViewer, { kind: 'user' }>;

/** A time in the future and at most `aheadMs` (a year) ahead, or 400 naming the field. */
function checkDueAt(dueAt: string, aheadMs = maxScheduleAheadMs, now = Date.now()): Date {
  const at = new Date(dueAt);
  if (at.getTime() <= now) throw badRequest('invalid_input', 'dueAt must be in the future.', [{ path: 'dueAt' }]);
  const limit = aheadMs === maxScheduleAheadMs ? 'a year' : `${aheadMs / 86_400_000} days`;
  if (at.getTime() > now + aheadMs) throw badRequest('invalid_input', `dueAt may be at most ${limit} ahead.`, [{ path: 'dueAt' }]);
  return at;
}

/**
 * Stores a reminder (or a call-back) owned by `ownerId` with its event, and starts its workflow.
 * `customer`: the customer asked for this call-back; refused while the conversation has a pending
 * call-back (checked under the conversation's row lock, so two requests at once make one).
 */
async function storeReminder(
  deps: Deps,
  ownerId: string,
  conversation: Conversation,
  input: { dueAt: Date; note: string | null; kind: ReminderKind; callId: string | null },
  customer = false,
): Promise<ReminderView> {
  if (conversation.status === 'closed') throw conflict('conversation_closed', 'This conversation is closed; start a new one.');
  const outbox = workflowGateway(deps).outbox();
  const view = await deps.db.$transaction(async (tx) => {
    if (customer) {
      await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${conversation.id}::uuid FOR UPDATE`;
      const pending = await tx.reminder.count({ where: { conversationId: conversation.id, kind: 'callback', status: 'pending' } });
      if (pending > 0) throw conflict('callback_pending', 'A call-back is already arranged in this conversation.');
    }
    const row = await tx.reminder.create({ data: { conversationId: conversation.id, ownerId, ...input } });
    const reminder = toReminderView(row);
    const type = input.kind === 'callback' ? 'call.callback_scheduled' : 'reminder.set';
    await appendEvent(tx, { ...reminderEventScope(row, conversation, customer ? 'system' : 'agent'), type, payload: { reminder } });
    await outbox.write(tx, [{ kind: 'start_reminder', reminderId: row.id }]);
    return reminder;
  });
  await outbox.deliver();
  return view;
}

/** Sets a reminder for the caller on a conversation they may see. */
export async function setReminder(
  deps: Deps,
  viewer: UserViewer,
  conversationId: string,
  input: { dueAt: string; note?: string | undefined },
): Promise<ReminderView> {
  const conversation = await visibleConversation(deps.db, viewer, conversationId);
  return storeReminder(deps, viewer.userId, conversation, { dueAt: checkDueAt(input.dueAt), note: input.note ?? null, kind: 'reminder', callId: null });
}

/** Schedules the caller to call the conversation's customer back (from a missed call, `callId`: one of this conversation's). */
export async function scheduleCallback(
  deps: Deps,
  viewer: UserViewer,
  conversationId: string,
  input: { dueAt: string; callId?: string | undefined },
): Promise<ReminderView> {
  const conversation = await visibleConversation(deps.db, viewer, conversationId);
  const dueAt = checkDueAt(input.dueAt);
  if (input.callId) {
    const call = await deps.db.call.findUnique({ where: { id: input.callId }, select: { conversationId: true } });
    if (call?.conversationId !== conversation.id) throw badRequest('invalid_input', 'callId is not a call of this conversation.', [{ path: 'callId' }]);
  }
  return storeReminder(deps, viewer.userId, conversation, { dueAt, note: null, kind: 'callback', callId: input.callId ?? null });
}

/**
 * The visitor asks to be called back (issue 24), now (no `dueAt`) or at a time within a week: a
 * call-back owned by the conversation's assignee, who gets the prompt when it is due. A
 * conversation nobody holds is refused (409 no_agent): the call-back must be someone's promise,
 * and the customer can still write or call meanwhile. One pending call-back per conversation
 * (any, an agent's too: the customer is called back either way), else 409 callback_pending.
 */
export async function requestCallback(
  deps: Deps,
  customerId: string,
  conversationId: string,
  input: { dueAt?: string | undefined },
): Promise<CustomerCallbackView> {
  const conversation = await deps.db.conversation.findUnique({ where: { id: conversationId } });
  if (conversation?.customerId !== customerId) throw notFound('Conversation');
  const dueAt = input.dueAt ? checkDueAt(input.dueAt, maxCustomerCallbackAheadMs) : new Date();
  if (!conversation.assigneeId) throw conflict('no_agent', 'Nobody is looking after this conversation yet; write to us and an agent will reply.');
  const callback = await storeReminder(deps, conversation.assigneeId, conversation, { dueAt, note: null, kind: 'callback', callId: null }, true);
  return toCustomerCallbackView(callback);
}

/**
 * A call in the conversation was answered: its pending call-backs are done (cancelled, with
 * `reminder.cancelled` to their owners; `by`: who answered). In the answer's transaction; the
 * caller writes the returned rows to the outbox so their workflows end.
 */
export async function cancelAnsweredCallbacks(
  tx: Tx,
  conversation: Pick<Conversation, 'id' | 'customerId' | 'teamId' | 'assigneeId'>,
  by: string,
): Promise<WorkflowIntent[]> {
  const pending = await tx.reminder.findMany({ where: { conversationId: conversation.id, kind: 'callback', status: 'pending' } });
  for (const row of pending) {
    const updated = await tx.reminder.update({ where: { id: row.id }, data: { status: 'cancelled' } });
    await appendEvent(tx, {
      ...reminderEventScope(row, conversation, 'system'),
      type: 'reminder.cancelled',
      payload: { reminder: toReminderView(updated), by },
    });
  }
  return pending.map((row) => ({ kind: 'reminder_changed', reminderId: row.id }));
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
