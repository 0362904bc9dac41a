// The signed-in agent's own settings, and where colleagues mentioned them.
import { Router } from 'express';
import { presenceBody } from '../../contract/requests/users.js';
import { requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { mentionsOf } from '../services/mention-service.js';
import { setPresence, toUserView } from '../services/user-service.js';
import { parse } from '../validate.js';

export function meRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.put('/api/me/presence', async (req, res) => {
    const { userId } = requireUser(res);
    const { presence } = parse(presenceBody, req.body);
    const user = await setPresence(deps, userId, presence);
    res.json({ user: toUserView(user) });
  });

  /** Where colleagues @mentioned me, newest first (the console's bell). */
  router.get('/api/me/mentions', async (_req, res) => {
    res.json({ mentions: await mentionsOf(deps.db, requireUser(res)) });
  });

  return router;
}
