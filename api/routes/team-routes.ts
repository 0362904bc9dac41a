// Teams as admins manage them (GET /api/teams, for every agent, is in user-routes.ts).
import { Router } from 'express';
import { z } from 'zod';
import { agentTiers } from '../../domain/vocabulary.js';
import { name, optionalId } from '../admin-fields.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { createTeam, deleteTeam, updateTeam } from '../services/team-service.js';
import { parse } from '../validate.js';

const idParams = z.object({ id: z.uuid() });
const tier = z.enum(agentTiers);

const createBody = z.strictObject({ name, tier: tier.default('junior'), leadId: optionalId.default(null), businessHoursId: optionalId.default(null) });
const updateBody = z
  .strictObject({ name: name.optional(), tier: tier.optional(), leadId: optionalId, businessHoursId: optionalId })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: 'Change at least one field.' });

export function teamRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  router.post('/api/teams', async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(createBody, req.body);
    res.status(201).json({ team: await createTeam(db, admin.userId, input) });
  });

  router.patch('/api/teams/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(updateBody, req.body ?? {});
    res.json({ team: await updateTeam(db, admin.userId, id, changes) });
  });

  router.delete('/api/teams/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    await deleteTeam(db, admin.userId, id);
    res.status(204).end();
  });

  return router;
}
