// Channels: admins list them and change their name, switch and settings (the widget's allowed
// origins, the mailbox address). The widget CORS list is read again after a change.
import { Router } from 'express';
import { updateChannelBody } from '../../contract/requests/channels.js';
import { idParams } from '../../contract/requests/common.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import type { AllowedOrigins } from '../security/widget-cors.js';
import { listChannels, updateChannel } from '../services/channel-service.js';
import { parse } from '../validate.js';

export function channelRoutes(deps: ApiDeps, widgetOrigins: Pick<AllowedOrigins, 'invalidate'>): Router {
  const router = Router();
  const { db } = deps;

  router.get('/api/channels', async (_req, res) => {
    requireAdmin(res);
    res.json({ channels: await listChannels(db) });
  });

  router.patch('/api/channels/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(updateChannelBody, req.body ?? {});
    const channel = await updateChannel(db, admin.userId, id, changes);
    // This process answers with the new origins at once; other API processes within their
    // cache's lifetime (security.allowedOriginsTtlMs, 30 s by default).
    widgetOrigins.invalidate();
    res.json({ channel });
  });

  return router;
}
