// Canned responses: agents list the shared ones and their team's (to insert by shortcut);
// admins list all and write them.
import { Router } from 'express';
import { cannedResponseListQuery, createCannedResponseBody, updateCannedResponseBody } from '../../contract/requests/canned-responses.js';
import { requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { createCannedResponse, deleteCannedResponse, listCannedResponses, updateCannedResponse } from '../services/canned-response-service.js';
import { parse } from '../validate.js';
import { createRoute, deleteRoute, updateRoute } from './admin-writes.js';

export function cannedResponseRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;
  const path = '/api/canned-responses';

  router.get(path, async (req, res) => {
    const user = requireUser(res);
    const filter = parse(cannedResponseListQuery, req.query, 'query');
    const reader = user.role === 'admin' ? ({ role: 'admin' } as const) : ({ role: 'agent', teamId: user.teamId } as const);
    res.json({ cannedResponses: await listCannedResponses(db, reader, filter) });
  });

  createRoute(router, path, createCannedResponseBody, 'cannedResponse', (adminId, input) => createCannedResponse(db, adminId, input));
  updateRoute(router, path, updateCannedResponseBody, 'cannedResponse', (adminId, id, changes) => updateCannedResponse(db, adminId, id, changes));
  deleteRoute(router, path, (adminId, id) => deleteCannedResponse(db, adminId, id));

  return router;
}
