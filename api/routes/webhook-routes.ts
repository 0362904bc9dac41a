// Outgoing webhook endpoints (docs/WEBHOOKS.md): admins, and API keys holding `webhooks:manage`.
// A secret is shown once, in the answer that created or rotated it (never cached on the way).
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import { createWebhookBody, updateWebhookBody, webhookDeliveriesQuery, webhookDeliveryParams } from '../../contract/requests/webhooks.js';
import { outboundPolicyOf } from '../../infra/outbound/outbound-guard.js';
import { webhookSecretBox } from '../../infra/secrets/webhook-secrets.js';
import { actorOf } from '../../infra/auth/principal.js';
import { requireScope } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  redeliverWebhook,
  sendTestWebhook,
  updateWebhook,
  type WebhookServiceDeps,
} from '../services/webhook-service.js';
import { parse } from '../validate.js';

export function webhookRoutes(deps: ApiDeps): Router {
  const router = Router();
  const service: WebhookServiceDeps = { ...deps, box: webhookSecretBox(deps.secret), outbound: outboundPolicyOf(deps.outboundAllowedHosts) };

  /** Admins (agents get 403), or a key with the scope. */
  const manager = (res: Parameters<typeof requireScope>[0]) => requireScope(res, 'webhooks:manage', { users: 'admin' });

  router.get('/api/webhooks', async (_req, res) => {
    manager(res);
    res.json({ webhooks: await listWebhooks(deps.db) });
  });

  router.post('/api/webhooks', async (req, res) => {
    const caller = manager(res);
    const input = parse(createWebhookBody, req.body ?? {});
    const created = await createWebhook(service, actorOf(caller), input);
    res.set('Cache-Control', 'no-store');
    res.status(201).json(created);
  });

  router.get('/api/webhooks/:id', async (req, res) => {
    manager(res);
    const { id } = parse(idParams, req.params, 'path');
    res.json({ webhook: await getWebhook(deps.db, id) });
  });

  router.patch('/api/webhooks/:id', async (req, res) => {
    const caller = manager(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(updateWebhookBody, req.body ?? {});
    const updated = await updateWebhook(service, actorOf(caller), id, changes);
    if (updated.secret !== undefined) res.set('Cache-Control', 'no-store');
    res.json(updated);
  });

  router.delete('/api/webhooks/:id', async (req, res) => {
    const caller = manager(res);
    const { id } = parse(idParams, req.params, 'path');
    await deleteWebhook(deps.db, actorOf(caller), id);
    res.status(204).end();
  });

  router.get('/api/webhooks/:id/deliveries', async (req, res) => {
    manager(res);
    const { id } = parse(idParams, req.params, 'path');
    const page = parse(webhookDeliveriesQuery, req.query, 'query');
    res.json(await listWebhookDeliveries(deps.db, id, page));
  });

  router.post('/api/webhooks/:id/deliveries/:deliveryId/redeliver', async (req, res) => {
    manager(res);
    const { id, deliveryId } = parse(webhookDeliveryParams, req.params, 'path');
    res.status(202).json({ delivery: await redeliverWebhook(service, id, deliveryId) });
  });

  router.post('/api/webhooks/:id/test', async (req, res) => {
    manager(res);
    const { id } = parse(idParams, req.params, 'path');
    res.status(202).json({ delivery: await sendTestWebhook(service, id) });
  });

  return router;
}
