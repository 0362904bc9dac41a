// Agent-initiated email (issue 17): an agent or admin writes first to a customer who never wrote,
// on an email channel. One transaction stores the conversation — open, assigned to its author,
// in their team — with its conversation.created / conversation.assigned events, the workflow's
// start (autoAnswer: false: no bot, no rules on a customer message that never came), and the
// agent's first message through the message statement (message-store.ts), which promises its mail
// (OutboundEmail + send_email, the path of every email reply) and the first-response signal. The
// conversation then waits on the customer; their answer threads back by the reply address or by
// In-Reply-To, like any reply.
import { randomUUID } from 'node:crypto';
import type { EmailConversationBody } from '../../../contract/requests/conversations.js';
import type { Tx } from '../../../infra/db.js';
import { eventTypes } from '../../../domain/events.js';
import { conversationWorkflowId } from '../../../domain/workflow-ids.js';
import { appendEvent } from '../../../infra/event-log.js';
import { conversationInclude, conversationScope, messageInclude, toConversationView, toMessageView } from '../../../infra/views.js';
import type { ApiDeps } from '../../deps.js';
import { badRequest, conflict } from '../../http-error.js';
import { ownedKey } from '../idempotency.js';
import { storeMessage } from '../message-store.js';
import { findOrCreate } from '../prisma-errors.js';
import { workflowGateway } from '../workflow-gateway.js';
import { customerByEmail } from './email-customer.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;

/**
 * `created` is false for a replayed Idempotency-Key of the same agent (the conversation's key is
 * the agent's own, as for messages): the stored conversation and first message are answered.
 */
export async function startEmailConversation(
  deps: Deps,
  userId: string,
  input: EmailConversationBody,
  idempotencyKey: string | null,
  /** Runs in the storing transaction once the conversation row exists: a caller's lock, check and link (a ticket's first reply); throwing stores nothing. */
  withConversation?: (tx: Tx, conversationId: string) => Promise<void>,
) {
  const { db } = deps;
  const channel = await db.channel.findUnique({ where: { id: input.channelId } });
  if (!channel) throw badRequest('invalid_input', 'No such channel.', [{ path: 'channelId', message: 'No such channel' }]);
  if (channel.kind !== 'email') throw conflict('not_email_channel', 'Only an email channel can start a conversation by email.');
  if (!channel.enabled) throw conflict('channel_disabled', 'The email channel is switched off.');
  const agent = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { teamId: true } });
  const customerId = await customerByEmail(db, input.customerEmail, input.customerName);
  const key = ownedKey({ kind: 'user', id: userId }, idempotencyKey);

  const replay = async () => {
    if (!key) return null;
    const existing = await db.conversation.findUnique({
      where: { customerId_idempotencyKey: { customerId, idempotencyKey: key } },
      include: { ...conversationInclude, messages: { include: messageInclude, orderBy: { createdAt: 'asc' }, take: 1 } },
    });
    if (!existing) return null;
    await workflowGateway(deps).deliverWaiting([conversationWorkflowId(existing.id)]);
    const { messages, ...conversation } = existing;
    return { created: false, conversation: toConversationView(conversation), message: toMessageView(messages[0]!) };
  };
  return findOrCreate(replay, async () => {
    const id = randomUUID();
    const outbox = workflowGateway(deps).outbox();
    const stored = await db.$transaction(async (tx) => {
      const created = await tx.conversation.create({
        data: {
          id,
          workflowId: conversationWorkflowId(id),
          customerId,
          channelId: channel.id,
          status: 'open',
          assigneeId: userId,
          teamId: agent.teamId,
          waitingOn: 'agent',
          idempotencyKey: key,
          subject: input.subject,
        },
        include: conversationInclude,
      });
      await withConversation?.(tx, id);
      const scope = conversationScope(created);
      await appendEvent(tx, {
        type: eventTypes.conversationCreated,
        actorKind: 'agent',
        actorId: userId,
        conversationId: id,
        ...scope,
        payload: { conversation: toConversationView(created) },
      });
      await appendEvent(tx, {
        type: eventTypes.conversationAssigned,
        actorKind: 'agent',
        actorId: userId,
        conversationId: id,
        ...scope,
        payload: { conversation: toConversationView(created), previousAssigneeId: null },
      });
      await outbox.write(tx, [{ kind: 'start_conversation', conversationId: id, autoAnswer: false }]);
      const message = await storeMessage(tx, {
        conversationId: id,
        authorKind: 'agent',
        authorId: userId,
        body: input.body,
        private: false,
        idempotencyKey: null,
      });
      if (message.outcome !== 'stored') throw new Error(`the first message of conversation ${id} was not stored: ${message.outcome}`);
      if (message.emailWorkflowId) outbox.wrote(message.emailWorkflowId);
      const after = await tx.conversation.findUniqueOrThrow({ where: { id }, include: conversationInclude });
      return { conversation: toConversationView(after), message: message.message };
    });
    await outbox.deliver();
    return { created: true, ...stored };
  });
}
