// Agents as admins manage them: the routing profile (capacity, tier, skills, team); the teams.
import { Router } from 'express';
import { agentChangesBody } from '../../contract/requests/users.js';
import type { ApiDeps } from '../deps.js';
import { findUsers } from '../finders/user-finder.js';
import { listTeams } from '../services/team-service.js';
import { toUserView, updateAgent } from '../services/user-service.js';
import { readRoute, updateRoute } from './admin-writes.js';

export function userRoutes(deps: ApiDeps): Router {
  const router = Router();

  /** Everyone on the team list (for transfers and @mentions). */
  readRoute(router, '/api/users', 'users', 'users', () => findUsers(deps.db));
  /** The teams, for transfers, filters and the admin page (writes: team-routes.ts). */
  readRoute(router, '/api/teams', 'users', 'teams', () => listTeams(deps.db));
  updateRoute(router, '/api/users', agentChangesBody, 'user', async (adminId, id, changes) => toUserView(await updateAgent(deps, id, changes, adminId)));

  return router;
}
