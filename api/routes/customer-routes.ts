// Contacts as agents see them: the list and its search, a profile (with the conversations and
// tickets the caller may see), edits, merging two contacts, the custom attributes admins define,
// and the journey — every event of the customer the caller may see now, oldest first.
// Reads are open to keys with customers:read; writes are for agents and admins.
import { Router } from 'express';
import type { CustomerMergeView } from '../../contract/customer-views.js';
import { customerAttributesBody, customerListQuery, customerMergeBody, customerProfileBody } from '../../contract/requests/customers.js';
import { idParams } from '../../contract/requests/common.js';
import { actorOf } from '../../infra/auth/principal.js';
import { requireAdmin, requireScope, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { findCustomerAttributes, findCustomerJourney, findCustomerProfile, findCustomers } from '../finders/customer-finder.js';
import { notFound } from '../http-error.js';
import { replaceCustomerAttributes } from '../services/customer-attributes.js';
import { mergeCustomers } from '../services/customer-merge.js';
import { updateCustomerProfile } from '../services/customer-profile.js';
import { parse } from '../validate.js';

export function customerRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/customers', async (req, res) => {
    requireScope(res, 'customers:read');
    res.json(await findCustomers(deps.db, parse(customerListQuery, req.query, 'query')));
  });

  router.get('/api/customers/:id', async (req, res) => {
    const viewer = requireScope(res, 'customers:read');
    const { id } = parse(idParams, req.params, 'path');
    const customer = await findCustomerProfile(deps.db, viewer, id);
    if (!customer) throw notFound('Customer');
    res.json({ customer });
  });

  router.patch('/api/customers/:id', async (req, res) => {
    const user = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(customerProfileBody, req.body);
    await updateCustomerProfile(deps.db, actorOf(user), id, changes);
    res.json({ customer: await findCustomerProfile(deps.db, user, id) });
  });

  // The contact in the path stays; `otherId` moves into it and is deleted (services/customer-merge.ts).
  router.post('/api/customers/:id/merge', async (req, res) => {
    const user = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const { otherId } = parse(customerMergeBody, req.body);
    const { moved, filled } = await mergeCustomers(deps, { survivorId: id, mergedId: otherId, actor: actorOf(user) });
    const customer = await findCustomerProfile(deps.db, user, id);
    if (!customer) throw notFound('Customer');
    res.json({ customer, moved, filled } satisfies CustomerMergeView);
  });

  router.get('/api/customers/:id/events', async (req, res) => {
    const viewer = requireScope(res, 'customers:read');
    const { id } = parse(idParams, req.params, 'path');
    const events = await findCustomerJourney(deps.db, viewer, id);
    if (!events) throw notFound('Customer');
    res.json({ events });
  });

  router.get('/api/customer-attributes', async (_req, res) => {
    requireScope(res, 'customers:read');
    res.json({ attributes: await findCustomerAttributes(deps.db) });
  });

  router.put('/api/customer-attributes', async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(customerAttributesBody, req.body);
    res.json({ attributes: await replaceCustomerAttributes(deps.db, admin.userId, input) });
  });

  return router;
}
