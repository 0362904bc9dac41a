// Teams as admins manage them (GET /api/teams, for every agent, is in user-routes.ts).
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import { createTeamBody, updateTeamBody } from '../../contract/requests/teams.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { createTeam, deleteTeam, updateTeam } from '../services/team-service.js';
import { parse } from '../validate.js';

export function teamRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  router.post('/api/teams', async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(createTeamBody, req.body);
    res.status(201).json({ team: await createTeam(db, admin.userId, input) });
  });

  router.patch('/api/teams/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(updateTeamBody, req.body ?? {});
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
