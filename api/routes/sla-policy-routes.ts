// SLA policies: agents and admins read them (the console explains a conversation's targets);
// admins write. A change is announced to the running conversations and tickets that use the
// policy after it is committed (sla-policy-service.ts slaPolicyChanged).
import { Router } from 'express';
import { z } from 'zod';
import { channelKinds, priorities } from '../../domain/vocabulary.js';
import { escalation, name, optionalId, targetMinutes, warningPercent } from '../admin-fields.js';
import { requireAdmin, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { announceSlaPolicyChange, createSlaPolicy, deleteSlaPolicy, listSlaPolicies, updateSlaPolicy } from '../services/sla-policy-service.js';
import { parse } from '../validate.js';

const idParams = z.object({ id: z.uuid() });
const fields = {
  name,
  priority: z.enum(priorities),
  channelKind: z.enum(channelKinds).nullable(),
  teamId: optionalId,
  businessHoursId: optionalId,
  firstResponseMinutes: targetMinutes,
  nextResponseMinutes: targetMinutes,
  resolutionMinutes: targetMinutes,
  warningPercent,
  escalation,
  enabled: z.boolean(),
};
const createBody = z.strictObject({
  ...fields,
  channelKind: fields.channelKind.default(null),
  teamId: fields.teamId.default(null),
  businessHoursId: fields.businessHoursId.default(null),
  warningPercent: warningPercent.default(80),
  escalation: escalation.default([]),
  enabled: fields.enabled.default(true),
});
const updateBody = z
  .strictObject({
    name: name.optional(),
    priority: fields.priority.optional(),
    channelKind: fields.channelKind.optional(),
    teamId: optionalId,
    businessHoursId: optionalId,
    firstResponseMinutes: targetMinutes.optional(),
    nextResponseMinutes: targetMinutes.optional(),
    resolutionMinutes: targetMinutes.optional(),
    warningPercent: warningPercent.optional(),
    escalation: escalation.optional(),
    enabled: fields.enabled.optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: 'Change at least one field.' });

export function slaPolicyRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  router.get('/api/sla-policies', async (_req, res) => {
    requireUser(res);
    res.json({ slaPolicies: await listSlaPolicies(db) });
  });

  router.post('/api/sla-policies', async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(createBody, req.body);
    res.status(201).json({ slaPolicy: await createSlaPolicy(db, admin.userId, input) });
  });

  router.patch('/api/sla-policies/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(updateBody, req.body ?? {});
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
