// Canned responses: agents list the shared ones and their team's (to insert by shortcut);
// admins list all and write them.
import { Router } from 'express';
import { cannedResponseListQuery, createCannedResponseBody, updateCannedResponseBody } from '../../contract/requests/canned-responses.js';
import { idParams } from '../../contract/requests/common.js';
import { requireAdmin, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { createCannedResponse, deleteCannedResponse, listCannedResponses, updateCannedResponse } from '../services/canned-response-service.js';
import { parse } from '../validate.js';

export function cannedResponseRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  router.get('/api/canned-responses', async (req, res) => {
    const user = requireUser(res);
    const filter = parse(cannedResponseListQuery, req.query, 'query');
    const reader = user.role === 'admin' ? ({ role: 'admin' } as const) : ({ role: 'agent', teamId: user.teamId } as const);
    res.json({ cannedResponses: await listCannedResponses(db, reader, filter) });
  });

  router.post('/api/canned-responses', async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(createCannedResponseBody, req.body);
    res.status(201).json({ cannedResponse: await createCannedResponse(db, admin.userId, input) });
  });

  router.patch('/api/canned-responses/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(updateCannedResponseBody, req.body ?? {});
    res.json({ cannedResponse: await updateCannedResponse(db, admin.userId, id, changes) });
  });

  router.delete('/api/canned-responses/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    await deleteCannedResponse(db, admin.userId, id);
    res.status(204).end();
  });

  return router;
}
