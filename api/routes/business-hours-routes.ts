// Business hours: agents and admins read them (the console shows a team's hours); admins write.
import { Router } from 'express';
import { businessHoursBodies } from '../../contract/requests/business-hours.js';
import { idParams } from '../../contract/requests/common.js';
import { timeZone } from '../admin-fields.js';
import { requireAdmin, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { createBusinessHours, deleteBusinessHours, listBusinessHours, updateBusinessHours } from '../services/business-hours-service.js';
import { parse } from '../validate.js';

const bodies = businessHoursBodies(timeZone);

export function businessHoursRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  router.get('/api/business-hours', async (_req, res) => {
    requireUser(res);
    res.json({ businessHours: await listBusinessHours(db) });
  });

  router.post('/api/business-hours', async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(bodies.create, req.body);
    res.status(201).json({ businessHours: await createBusinessHours(db, admin.userId, input) });
  });

  router.patch('/api/business-hours/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(bodies.update, req.body ?? {});
    res.json({ businessHours: await updateBusinessHours(db, admin.userId, id, changes) });
  });

  router.delete('/api/business-hours/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    await deleteBusinessHours(db, admin.userId, id);
    res.status(204).end();
  });

  return router;
}
