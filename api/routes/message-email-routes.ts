// The original of a message that came by email (GET …/messages/:messageId/email): headers, the
// sanitised HTML with its quoted history identified, the plain text. Authorised like the
// message itself: whoever may read the conversation's messages (agents who see it, admins, keys
// with conversations:read); visitors never; an unknown, unseen or non-email message is 404.
// Its remote images (GET …/email/remote-images/:index) come through this server, authorised the
// same way: the index-th `data-remote-src` URL of that mail, never any other URL
// (services/email-remote-image.ts).
import { Router } from 'express';
import { messageEmailParams, remoteImageParams } from '../../contract/requests/conversations.js';
import { outboundPolicyOf } from '../../infra/outbound/outbound-guard.js';
import { requireScope } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { findEmailRemoteImageUrl, findMessageEmail } from '../finders/email-finder.js';
import { notFound } from '../http-error.js';
import { visibleConversation } from '../services/conversation-service.js';
import { fetchRemoteImage } from '../services/email-remote-image.js';
import { parse } from '../validate.js';

/** How long the agent's browser may keep a remote image: it is the mail's, and a mail does not change. */
const remoteImageMaxAgeSeconds = 60 * 60;

export function messageEmailRoutes(deps: ApiDeps): Router {
  const router = Router();
  const limits = { maxMessageBytes: deps.inboundEmail?.maxMessageBytes };
  router.get('/api/conversations/:id/messages/:messageId/email', async (req, res) => {
    const viewer = requireScope(res, 'conversations:read');
    const { id, messageId } = parse(messageEmailParams, req.params, 'path');
    const conversation = await visibleConversation(deps.db, viewer, id);
    const email = await findMessageEmail(deps.db, conversation.id, messageId, limits);
    if (!email) throw notFound('Email message');
    // A customer's mail: kept out of shared caches.
    res.set('Cache-Control', 'private, no-store').json({ email });
  });
  router.get('/api/conversations/:id/messages/:messageId/email/remote-images/:index', async (req, res) => {
    const viewer = requireScope(res, 'conversations:read');
    const { id, messageId, index } = parse(remoteImageParams, req.params, 'path');
    const conversation = await visibleConversation(deps.db, viewer, id);
    const url = await findEmailRemoteImageUrl(deps.db, conversation.id, messageId, index, limits);
    if (!url) throw notFound('Remote image');
    const image = await fetchRemoteImage(url, outboundPolicyOf(deps.outboundAllowedHosts));
    res
      .set({
        'Content-Type': image.contentType,
        'Content-Disposition': 'inline',
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': `private, max-age=${remoteImageMaxAgeSeconds}`,
      })
      .send(image.body);
  });
  return router;
}
