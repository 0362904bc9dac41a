// Report periods. (The overview's query is domain/report-overview.ts overviewQuerySchema, which
// also computes the period from it.)
import { z } from 'zod';

/** GET /api/reports/self-service and /ai-usage: the last 30 days when absent. */
export const reportPeriodQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
