// Follow-up sequences (issue 22): the request body of POST /api/conversations/:id/follow-ups and
// the steps the automation rule action `start_follow_up` carries (domain/rules/rule-schema.ts).
import { z } from 'zod';
import { messageText } from './common.js';

/** The longest wait of one step: a year. */
export const maxFollowUpWaitMinutes = 366 * 24 * 60;
export const maxFollowUpSteps = 10;

export const followUpStep = z.strictObject({
  afterMinutes: z.number().int().min(1).max(maxFollowUpWaitMinutes),
  text: messageText,
  then: z.literal('resolve').optional(),
});

/** Ordered steps; only the last may resolve the conversation. */
export const followUpSteps = z
  .array(followUpStep)
  .min(1)
  .max(maxFollowUpSteps)
  .superRefine((steps, ctx) => {
    steps.forEach((step, index) => {
      if (step.then && index !== steps.length - 1) ctx.addIssue({ code: 'custom', path: [index, 'then'], message: 'only the last step may resolve' });
    });
  });

/** POST /api/conversations/:id/follow-ups */
export const startFollowUpBody = z.strictObject({ steps: followUpSteps });
