// Business hours: agents and admins read them (the console shows a team's hours); admins write.
import { Router } from 'express';
import { businessHoursBodies } from '../../contract/requests/business-hours.js';
import { timeZone } from '../admin-fields.js';
import type { ApiDeps } from '../deps.js';
import { createBusinessHours, deleteBusinessHours, listBusinessHours, updateBusinessHours } from '../services/business-hours-service.js';
import { createRoute, deleteRoute, readRoute, updateRoute } from './admin-writes.js';

const bodies = businessHoursBodies(timeZone);

export function businessHoursRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;
  const path = '/api/business-hours';
  readRoute(router, path, 'users', 'businessHours', () => listBusinessHours(db));
  createRoute(router, path, bodies.create, 'businessHours', (adminId, input) => createBusinessHours(db, adminId, input));
  updateRoute(router, path, bodies.update, 'businessHours', (adminId, id, changes) => updateBusinessHours(db, adminId, id, changes));
  deleteRoute(router, path, (adminId, id) => deleteBusinessHours(db, adminId, id));
  return router;
}
