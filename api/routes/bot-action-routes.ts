// The bot's HTTP actions (issue 20, item 6): admins only. The auth header's value is write-only.
import { Router } from 'express';
import { createBotActionBody, testBotActionBody, updateBotActionBody } from '../../contract/requests/bot-actions.js';
import { idParams } from '../../contract/requests/common.js';
import { outboundPolicyOf } from '../../infra/outbound/outbound-guard.js';
import { webhookSecretBox } from '../../infra/secrets/webhook-secrets.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import {
  createBotAction,
  deleteBotAction,
  getBotAction,
  listBotActions,
  testBotAction,
  updateBotAction,
  type BotActionServiceDeps,
} from '../services/bot-action-service.js';
import { parse } from '../validate.js';

export function botActionRoutes(deps: ApiDeps): Router {
  const router = Router();
  const service: BotActionServiceDeps = { db: deps.db, box: webhookSecretBox(deps.secret), outbound: outboundPolicyOf(deps.outboundAllowedHosts) };

  router.get('/api/bot-actions', async (_req, res) => {
    requireAdmin(res);
    res.json({ actions: await listBotActions(deps.db) });
  });

  router.post('/api/bot-actions', async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(createBotActionBody, req.body ?? {});
    res.status(201).json({ action: await createBotAction(service, admin.userId, input) });
  });

  router.get('/api/bot-actions/:id', async (req, res) => {
    requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    res.json({ action: await getBotAction(deps.db, id) });
  });

  router.patch('/api/bot-actions/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(updateBotActionBody, req.body ?? {});
    res.json({ action: await updateBotAction(service, admin.userId, id, changes) });
  });

  router.delete('/api/bot-actions/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    await deleteBotAction(deps.db, admin.userId, id);
    res.status(204).end();
  });

  router.post('/api/bot-actions/:id/test', async (req, res) => {
    requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const { inputs } = parse(testBotActionBody, req.body ?? {});
    res.json({ result: await testBotAction(service, id, inputs) });
  });

  return router;
}
