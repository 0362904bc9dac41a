// The agent console's conversations: list, read, reply or note, resolve. Integrations read
// (conversations:read) and post replies and notes (conversations:write); lifecycle changes stay
// with people, since the workflow records which user made them.
import { Router } from 'express';
import { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';
import { conversationStatuses, priorities } from '../../domain/vocabulary.js';
import type { StaffViewer } from '../../domain/visibility.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { actorOf } from '../../infra/auth/principal.js';
import { inBothChineseScripts } from '../../infra/chinese-text.js';
import { conversationInclude, messageInclude, toConversationView, toMessageView } from '../../infra/views.js';
import { requireScope, requireUser } from '../authentication.js';
import { escapeLike } from '../admin-fields.js';
import type { ApiDeps } from '../deps.js';
import { badRequest } from '../http-error.js';
import { changeTags, mergeConversation, postMessage, updateConversation, visibleConversation as findVisibleConversation } from '../services/conversation-service.js';
import { announceMentions, checkMentions } from '../services/mention-service.js';
import {
  reopenUpdate,
  resolveUpdate,
  setPriorityUpdate,
  snoozeUpdate,
  transferUpdate,
  type ConversationState,
} from '../../workflows/conversation.messages.js';
import { idempotencyKeyOf, parse } from '../validate.js';
import { messageBody } from './widget-routes.js';

const listQuery = z.strictObject({
  status: z.enum(conversationStatuses).optional(),
  assignee: z.enum(['me', 'unassigned']).optional(),
  priority: z.enum(priorities).optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  /** Words in the customer's name or email or in any message (Chinese too: a substring match). */
  q: z.string().trim().min(1).max(200).optional(),
});
const idParams = z.object({ id: z.uuid() });
const agentMessageBody = z
  .strictObject({
    body: messageBody,
    private: z.boolean().default(false),
    /** Colleagues @mentioned in a private note (user ids, picked in the console). */
    mentions: z.array(z.uuid()).max(20).default([]),
  })
  .refine((body) => body.private || body.mentions.length === 0, { message: 'Only private notes can mention colleagues.', path: ['mentions'] });
const noBody = z.strictObject({});
const snoozeBody = z.strictObject({ until: z.iso.datetime({ offset: true }).nullable().optional() });
const transferBody = z
  .strictObject({ toAgentId: z.uuid().optional(), toTeamId: z.uuid().optional() })
  .refine((body) => Boolean(body.toAgentId) !== Boolean(body.toTeamId), { message: 'Give exactly one of toAgentId and toTeamId.' });
const priorityBody = z.strictObject({ priority: z.enum(priorities) });
const tagList = z.array(z.string().trim().min(1).max(50)).max(20).default([]);
const tagsBody = z.strictObject({ add: tagList, remove: tagList }).refine((body) => body.add.length + body.remove.length > 0, { message: 'Give tags to add or remove.' });
const mergeBody = z.strictObject({ intoConversationId: z.uuid() });

/** The same rule as domain/visibility.ts, as a database filter. */
function visibleTo(viewer: StaffViewer): Prisma.ConversationWhereInput {
  if (viewer.kind === 'integration' || viewer.role === 'admin') return {};
  return { OR: [{ assigneeId: viewer.userId }, { teamId: null }, ...(viewer.teamId ? [{ teamId: viewer.teamId }] : [])] };
}

/**
 * Conversations whose customer or messages contain the text (case-insensitive), in either Chinese
 * script: messages are stored as customers typed them, 被盗 or 被盜.
 */
function textMatch(text: string): Prisma.ConversationWhereInput {
  return {
    OR: inBothChineseScripts(text).flatMap((variant) => {
      const contains = { contains: escapeLike(variant), mode: 'insensitive' as const };
      return [{ customer: { name: contains } }, { customer: { email: contains } }, { messages: { some: { body: contains } } }];
    }),
  };
}

export function conversationRoutes(deps: ApiDeps): Router {
  const router = Router();

  const visibleConversation = (viewer: StaffViewer, params: unknown) =>
    findVisibleConversation(deps.db, viewer, parse(idParams, params, 'path').id);

  router.get('/api/conversations', async (req, res) => {
    const viewer = requireScope(res, 'conversations:read');
    const query = parse(listQuery, req.query, 'query');
    const me = viewer.kind === 'user' ? viewer.userId : null;
    if (query.assignee === 'me' && !me) throw badRequest('invalid_input', 'assignee=me needs a signed-in agent: an API key is assigned nothing.');
    const where: Prisma.ConversationWhereInput = {
      AND: [
        visibleTo(viewer),
        query.status ? { status: query.status } : {},
        query.assignee === 'me' ? { assigneeId: me } : {},
        query.assignee === 'unassigned' ? { assigneeId: null } : {},
        query.priority ? { priority: query.priority } : {},
        query.tag ? { tags: { has: query.tag } } : {},
        query.q ? textMatch(query.q) : {},
      ],
    };
    const rows = await deps.db.conversation.findMany({ where, include: conversationInclude, orderBy: { lastMessageAt: 'desc' }, take: 200 });
    res.json({ conversations: rows.map(toConversationView) });
  });

  router.get('/api/conversations/:id', async (req, res) => {
    const conversation = await visibleConversation(requireScope(res, 'conversations:read'), req.params);
    res.json({ conversation: toConversationView(conversation) });
  });

  router.get('/api/conversations/:id/messages', async (req, res) => {
    const conversation = await visibleConversation(requireScope(res, 'conversations:read'), req.params);
    const rows = await deps.db.message.findMany({ where: { conversationId: conversation.id }, include: messageInclude, orderBy: { createdAt: 'asc' } });
    res.json({ messages: rows.map(toMessageView) });
  });

  router.post('/api/conversations/:id/messages', async (req, res) => {
    const viewer = requireScope(res, 'conversations:write');
    const conversation = await visibleConversation(viewer, req.params);
    const input = parse(agentMessageBody, req.body);
    const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
    const actor = actorOf(viewer);
    await checkMentions(deps.db, conversation, input.mentions);
    // An integration writes on the agents' side (a reply answers the customer) with no person
    // as author; its event names the system and the key.
    const result = await postMessage(deps, {
      conversationId: conversation.id,
      authorKind: 'agent',
      authorId: actor.userId,
      actor: actor.actorKind === 'system' ? { kind: 'system', id: actor.actorId } : undefined,
      body: input.body,
      private: input.private,
      idempotencyKey,
    });
    // Announced once: a retried request (same Idempotency-Key) finds the note already stored.
    if (result.created) await announceMentions(deps.db, { conversation, message: result.message, by: { userId: actor.userId, name: result.message.authorName } }, input.mentions);
    res.status(result.created ? 201 : 200).json({ message: result.message });
  });

  /** One lifecycle action: validate the body, check the caller may see the conversation, run the update. */
  const lifecycle = <Schema extends z.ZodType, Input>(
    action: string,
    schema: Schema,
    update: UpdateDefinition<ConversationState, [Input]>,
    toInput: (body: z.infer<Schema>, userId: string) => Input,
  ) =>
    router.post(`/api/conversations/:id/${action}`, async (req, res) => {
      const viewer = requireUser(res);
      const conversation = await visibleConversation(viewer, req.params);
      const body = parse(schema, req.body ?? {});
      res.json({ conversation: await updateConversation(deps, conversation.id, update, toInput(body, viewer.userId)) });
    });

  router.post('/api/conversations/:id/tags', async (req, res) => {
    const viewer = requireUser(res);
    const conversation = await visibleConversation(viewer, req.params);
    const body = parse(tagsBody, req.body ?? {});
    res.json({ conversation: await changeTags(deps, viewer.userId, conversation.id, body) });
  });

  // Two conversations: the service checks the caller may see both (404 for either otherwise).
  router.post('/api/conversations/:id/merge', async (req, res) => {
    const viewer = requireUser(res);
    const conversation = await visibleConversation(viewer, req.params);
    const { intoConversationId } = parse(mergeBody, req.body ?? {});
    res.json({ conversation: await mergeConversation(deps, viewer, conversation.id, intoConversationId) });
  });

  lifecycle('resolve', noBody, resolveUpdate, (_body, byUserId) => ({ byUserId }));
  lifecycle('reopen', noBody, reopenUpdate, (_body, byUserId) => ({ byUserId }));
  lifecycle('snooze', snoozeBody, snoozeUpdate, ({ until }, byUserId) => ({ byUserId, until: until ?? null }));
  lifecycle('transfer', transferBody, transferUpdate, (body, byUserId) => ({ byUserId, ...body }));
  lifecycle('priority', priorityBody, setPriorityUpdate, ({ priority }, byUserId) => ({ byUserId, priority }));

  return router;
}
