// Scheduled messages (issue 22): an agent's reply sent later by its workflow. People only (it is
// sent in their name); a conversation they may not see is 404, someone else's scheduled message
// 403 to change unless they are an admin.
import { Router } from 'express';
import { emptyBody, idParams } from '../../contract/requests/common.js';
import { editScheduledMessageBody, scheduledMessageListQuery, scheduleMessageBody } from '../../contract/requests/scheduled-messages.js';
import { requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import {
  cancelScheduledMessage,
  conversationScheduledMessages,
  editScheduledMessage,
  pendingScheduledMessages,
  scheduleMessage,
} from '../services/scheduled-message-service.js';
import { parse } from '../validate.js';

export function scheduledMessageRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/conversations/:id/scheduled-messages', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    res.json({ scheduledMessages: await conversationScheduledMessages(deps, viewer, id) });
  });

  router.post('/api/conversations/:id/scheduled-messages', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const input = parse(scheduleMessageBody, req.body);
    res.status(201).json({ scheduledMessage: await scheduleMessage(deps, viewer, id, input) });
  });

  router.get('/api/scheduled-messages', async (req, res) => {
    const viewer = requireUser(res);
    const query = parse(scheduledMessageListQuery, req.query, 'query');
    res.json({ scheduledMessages: await pendingScheduledMessages(deps, viewer, query.mine !== undefined && query.mine !== 'false') });
  });

  router.patch('/api/scheduled-messages/:id', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const input = parse(editScheduledMessageBody, req.body);
    res.json({ scheduledMessage: await editScheduledMessage(deps, viewer, id, input) });
  });

  router.post('/api/scheduled-messages/:id/cancel', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    parse(emptyBody, req.body ?? {});
    res.json({ scheduledMessage: await cancelScheduledMessage(deps, viewer, id) });
  });

  return router;
}
