// Activities of the reminder workflow (workflows/reminder.ts). Firing is one transaction under the
// Reminder row's lock (a cancel waits for it, then finds it due): the row marked due and its
// `reminder.due` event commit together, so the owner is reminded once however often it is retried.
// Bringing the conversation back is the conversation workflow's `reminderDue` update, which does
// nothing to a conversation already back (open and held).
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import type { Db } from '../infra/db.js';
import { appendEvent } from '../infra/event-log.js';
import { reminderEventScope, toReminderView } from '../infra/reminder-view.js';
import type { Reminder } from '../prisma/generated/client.js';
import { reminderDueUpdate } from '../workflows/conversation.messages.js';
import type { ReminderOutcome } from '../workflows/reminder.messages.js';

export interface ReminderState {
  status: Reminder['status'];
  dueAt: string;
}

export interface ReminderActivities {
  /** The row as it is now; a row deleted with its conversation reads as cancelled. */
  loadReminder(input: { reminderId: string }): Promise<ReminderState>;
  /** Marks a pending reminder due with its event (once); a cancelled one stays cancelled. */
  fireReminder(input: { reminderId: string }): Promise<ReminderOutcome>;
  /** The conversation back in the owner's inbox: woken, reopened, taken if nobody holds it. */
  bringBackReminded(input: { reminderId: string }): Promise<void>;
}

export interface ReminderDeps {
  db: Db;
  temporal?: Pick<Client, 'workflow'>;
}

export function createReminderActivities(deps: ReminderDeps): ReminderActivities {
  return {
    async loadReminder({ reminderId }) {
      const row = await deps.db.reminder.findUnique({ where: { id: reminderId } });
      if (!row) return { status: 'cancelled', dueAt: new Date(0).toISOString() };
      return { status: row.status, dueAt: row.dueAt.toISOString() };
    },

    async fireReminder({ reminderId }) {
      return deps.db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Reminder" WHERE id = ${reminderId}::uuid FOR UPDATE`;
        const row = await tx.reminder.findUnique({ where: { id: reminderId }, include: { conversation: true } });
        if (!row || row.status === 'cancelled') return { outcome: 'cancelled' };
        if (row.status === 'due') return { outcome: 'due' };
        const updated = await tx.reminder.update({ where: { id: reminderId }, data: { status: 'due', firedAt: new Date() } });
        // A call-back's prompt (issue 24) is seen by the agents who see the conversation; a reminder by its owner alone.
        const type = row.kind === 'callback' ? 'call.callback_due' : 'reminder.due';
        await appendEvent(tx, { ...reminderEventScope(row, row.conversation, 'system'), type, payload: { reminder: toReminderView(updated) } });
        return { outcome: 'due' };
      });
    },

    async bringBackReminded({ reminderId }) {
      const row = await deps.db.reminder.findUnique({ where: { id: reminderId } });
      if (!row || !deps.temporal) return;
      try {
        await deps.temporal.workflow
          .getHandle(conversationWorkflowId(row.conversationId))
          .executeUpdate(reminderDueUpdate, { args: [{ userId: row.ownerId }] });
      } catch (error) {
        // Refused, or the conversation's workflow has ended (closed): the reminder still reached its owner.
        if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError) return;
        throw error;
      }
    },
  };
}
