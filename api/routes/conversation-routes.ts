// The agent console's conversations: list, read, reply or note, resolve.
import { Router } from 'express';
import { z } from 'zod';
import { conversationStatuses } from '../../domain/vocabulary.js';
import { canSee, type Viewer } from '../../domain/visibility.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { conversationInclude, messageInclude, toConversationView, toMessageView } from '../../infra/views.js';
import { requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { notFound } from '../http-error.js';
import { postMessage, resolveConversation } from '../services/conversation-service.js';
import { idempotencyKeyOf, parse } from '../validate.js';
import { messageBody } from './widget-routes.js';

const listQuery = z.strictObject({
  status: z.enum(conversationStatuses).optional(),
  assignee: z.enum(['me', 'unassigned']).optional(),
});
const idParams = z.object({ id: z.uuid() });
const agentMessageBody = z.strictObject({ body: messageBody, private: z.boolean().default(false) });

/** The same rule as domain/visibility.ts, as a database filter. */
function visibleTo(viewer: Extract<Viewer, { kind: 'user' }>): Prisma.ConversationWhereInput {
  if (viewer.role === 'admin') return {};
  return { OR: [{ assigneeId: viewer.userId }, { teamId: null }, ...(viewer.teamId ? [{ teamId: viewer.teamId }] : [])] };
}

export function conversationRoutes(deps: ApiDeps): Router {
  const router = Router();

  const visibleConversation = async (viewer: Extract<Viewer, { kind: 'user' }>, params: unknown) => {
    const { id } = parse(idParams, params, 'path');
    const conversation = await deps.db.conversation.findUnique({ where: { id }, include: conversationInclude });
    if (!conversation || !canSee(viewer, { ...conversation, internal: false })) throw notFound('Conversation');
    return conversation;
  };

  router.get('/api/conversations', async (req, res) => {
    const viewer = requireUser(res);
    const query = parse(listQuery, req.query, 'query');
    const where: Prisma.ConversationWhereInput = {
      AND: [
        visibleTo(viewer),
        query.status ? { status: query.status } : {},
        query.assignee === 'me' ? { assigneeId: viewer.userId } : {},
        query.assignee === 'unassigned' ? { assigneeId: null } : {},
      ],
    };
    const rows = await deps.db.conversation.findMany({ where, include: conversationInclude, orderBy: { lastMessageAt: 'desc' }, take: 200 });
    res.json({ conversations: rows.map(toConversationView) });
  });

  router.get('/api/conversations/:id', async (req, res) => {
    const conversation = await visibleConversation(requireUser(res), req.params);
    res.json({ conversation: toConversationView(conversation) });
  });

  router.get('/api/conversations/:id/messages', async (req, res) => {
    const conversation = await visibleConversation(requireUser(res), req.params);
    const rows = await deps.db.message.findMany({ where: { conversationId: conversation.id }, include: messageInclude, orderBy: { createdAt: 'asc' } });
    res.json({ messages: rows.map(toMessageView) });
  });

  router.post('/api/conversations/:id/messages', async (req, res) => {
    const viewer = requireUser(res);
    const conversation = await visibleConversation(viewer, req.params);
    const input = parse(agentMessageBody, req.body);
    const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
    const result = await postMessage(deps, {
      conversationId: conversation.id,
      authorKind: 'agent',
      authorId: viewer.userId,
      body: input.body,
      private: input.private,
      idempotencyKey,
    });
    res.status(result.created ? 201 : 200).json({ message: result.message });
  });

  router.post('/api/conversations/:id/resolve', async (req, res) => {
    const viewer = requireUser(res);
    const conversation = await visibleConversation(viewer, req.params);
    res.json({ conversation: await resolveConversation(deps, conversation.id, viewer.userId) });
  });

  return router;
}
