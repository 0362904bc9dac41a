// The agent console's conversations: list, read, reply or note, resolve. Integrations read
// (conversations:read) and post replies and notes (conversations:write); lifecycle changes stay
// with people, since the workflow records which user made them.
import { Router } from 'express';
import type { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';
import { emptyBody, idParams } from '../../contract/requests/common.js';
import {
  agentMessageBody,
  bulkConversationBody,
  conversationListQuery,
  emailConversationBody,
  mergeBody,
  messageListQuery,
  priorityBody,
  snoozeBody,
  tagsBody,
  transferBody,
} from '../../contract/requests/conversations.js';
import type { StaffViewer } from '../../domain/visibility.js';
import { actorOf } from '../../infra/auth/principal.js';
import { toConversationView } from '../../infra/views.js';
import { requireScope, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { findConversations, findMessages } from '../finders/conversation-finder.js';
import { badRequest } from '../http-error.js';
import {
  changeTags,
  mergeConversation,
  postMessage,
  updateConversation,
  visibleConversation as findVisibleConversation,
} from '../services/conversation-service.js';
import { applyBulkAction } from '../services/bulk-conversations.js';
import { markConversationRead } from '../services/conversation-reads.js';
import { startEmailConversation } from '../services/email/start-email-conversation.js';
import { announceMentions, checkMentions } from '../services/mention-service.js';
import { reopenUpdate, resolveUpdate, setPriorityUpdate, snoozeUpdate, transferUpdate, type ConversationState } from '../../workflows/conversation.messages.js';
import { idempotencyKeyOf, parse } from '../validate.js';

export function conversationRoutes(deps: ApiDeps): Router {
  const router = Router();

  const visibleConversation = (viewer: StaffViewer, params: unknown) => findVisibleConversation(deps.db, viewer, parse(idParams, params, 'path').id);

  router.get('/api/conversations', async (req, res) => {
    const viewer = requireScope(res, 'conversations:read');
    const query = parse(conversationListQuery, req.query, 'query');
    if (query.assignee === 'me' && viewer.kind !== 'user')
      throw badRequest('invalid_input', 'assignee=me needs a signed-in agent: an API key is assigned nothing.');
    res.json(await findConversations(deps.db, viewer, query));
  });

  // An agent writes first, by email (issue 17): the conversation is theirs and its first mail leaves at once.
  router.post('/api/conversations', async (req, res) => {
    const user = requireUser(res);
    const input = parse(emailConversationBody, req.body);
    const result = await startEmailConversation(deps, user.userId, input, idempotencyKeyOf(req.get('idempotency-key')));
    res.status(result.created ? 201 : 200).json({ conversation: result.conversation, message: result.message });
  });

  router.get('/api/conversations/:id', async (req, res) => {
    const conversation = await visibleConversation(requireScope(res, 'conversations:read'), req.params);
    res.json({ conversation: toConversationView(conversation) });
  });

  router.get('/api/conversations/:id/messages', async (req, res) => {
    const conversation = await visibleConversation(requireScope(res, 'conversations:read'), req.params);
    res.json(await findMessages(deps.db, conversation.id, parse(messageListQuery, req.query, 'query')));
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
      attachmentIds: input.attachmentIds,
    });
    // Announced once: a retried request (same Idempotency-Key) finds the note already stored.
    if (result.created)
      await announceMentions(deps.db, { conversation, message: result.message, by: { userId: actor.userId, name: result.message.authorName } }, input.mentions);
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

  // One action on several conversations, each checked and applied as its single route would be; 200 with each one's outcome.
  router.post('/api/conversations/bulk', async (req, res) => {
    const viewer = requireUser(res);
    const body = parse(bulkConversationBody, req.body ?? {});
    res.json({ results: await applyBulkAction(deps, viewer, body) });
  });

  // The agent has read the conversation (the console sends it on opening it): its row's unread count drops to 0, for this agent only.
  router.post('/api/conversations/:id/read', async (req, res) => {
    const viewer = requireUser(res);
    const conversation = await visibleConversation(viewer, req.params);
    parse(emptyBody, req.body ?? {});
    await markConversationRead(deps.db, conversation.id, viewer.userId);
    res.status(204).end();
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

  lifecycle('resolve', emptyBody, resolveUpdate, (_body, byUserId) => ({ byUserId }));
  lifecycle('reopen', emptyBody, reopenUpdate, (_body, byUserId) => ({ byUserId }));
  lifecycle('snooze', snoozeBody, snoozeUpdate, ({ until }, byUserId) => ({ byUserId, until: until ?? null }));
  lifecycle('transfer', transferBody, transferUpdate, (body, byUserId) => ({ byUserId, ...body }));
  lifecycle('priority', priorityBody, setPriorityUpdate, ({ priority }, byUserId) => ({ byUserId, priority }));

  return router;
}
