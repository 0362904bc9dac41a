// The admin audit log: who changed which setting, rule, article, team, calendar, SLA policy,
// channel or canned response, with the record before and after. Admins only.
import { Router } from 'express';
import { auditEventsQuery } from '../../contract/requests/audit.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { auditTypesOf, listAuditEvents } from '../services/audit-service.js';
import { parse } from '../validate.js';

const listQuery = auditEventsQuery((type) => auditTypesOf(type) !== null);

export function auditRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/audit-events', async (req, res) => {
    requireAdmin(res);
    const query = parse(listQuery, req.query, 'query');
    res.json(await listAuditEvents(deps.db, query));
  });

  return router;
}
