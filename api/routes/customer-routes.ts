// Customers as agents see them: the journey is every event of the customer, oldest first, that
// the caller may see now (infra/event-log.ts visibleEvents, the same judgement as the socket's backlog).
import { Router } from 'express';
import { z } from 'zod';
import { toEventView, visibleEvents } from '../../infra/event-log.js';
import { requireScope } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import { parse } from '../validate.js';

const idParams = z.object({ id: z.uuid() });

export function customerRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/customers/:id/events', async (req, res) => {
    const viewer = requireScope(res, 'customers:read');
    const { id } = parse(idParams, req.params, 'path');
    const customer = await deps.db.customer.findUnique({ where: { id }, select: { id: true } });
    if (!customer) throw notFound('Customer');
    const rows = await deps.db.event.findMany({ where: { customerId: id }, orderBy: { id: 'asc' }, take: 1000 });
    res.json({ events: (await visibleEvents(deps.db, viewer, rows)).map(toEventView) });
  });

  return router;
}
