// Follow-up sequences (issue 22): when a step is due and what it says. Shared by the API (the
// view's next step) and the step activity (activities/follow-up-activities.ts).
import type { FollowUpStep } from '../contract/follow-ups.js';

/** When step `index` is due: its wait after `waitFrom` (the customer's last message, then the previous step's send). */
export function followUpStepDueAt(steps: readonly FollowUpStep[], index: number, waitFrom: Date): Date | null {
  const step = steps[index];
  return step ? new Date(waitFrom.getTime() + step.afterMinutes * 60_000) : null;
}

export interface FollowUpVariables {
  contact: { name: string | null; email: string | null };
  agent: { name: string | null };
}

/** The step's text with `{{contact.name}}`, `{{contact.email}}` and `{{agent.name}}` filled in (unknown ones and missing values become empty). */
export function renderFollowUpText(text: string, variables: FollowUpVariables): string {
  const values: Record<string, string | null> = {
    'contact.name': variables.contact.name,
    'contact.email': variables.contact.email,
    'agent.name': variables.agent.name,
  };
  return text
    .replace(/\{\{\s*([a-z_.]+)\s*\}\}/gi, (_match, name: string) => values[name.toLowerCase()] ?? '')
    .replace(/[ \t]+([,.!?])/g, '$1')
    .trim();
}

/** The idempotency key of a step's message: one message per step of a follow-up. */
export const followUpReplyKey = (followUpId: string, step: number) => `follow-up:${followUpId}:${step}`;
