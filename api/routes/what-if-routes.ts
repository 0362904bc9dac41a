// What-if on past traffic (issue 22 part 2): admins, and team leads for their own teams' settings
// (what-if-service.ts), start a job that replays the last N days against a candidate setting,
// follow its progress, read the comparison, or cancel it.
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import { createWhatIfBody } from '../../contract/requests/what-if.js';
import { timeZone } from '../admin-fields.js';
import { requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { cancelWhatIf, getWhatIf, startWhatIf } from '../services/what-if-service.js';
import { parse } from '../validate.js';

const whatIfBody = createWhatIfBody(timeZone);

export function whatIfRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.post('/api/what-if', async (req, res) => {
    const user = requireUser(res);
    const body = parse(whatIfBody, req.body ?? {});
    res.status(202).json({ whatIf: await startWhatIf(deps, user, body) });
  });

  router.get('/api/what-if/:id', async (req, res) => {
    const user = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    res.json({ whatIf: await getWhatIf(deps, user, id) });
  });

  router.post('/api/what-if/:id/cancel', async (req, res) => {
    const user = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    res.json({ whatIf: await cancelWhatIf(deps, user, id) });
  });

  return router;
}
