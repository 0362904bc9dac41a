// Follow-up sequences (issue 22): steps sent while the customer stays silent, cancelled by their
// reply. People only (sent in their name); a conversation they may not see is 404.
import { Router } from 'express';
import { emptyBody, idParams } from '../../contract/requests/common.js';
import { startFollowUpBody } from '../../contract/requests/follow-ups.js';
import { requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { cancelFollowUp, conversationFollowUps, setFollowUp } from '../services/follow-up-service.js';
import { parse } from '../validate.js';

export function followUpRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/conversations/:id/follow-ups', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    res.json({ followUps: await conversationFollowUps(deps, viewer, id) });
  });

  router.post('/api/conversations/:id/follow-ups', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const input = parse(startFollowUpBody, req.body);
    res.status(201).json({ followUp: await setFollowUp(deps, viewer, id, input) });
  });

  router.post('/api/follow-ups/:id/cancel', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    parse(emptyBody, req.body ?? {});
    res.json({ followUp: await cancelFollowUp(deps, viewer, id) });
  });

  return router;
}
