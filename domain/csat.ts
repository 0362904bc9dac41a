// Customer satisfaction (CSAT): after a conversation is resolved the customer rates it 1-5, with
// an optional comment. A rating is an event in the log (`csat.received`), not a column: a second
// rating replaces the first the way Zendesk and Intercom let a customer change their mind, and
// reports read each conversation's latest one.
import { z } from 'zod';

/** Stored: the event type of a rating. Add new names, never rename. */
export const csatEventType = 'csat.received';

export const csatScores = [1, 2, 3, 4, 5] as const;
export type CsatScore = (typeof csatScores)[number];

/** A score of 4 or 5 counts as satisfied (the usual CSAT "top two boxes"). */
export const satisfiedScore = 4;

export const csatInputSchema = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});
export type CsatInput = z.infer<typeof csatInputSchema>;

/** Only a finished conversation (resolved, or closed after that) asks for a rating. */
export const isRatable = (status: string) => status === 'resolved' || status === 'closed';

/** The payload of a `csat.received` event. */
export interface CsatPayload {
  score: CsatScore;
  comment: string | null;
}
