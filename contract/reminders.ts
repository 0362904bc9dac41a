// Agent reminders (issue 22): "remind me tomorrow about this conversation". Its workflow
// (workflows/reminder.ts) fires it once at its time and brings the conversation back to the
// agent's inbox. The view the API returns and the reminder.* events carry; only the owner sees it.

export const reminderStatuses = ['pending', 'due', 'cancelled'] as const;
export type ReminderStatus = (typeof reminderStatuses)[number];

export interface ReminderView {
  id: string;
  conversationId: string;
  /** The agent reminded (the one who set it). */
  ownerId: string;
  /** When it is due (ISO 8601, UTC). */
  dueAt: string;
  note: string | null;
  status: ReminderStatus;
  /** When it fired (status `due`). */
  firedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
