// Follow-up sequences (issue 22): when a step is due and what it says. Shared by the API (the
// view's next step) and the step activity (activities/follow-up-activities.ts).
import { z } from 'zod';

/** The longest wait of one step: a year. */
export const maxFollowUpWaitMinutes = 366 * 24 * 60;
export const maxFollowUpSteps = 10;

export const followUpStepSchema = z.strictObject({
  /** Minutes to wait: for the first step since the customer's last message, then since the previous step. */
  afterMinutes: z.number().int().min(1).max(maxFollowUpWaitMinutes),
  /** The message; `{{contact.name}}`, `{{contact.email}}` and `{{agent.name}}` are filled in when it is sent. */
  text: z.string().trim().min(1, 'A message cannot be empty').max(10_000),
  /** After sending this (the last) step, resolve the conversation. */
  then: z.literal('resolve').optional(),
});
export type FollowUpStep = z.infer<typeof followUpStepSchema>;

/** Ordered steps; only the last may resolve the conversation (the API's body and the rule action `start_follow_up`). */
export const followUpStepsSchema = z
  .array(followUpStepSchema)
  .min(1)
  .max(maxFollowUpSteps)
  .superRefine((steps, ctx) => {
    steps.forEach((step, index) => {
      if (step.then && index !== steps.length - 1) ctx.addIssue({ code: 'custom', path: [index, 'then'], message: 'only the last step may resolve' });
    });
  });

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
