// SLA policies: agents and admins read them (the console explains a conversation's targets);
// admins write. A change is announced to the running conversations and tickets that use the
// policy after it is committed (sla-policy-service.ts slaPolicyChanged).
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import { createSlaPolicyBody, updateSlaPolicyBody } from '../../contract/requests/sla-policies.js';
import { requireAdmin, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { announceSlaPolicyChange, createSlaPolicy, deleteSlaPolicy, listSlaPolicies, updateSlaPolicy } from '../services/sla-policy-service.js';
import { parse } from '../validate.js';

export function slaPolicyRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  router.get('/api/sla-policies', async (_req, res) => {
    requireUser(res);
    res.json({ slaPolicies: await listSlaPolicies(db) });
  });

  router.post('/api/sla-policies', async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(createSlaPolicyBody, req.body);
    res.status(201).json({ slaPolicy: await createSlaPolicy(db, admin.userId, input) });
  });

  router.patch('/api/sla-policies/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(updateSlaPolicyBody, req.body ?? {});
    const slaPolicy = await updateSlaPolicy(db, admin.userId, id, changes);
    await announceSlaPolicyChange(deps, id);
    res.json({ slaPolicy });
  });

  router.delete('/api/sla-policies/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    await deleteSlaPolicy(db, admin.userId, id);
    res.status(204).end();
  });

  return router;
}
