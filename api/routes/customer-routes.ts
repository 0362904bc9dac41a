// Customers as agents see them: the journey is every event of the customer, oldest first, that
// the caller may see now (finders/customer-finder.ts).
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import { requireScope } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { findCustomerJourney } from '../finders/customer-finder.js';
import { notFound } from '../http-error.js';
import { parse } from '../validate.js';

export function customerRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/customers/:id/events', async (req, res) => {
    const viewer = requireScope(res, 'customers:read');
    const { id } = parse(idParams, req.params, 'path');
    const events = await findCustomerJourney(deps.db, viewer, id);
    if (!events) throw notFound('Customer');
    res.json({ events });
  });

  return router;
}
