// Why each decision about a conversation was made (routing, the SLA ladder, the bot, rules):
// permissioned like the conversation itself (404 for one the reader may not see), read by the
// console's "Why…?" panels and by integrations (conversations:read).
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import type { ExplanationsResponse } from '../../contract/explanations.js';
import { requireScope } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { findExplanations } from '../finders/explanation-finder.js';
import { visibleConversation } from '../services/conversation-service.js';
import { parse } from '../validate.js';

export function explanationRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/conversations/:id/explanations', async (req, res) => {
    const viewer = requireScope(res, 'conversations:read');
    const conversation = await visibleConversation(deps.db, viewer, parse(idParams, req.params, 'path').id);
    const body: ExplanationsResponse = { explanations: await findExplanations(deps.db, viewer, conversation.id) };
    res.json(body);
  });

  return router;
}
