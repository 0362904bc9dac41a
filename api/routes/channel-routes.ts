// Channels: admins list them and change their name, switch and settings (the widget's allowed
// origins, the mailbox address), and an email channel's IMAP polling (imap-routes.ts); agents list
// the enabled email channels they can write a first email from. The widget CORS list is read again
// after a change. A web_chat channel's identity secret (widget identity verification) is revealed
// to admins only and rotated on demand (services/widget-identity.ts).
import { Router } from 'express';
import { updateChannelBody } from '../../contract/requests/channels.js';
import { idParams } from '../../contract/requests/common.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import type { AllowedOrigins } from '../security/widget-cors.js';
import { listChannels, listEmailChannelChoices, updateChannel } from '../services/channel-service.js';
import { revealIdentitySecret, rotateIdentitySecret } from '../services/widget-identity.js';
import { parse } from '../validate.js';
import { readRoute, updateRoute } from './admin-writes.js';
import { imapRoutes } from './imap-routes.js';

export function channelRoutes(deps: ApiDeps, widgetOrigins: Pick<AllowedOrigins, 'invalidate'>): Router {
  const router = Router();
  const { db } = deps;
  const path = '/api/channels';
  readRoute(router, path, 'admins', 'channels', () => listChannels(db));
  updateRoute(router, path, updateChannelBody, 'channel', async (adminId, id, changes) => {
    const channel = await updateChannel(deps, adminId, id, changes);
    // This process answers with the new origins at once; other API processes within their
    // cache's lifetime (security.allowedOriginsTtlMs, 30 s by default).
    widgetOrigins.invalidate();
    return channel;
  });
  // What "New email" offers: any signed-in agent may write first from an enabled email channel.
  readRoute(router, '/api/email-channels', 'users', 'channels', () => listEmailChannelChoices(db));
  // A web_chat channel's identity secret: read (null until generated), or a new one (the old one stops verifying).
  router.get(`${path}/:id/identity-secret`, async (req, res) => {
    requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    res.set('Cache-Control', 'no-store').json({ secret: await revealIdentitySecret(deps, id) });
  });
  router.post(`${path}/:id/identity-secret`, async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    res.set('Cache-Control', 'no-store').json({ secret: await rotateIdentitySecret(deps, admin.userId, id) });
  });
  // An email channel's IMAP polling: settings, test.
  router.use(imapRoutes(deps));
  return router;
}
