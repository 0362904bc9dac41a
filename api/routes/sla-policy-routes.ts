// SLA policies: agents and admins read them (the console explains a conversation's targets);
// admins write. A change is announced to the running conversations and tickets that use the
// policy after it is committed (sla-policy-service.ts slaPolicyChanged).
import { Router } from 'express';
import { createSlaPolicyBody, updateSlaPolicyBody } from '../../contract/requests/sla-policies.js';
import type { ApiDeps } from '../deps.js';
import { announceSlaPolicyChange, createSlaPolicy, deleteSlaPolicy, listSlaPolicies, updateSlaPolicy } from '../services/sla-policy-service.js';
import { createRoute, deleteRoute, readRoute, updateRoute } from './admin-writes.js';

export function slaPolicyRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;
  const path = '/api/sla-policies';
  readRoute(router, path, 'users', 'slaPolicies', () => listSlaPolicies(db));
  createRoute(router, path, createSlaPolicyBody, 'slaPolicy', (adminId, input) => createSlaPolicy(db, adminId, input));
  updateRoute(router, path, updateSlaPolicyBody, 'slaPolicy', async (adminId, id, changes) => {
    const slaPolicy = await updateSlaPolicy(db, adminId, id, changes);
    await announceSlaPolicyChange(deps, id);
    return slaPolicy;
  });
  deleteRoute(router, path, (adminId, id) => deleteSlaPolicy(db, adminId, id));
  return router;
}
