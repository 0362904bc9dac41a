// The admin audit log: who changed which setting, rule, article, team, calendar, SLA policy,
// channel or canned response, with the record before and after. Admins only.
import { Router } from 'express';
import { z } from 'zod';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { auditTypesOf, listAuditEvents } from '../services/audit-service.js';
import { parse } from '../validate.js';

const listQuery = z.strictObject({
  type: z
    .string()
    .max(100)
    .refine((type) => auditTypesOf(type) !== null, { message: 'must be an audit event type (team.created) or a family (team.*)' })
    .optional(),
  actorId: z.uuid().optional(),
  since: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
  before: z
    .string()
    .regex(/^\d{1,19}$/, 'must be an event id (the nextBefore of the previous page)')
    .transform((value) => BigInt(value))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function auditRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/audit-events', async (req, res) => {
    requireAdmin(res);
    const query = parse(listQuery, req.query, 'query');
    res.json(await listAuditEvents(deps.db, query));
  });

  return router;
}
