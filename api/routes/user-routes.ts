// Agents as admins manage them: the routing profile (capacity, tier, skills, team); the teams.
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import { agentChangesBody } from '../../contract/requests/users.js';
import { requireAdmin, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { findUsers } from '../finders/user-finder.js';
import { listTeams } from '../services/team-service.js';
import { toUserView, updateAgent } from '../services/user-service.js';
import { parse } from '../validate.js';

export function userRoutes(deps: ApiDeps): Router {
  const router = Router();

  /** Everyone on the team list (for transfers and @mentions). */
  router.get('/api/users', async (_req, res) => {
    requireUser(res);
    res.json({ users: await findUsers(deps.db) });
  });

  /** The teams, for transfers, filters and the admin page (writes: team-routes.ts). */
  router.get('/api/teams', async (_req, res) => {
    requireUser(res);
    res.json({ teams: await listTeams(deps.db) });
  });

  router.patch('/api/users/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(agentChangesBody, req.body ?? {});
    res.json({ user: toUserView(await updateAgent(deps, id, changes, admin.userId)) });
  });

  return router;
}
