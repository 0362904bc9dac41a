// Teams as admins manage them (GET /api/teams, for every agent, is in user-routes.ts).
import { Router } from 'express';
import { createTeamBody, updateTeamBody } from '../../contract/requests/teams.js';
import type { ApiDeps } from '../deps.js';
import { createTeam, deleteTeam, updateTeam } from '../services/team-service.js';
import { createRoute, deleteRoute, updateRoute } from './admin-writes.js';

export function teamRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;
  const path = '/api/teams';
  createRoute(router, path, createTeamBody, 'team', (adminId, input) => createTeam(db, adminId, input));
  updateRoute(router, path, updateTeamBody, 'team', (adminId, id, changes) => updateTeam(db, adminId, id, changes));
  deleteRoute(router, path, (adminId, id) => deleteTeam(db, adminId, id));
  return router;
}
