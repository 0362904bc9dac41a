// Canned responses: agents list the shared ones and their team's (to insert by shortcut);
// admins list all and write them.
import { Router } from 'express';
import { z } from 'zod';
import { optionalId, shortcut } from '../admin-fields.js';
import { requireAdmin, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { articleLocales } from '../services/knowledge-service.js';
import { createCannedResponse, deleteCannedResponse, listCannedResponses, updateCannedResponse } from '../services/canned-response-service.js';
import { parse } from '../validate.js';

const idParams = z.object({ id: z.uuid() });
/** The console's languages, as for articles. */
const locale = z.enum(articleLocales);
const title = z.string().trim().min(1).max(200);
const body = z.string().trim().min(1).max(10_000);

const listQuery = z.strictObject({ locale: locale.optional(), q: z.string().trim().min(1).max(200).optional() });
const createBody = z.strictObject({ shortcut, title, body, locale: locale.default('en'), teamId: optionalId.default(null) });
const updateBody = z
  .strictObject({ shortcut: shortcut.optional(), title: title.optional(), body: body.optional(), locale: locale.optional(), teamId: optionalId })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: 'Change at least one field.' });

export function cannedResponseRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  router.get('/api/canned-responses', async (req, res) => {
    const user = requireUser(res);
    const filter = parse(listQuery, req.query, 'query');
    const reader = user.role === 'admin' ? ({ role: 'admin' } as const) : ({ role: 'agent', teamId: user.teamId } as const);
    res.json({ cannedResponses: await listCannedResponses(db, reader, filter) });
  });

  router.post('/api/canned-responses', async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(createBody, req.body);
    res.status(201).json({ cannedResponse: await createCannedResponse(db, admin.userId, input) });
  });

  router.patch('/api/canned-responses/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(updateBody, req.body ?? {});
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
