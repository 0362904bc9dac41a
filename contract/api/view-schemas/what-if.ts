// A what-if job: a candidate setting replayed over recorded traffic, and its comparison with what
// happened (domain/what-if.ts).
import { z } from 'zod';
import { whatIfKinds } from '../../../domain/what-if.js';
import type { WhatIfRunView } from '../../what-if.js';
import { id, tied, timestamp } from './support.js';

const idList = z.strictObject({ count: z.int(), ids: z.array(z.string()) });
/** Shares are fractions (0.25 is a quarter), null when there was nothing to measure. */
const share = z.number().nullable();
const slaSide = z.strictObject({ breached: idList, warned: idList, firstResponseCompliance: share, resolutionCompliance: share });
const botSide = z.strictObject({ answered: z.int(), answeredShare: share });
/** Minutes, null when no conversation was seated. */
const minutes = z.number().nullable();
const waits = { averageWaitMinutes: minutes, medianWaitMinutes: minutes, p90WaitMinutes: minutes };

export const whatIfRunViewSchema = tied<WhatIfRunView>()(
  'WhatIfRun',
  z.strictObject({
    id,
    kind: z.enum(whatIfKinds),
    days: z.int(),
    /** The candidate setting as POST /api/what-if took it: its fields depend on `kind` (that body's schema lists them). */
    candidate: z.record(z.string(), z.unknown()),
    periodStart: timestamp,
    periodEnd: timestamp,
    status: z.enum(['running', 'completed', 'cancelled', 'failed']),
    processed: z.int(),
    total: z.int(),
    result: z
      .strictObject({
        kind: z.enum(whatIfKinds),
        conversations: z.int(),
        sla: z.strictObject({ actual: slaSide, whatIf: slaSide, changed: idList }).optional(),
        bot: z.strictObject({ decisions: z.int(), actual: botSide, whatIf: botSide, changed: idList }).optional(),
        routing: z
          .strictObject({
            arrivals: z.int(),
            stillQueued: z.int(),
            actual: z.strictObject({
              ...waits,
              agents: z.array(z.strictObject({ agentId: id, assigned: z.int(), averageWaitMinutes: minutes })),
            }),
            whatIf: z.strictObject({
              ...waits,
              agents: z.array(z.strictObject({ agentId: id, capacity: z.int(), assigned: z.int(), peakOpen: z.int(), averageWaitMinutes: minutes })),
            }),
            reassigned: idList,
            waitedLonger: idList,
          })
          .optional(),
      })
      .nullable(),
    error: z.string().nullable(),
    createdAt: timestamp,
    finishedAt: timestamp.nullable(),
  }),
);
