// Agents as admins manage them: the routing profile (capacity, tier, skills, team); the teams.
import { Router } from 'express';
import { z } from 'zod';
import { agentTiers } from '../../domain/vocabulary.js';
import { requireAdmin, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { listTeams } from '../services/team-service.js';
import { toUserView, updateAgent } from '../services/user-service.js';
import { parse } from '../validate.js';

const idParams = z.object({ id: z.uuid() });
const agentChanges = z
  .strictObject({
    capacity: z.int().min(1).max(100).optional(),
    tier: z.enum(agentTiers).optional(),
    skills: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
    teamId: z.uuid().nullable().optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, { message: 'Change at least one field.' });

export function userRoutes(deps: ApiDeps): Router {
  const router = Router();

  /** Everyone on the team list (for transfers and @mentions). */
  router.get('/api/users', async (_req, res) => {
    requireUser(res);
    const users = await deps.db.user.findMany({ orderBy: { name: 'asc' } });
    res.json({ users: users.map(toUserView) });
  });

  /** The teams, for transfers, filters and the admin page (writes: team-routes.ts). */
  router.get('/api/teams', async (_req, res) => {
    requireUser(res);
    res.json({ teams: await listTeams(deps.db) });
  });

  router.patch('/api/users/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(agentChanges, req.body ?? {});
    res.json({ user: toUserView(await updateAgent(deps, id, changes, admin.userId)) });
  });

  return router;
}
