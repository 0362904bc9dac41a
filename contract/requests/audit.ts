// The admin audit log's filters and pages. Which event types exist is the server's knowledge
// (api/services/audit-service.ts), so the schema is made with the check it should apply.
import { z } from 'zod';

/** GET /api/audit-events: `before` is the previous page's `nextBefore`. */
export function auditEventsQuery(isAuditType: (type: string) => boolean = () => true) {
  return z.strictObject({
    type: z.string().max(100).refine(isAuditType, { message: 'must be an audit event type (team.created) or a family (team.*)' }).optional(),
    actorId: z.uuid().optional(),
    since: z.iso
      .datetime({ offset: true })
      .transform((value) => new Date(value))
      .optional(),
    before: z
      .string()
      .regex(/^\d{1,19}$/, 'must be an event id (the nextBefore of the previous page)')
      .transform((value) => BigInt(value))
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  });
}
