// Follow-up sequences (issue 22): the request body of POST /api/conversations/:id/follow-ups. The
// steps' schema is domain/follow-ups.ts's, which the rule action `start_follow_up` carries too.
import { z } from 'zod';
import { followUpStepsSchema } from '../../domain/follow-ups.js';

/** POST /api/conversations/:id/follow-ups */
export const startFollowUpBody = z.strictObject({ steps: followUpStepsSchema });
