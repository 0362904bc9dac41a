// Agent reminders (issue 22): "remind me tomorrow about this conversation". Its workflow
// (workflows/reminder.ts) fires it once at its time and brings the conversation back to the
// agent's inbox. The view the API returns and the reminder.* events carry; only the owner sees it.

export const reminderStatuses = ['pending', 'due', 'cancelled'] as const;
export type ReminderStatus = (typeof reminderStatuses)[number];

/** A reminder for the agent, or a call-back of the customer (issue 24: the agent is prompted to call them). */
export const reminderKinds = ['reminder', 'callback'] as const;
export type ReminderKind = (typeof reminderKinds)[number];

export interface ReminderView {
  id: string;
  conversationId: string;
  /** The agent reminded (the one who set it). */
  ownerId: string;
  /** When it is due (ISO 8601, UTC). */
  dueAt: string;
  note: string | null;
  status: ReminderStatus;
  kind: ReminderKind;
  /** A call-back's missed call, when it was scheduled from one. */
  callId: string | null;
  /** When it fired (status `due`). */
  firedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A call-back the visitor asked for in the widget (issue 24), as they see it: when, not who. */
export interface CustomerCallbackView {
  id: string;
  conversationId: string;
  /** When the agent is prompted to call (ISO 8601, UTC); the time they asked for, or when they asked. */
  dueAt: string;
  status: ReminderStatus;
}
