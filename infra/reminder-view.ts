// A Reminder row as the API and its events show it (contract/reminders.ts).
import type { CustomerCallbackView, ReminderView } from '../contract/reminders.js';
import type { Reminder } from '../prisma/generated/client.js';

export function toReminderView(row: Reminder): ReminderView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    ownerId: row.ownerId,
    dueAt: row.dueAt.toISOString(),
    note: row.note,
    status: row.status,
    kind: row.kind,
    callId: row.callId,
    firedAt: row.firedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A call-back as the customer who asked for it sees it: when, not who (the agent stays internal). */
export function toCustomerCallbackView(reminder: ReminderView): CustomerCallbackView {
  return { id: reminder.id, conversationId: reminder.conversationId, dueAt: reminder.dueAt, status: reminder.status };
}

/**
 * Where a reminder's events go: about its conversation, written in its owner's name (actorId),
 * which makes them the owner's alone (domain/event-audience.ts ownerOnlyEventTypes); never the
 * customer's (internal).
 */
export function reminderEventScope(
  reminder: Pick<Reminder, 'ownerId'>,
  conversation: { id: string; customerId: string; teamId: string | null; assigneeId: string | null },
  actorKind: 'agent' | 'system',
) {
  return {
    actorKind,
    actorId: reminder.ownerId,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    teamId: conversation.teamId,
    assigneeId: conversation.assigneeId,
    internal: true,
  };
}
