// Channels: admins list them and change their name, switch and settings (the widget's allowed
// origins, the mailbox address). The widget CORS list is read again after a change.
import { Router } from 'express';
import { z } from 'zod';
import { name } from '../admin-fields.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import type { AllowedOrigins } from '../security/widget-cors.js';
import { listChannels, updateChannel } from '../services/channel-service.js';
import { parse } from '../validate.js';

const idParams = z.object({ id: z.uuid() });
/** `settings` is checked against the channel's kind in channel-service.ts. */
const updateBody = z
  .strictObject({ name: name.optional(), enabled: z.boolean().optional(), settings: z.record(z.string(), z.unknown()).optional() })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: 'Change at least one field.' });

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
    const changes = parse(updateBody, req.body ?? {});
    const channel = await updateChannel(db, admin.userId, id, changes);
    // This process answers with the new origins at once; other API processes within their
    // cache's lifetime (security.allowedOriginsTtlMs, 30 s by default).
    widgetOrigins.invalidate();
    res.json({ channel });
  });

  return router;
}
