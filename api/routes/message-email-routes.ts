// The original of a message that came by email (GET …/messages/:messageId/email): headers, the
// sanitised HTML with its quoted history identified, the plain text. Authorised like the
// message itself: whoever may read the conversation's messages (agents who see it, admins, keys
// with conversations:read); visitors never; an unknown, unseen or non-email message is 404.
import { Router } from 'express';
import { z } from 'zod';
import { requireScope } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { findMessageEmail } from '../finders/email-finder.js';
import { notFound } from '../http-error.js';
import { visibleConversation } from '../services/conversation-service.js';
import { parse } from '../validate.js';

const params = z.object({ id: z.uuid(), messageId: z.uuid() });

export function messageEmailRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/api/conversations/:id/messages/:messageId/email', async (req, res) => {
    const viewer = requireScope(res, 'conversations:read');
    const { id, messageId } = parse(params, req.params, 'path');
    const conversation = await visibleConversation(deps.db, viewer, id);
    const email = await findMessageEmail(deps.db, conversation.id, messageId, { maxMessageBytes: deps.inboundEmail?.maxMessageBytes });
    if (!email) throw notFound('Email message');
    // A customer's mail: kept out of shared caches.
    res.set('Cache-Control', 'private, no-store').json({ email });
  });
  return router;
}
