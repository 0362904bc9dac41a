// Follow-up sequences (issue 22): steps sent to a customer who has gone quiet, each once its wait
// has passed, until the customer writes (workflows/follow-up.ts). The view the API returns and the
// follow_up.* events carry.
import type { FollowUpStep } from '../domain/follow-ups.js';

export const followUpStatuses = ['active', 'completed', 'cancelled', 'failed'] as const;
export type FollowUpStatus = (typeof followUpStatuses)[number];

/** Why a follow-up ended before its last step (the row's endReason; the console words them). */
export const followUpEndReasons = ['customer_replied', 'cancelled_by_agent', 'conversation_closed', 'author_not_allowed'] as const;
export type FollowUpEndReason = (typeof followUpEndReasons)[number];

/** One step: its wait, its text, and whether the last resolves (domain/follow-ups.ts). */
export type { FollowUpStep };

export interface FollowUpView {
  id: string;
  conversationId: string;
  /** The agent who set it (its steps are sent in their name); null when an automation rule started it. */
  authorId: string | null;
  ruleId: string | null;
  steps: FollowUpStep[];
  status: FollowUpStatus;
  /** How many steps were sent. */
  sentSteps: number;
  /** When the next step is due (ISO 8601, UTC) while active; null otherwise. */
  nextStepAt: string | null;
  endReason: FollowUpEndReason | null;
  createdAt: string;
  updatedAt: string;
}
