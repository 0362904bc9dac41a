// Conversation commands shared by the widget and console routes. Each stores its change and
// event first (so an accepted message is durable), then tells the workflow when it must know.
// What the workflow must hear of — its start, a message that changes its state, new tags — is
// written to the workflow outbox in the same transaction as the change, and handed to Temporal
// right after the commit (workflow-gateway.ts): a process that dies in between, or a Temporal
// that is away, delays the delivery but never loses it.
import { randomUUID } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/common';
import { messageWakesWorkflow } from '../../domain/conversation-flow.js';
import { eventTypes } from '../../domain/events.js';
import { conversationWorkflowId } from '../../domain/workflow-ids.js';
import { appendEvent } from '../../infra/event-log.js';
import { conversationInclude, conversationScope, messageInclude, toConversationView, toMessageView, type MessageRow } from '../../infra/views.js';
import { Prisma } from '../../prisma/generated/client.js';
import { conversationFailures, mergeUpdate, type ConversationState } from '../../workflows/conversation.messages.js';
import type { Tx } from '../../infra/db.js';
import type { ApiDeps } from '../deps.js';
import { canSee, type StaffViewer } from '../../domain/visibility.js';
import { badRequest, conflict, HttpError, notFound, unauthorized } from '../http-error.js';
import { ownedKey, type KeySender } from './idempotency.js';
import type { NewMessage } from './message-store.js';
import { messageWriterOf } from './message-writer.js';
import { findOrCreate, isForeignKeyViolation } from './prisma-errors.js';
import { workflowGateway, type Refusals } from './workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;

/**
 * A replay: the first request may have died between its commit and the delivery, and its rows
 * may still wait; they go now (the request waits a little for it, not at all while Temporal is away).
 */
const deliverWaiting = (deps: Deps, conversationId: string) => workflowGateway(deps).deliverWaiting([conversationWorkflowId(conversationId)]);

export interface StartConversationInput {
  customerId: string;
  body: string;
  idempotencyKey: string | null;
  /** The channel it came in on (the email pipeline names its channel); the first enabled web chat when absent. */
  channelId?: string;
  subject?: string | null;
  /** Stored with the first message (an email's headers). */
  metadata?: Record<string, unknown>;
  /** false: nothing may answer the first message automatically (an auto-reply, a bounce): its workflow starts knowing it. */
  autoAnswer?: boolean;
  /** Binds the first message's files in its own transaction, before its events are written (an email's attachments): message.created lists them. */
  withFiles?: (tx: Tx, created: { conversationId: string; messageId: string }) => Promise<void>;
}

/**
 * A customer opens a conversation with a first message. `created` is false for a replayed key,
 * which is the customer's own: unique per customer, and only the customer starts one.
 */
export async function startConversation(deps: Deps, input: StartConversationInput) {
  const { db } = deps;
  const replay = async () => {
    const existing = input.idempotencyKey
      ? await db.conversation.findUnique({
          where: { customerId_idempotencyKey: { customerId: input.customerId, idempotencyKey: input.idempotencyKey } },
          include: { ...conversationInclude, messages: { include: messageInclude, orderBy: { createdAt: 'asc' }, take: 1 } },
        })
      : null;
    if (!existing) return null;
    // Its start was written with it: delivered already, or waiting in the outbox.
    await deliverWaiting(deps, existing.id);
    const { messages, ...conversation } = existing;
    return { created: false, conversation: toConversationView(conversation), message: toMessageView(messages[0]!) };
  };

  return findOrCreate(replay, async () => {
    const channel = await db.channel.findFirst({
      where: input.channelId ? { id: input.channelId, enabled: true } : { kind: 'web_chat', enabled: true },
      orderBy: { createdAt: 'asc' },
    });
    if (!channel) throw new HttpError(503, 'channel_unavailable', input.channelId ? 'The channel is not enabled.' : 'Web chat is not enabled.');

    const id = randomUUID();
    const outbox = workflowGateway(deps).outbox();
    const stored = await db.$transaction(async (tx) => {
      // Only the customer is read back: the channel is known, a new conversation has no assignee,
      // and a new customer message has no author user, mail or files (each include is a query).
      const inserted = await tx.conversation.create({
        data: {
          id,
          workflowId: conversationWorkflowId(id),
          customerId: input.customerId,
          channelId: channel.id,
          status: 'queued',
          waitingOn: 'agent',
          idempotencyKey: input.idempotencyKey,
          subject: input.subject ?? null,
        },
        include: { customer: conversationInclude.customer },
      });
      const created = { ...inserted, assignee: null, channel: { kind: channel.kind } };
      const row = await tx.message.create({
        data: {
          conversationId: id,
          authorKind: 'customer',
          customerId: input.customerId,
          body: input.body,
          ...(input.metadata ? { metadata: input.metadata as Prisma.InputJsonObject } : {}),
        },
      });
      let message: MessageRow = { ...row, authorUser: null, customer: { name: inserted.customer.name }, outboundEmail: null, attachments: [] };
      if (input.withFiles) {
        await input.withFiles(tx, { conversationId: id, messageId: message.id });
        message = await tx.message.findUniqueOrThrow({ where: { id: message.id }, include: messageInclude });
      }
      const conversation = toConversationView(created);
      const scope = conversationScope(created);
      await appendEvent(tx, {
        type: eventTypes.conversationCreated,
        actorKind: 'customer',
        actorId: input.customerId,
        conversationId: id,
        ...scope,
        payload: { conversation },
      });
      await appendEvent(tx, {
        type: eventTypes.messageCreated,
        actorKind: 'customer',
        actorId: input.customerId,
        conversationId: id,
        ...scope,
        payload: { message: toMessageView(message) },
      });
      // The workflow's start, promised in the same transaction, with the lease to deliver it
      // after the commit (a conversation this new has no holder yet).
      await outbox.write(tx, [{ kind: 'start_conversation', conversationId: id, ...(input.autoAnswer === false ? { autoAnswer: false as const } : {}) }]);
      return { conversation, message: toMessageView(message) };
    });
    await outbox.deliver();
    return { created: true, ...stored };
  }).catch(refuseGoneCustomer);
}

/**
 * The customer row went after the caller was authenticated: a contact merged into another
 * (services/customer-merge.ts) whose token this process still remembered for a moment. 401, as
 * for any token that names nobody.
 */
function refuseGoneCustomer(error: unknown): never {
  if (isForeignKeyViolation(error)) throw unauthorized('This visitor was merged into another contact or removed: start again.');
  throw error;
}

export type PostMessageInput = NewMessage;

/** Who sends the message, as the owner of its Idempotency-Key: the customer, the agent, or the integration's key. */
function messageSender(input: PostMessageInput): KeySender {
  if (input.actor) return { kind: 'api_key', id: input.actor.id };
  if (!input.authorId) throw new Error('A message needs an author or an actor.');
  return { kind: input.authorKind === 'customer' ? 'customer' : 'user', id: input.authorId };
}

/**
 * Stores a message with its event (one statement, see message-store.ts) and, on a transition
 * (domain/conversation-flow.ts), the outbox row of the workflow's signal — and for a customer's
 * message the rows that reopen its linked pending or solved tickets; then delivers the rows.
 * A repeated Idempotency-Key returns the stored message with `created: false` and delivers what
 * the first request may have left in the outbox: the key is its sender's own (idempotency.ts),
 * so the same key from someone else in the conversation is another message.
 */
export async function postMessage(deps: Deps, request: PostMessageInput) {
  const input = { ...request, idempotencyKey: ownedKey(messageSender(request), request.idempotencyKey) };
  const outbox = workflowGateway(deps).outbox();
  const stored = await messageWriterOf(deps.db).store(input, outbox.claim);
  if (stored.outcome === 'not_found') throw notFound('Conversation');
  if (stored.outcome === 'closed') throw conflict('conversation_closed', 'This conversation is closed; start a new one.');
  if (stored.outcome === 'attachments_refused')
    throw badRequest('invalid_attachments', 'Each attachment must be one you uploaded to this conversation and not sent with another message yet.', [
      { path: 'attachmentIds' },
    ]);
  if (stored.outcome === 'duplicate') {
    const existing = await deps.db.message.findUniqueOrThrow({
      where: { conversationId_idempotencyKey: { conversationId: input.conversationId, idempotencyKey: input.idempotencyKey! } },
      include: messageInclude,
    });
    await deliverWaiting(deps, input.conversationId);
    return { created: false, message: toMessageView(existing) };
  }

  const { message } = stored;
  const wakes = messageWakesWorkflow(stored.before, { authorKind: input.authorKind, private: input.private });
  if (wakes !== (stored.outboxId !== null)) {
    // The statement's copy of the rule and the rule itself disagree (a test guards against it).
    deps.log(
      `message ${message.id}: the outbox row ${stored.outboxId === null ? 'is missing' : 'is not needed'} (message-store.ts and conversation-flow.ts disagree)`,
    );
  }
  if (stored.outboxId !== null) outbox.wrote(conversationWorkflowId(input.conversationId), stored.leaseAcquired);
  for (const workflowId of stored.ticketWorkflowIds) outbox.wrote(workflowId);
  if (stored.emailWorkflowId) outbox.wrote(stored.emailWorkflowId);
  await outbox.deliver();
  return { created: true, message };
}

/** The failure types the workflow's updates use, as HTTP answers. */
const updateRefusals: Refusals = {
  [conversationFailures.invalidInput]: { status: 400, code: 'invalid_input' },
  [conversationFailures.invalidTransition]: { status: 409, code: 'invalid_transition' },
  [conversationFailures.mergeRefused]: { status: 409, code: 'merge_refused' },
  [conversationFailures.transferRefused]: { status: 409, code: 'transfer_refused' },
};

/**
 * Runs a lifecycle update on the conversation's workflow (the only way the API changes lifecycle)
 * and returns the conversation as stored afterwards. Refusals become 400/409 with the reason.
 */
export async function updateConversation<Input>(deps: Deps, conversationId: string, update: UpdateDefinition<ConversationState, [Input]>, input: Input) {
  await workflowGateway(deps).update({
    workflowId: conversationWorkflowId(conversationId),
    update,
    input,
    refusals: updateRefusals,
    closed: { code: 'conversation_closed', message: 'This conversation is closed.' },
  });
  const conversation = await deps.db.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: conversationInclude });
  return toConversationView(conversation);
}

/** The conversation an agent, admin or integration may see, or 404: whether it exists is not revealed. */
export async function visibleConversation(db: Deps['db'], viewer: StaffViewer, id: string) {
  const conversation = await db.conversation.findUnique({ where: { id }, include: conversationInclude });
  if (!conversation || !canSee(viewer, { ...conversation, internal: false })) throw notFound('Conversation');
  return conversation;
}

/**
 * A person merges one conversation into another (the source's workflow moves its messages into
 * the target and closes it). Both sides must be visible to them: each is 404 otherwise, the
 * answer for an unknown id, so a merge neither reaches into nor reveals a conversation they may
 * not see.
 */
export async function mergeConversation(deps: Deps, viewer: Extract<StaffViewer, { kind: 'user' }>, sourceId: string, intoConversationId: string) {
  const source = await visibleConversation(deps.db, viewer, sourceId);
  const target = await visibleConversation(deps.db, viewer, intoConversationId);
  return updateConversation(deps, source.id, mergeUpdate, { byUserId: viewer.userId, intoConversationId: target.id });
}

export interface TagChange {
  add: string[];
  remove: string[];
}

/**
 * A person tags or untags a conversation: written with one event per tag (the timeline) and, for
 * the added ones, the outbox row that tells the workflow (rules on tag_added), delivered after
 * the commit. Tags are not lifecycle, so they are stored here rather than by the workflow.
 */
export async function changeTags(deps: Deps, userId: string, conversationId: string, change: TagChange) {
  const outbox = workflowGateway(deps).outbox();
  const view = await deps.db.$transaction(async (tx) => {
    const current = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    const added = change.add.filter((tag) => !current.tags.includes(tag));
    const removed = change.remove.filter((tag) => current.tags.includes(tag) && !change.add.includes(tag));
    const tags = [...current.tags.filter((tag) => !removed.includes(tag)), ...new Set(added)];
    const row = await tx.conversation.update({ where: { id: conversationId }, data: { tags }, include: conversationInclude });
    const conversation = toConversationView(row);
    const record = (type: 'conversation.tag_added' | 'conversation.tag_removed', tag: string) =>
      appendEvent(tx, { type, actorKind: 'agent', actorId: userId, conversationId, ...conversationScope(row), payload: { tag, conversation } });
    for (const tag of new Set(added)) await record('conversation.tag_added', tag);
    for (const tag of removed) await record('conversation.tag_removed', tag);
    const tagsAdded = [...new Set(added)];
    if (tagsAdded.length > 0) await outbox.write(tx, [{ kind: 'conversation_tags_added', conversationId, tags: tagsAdded }]);
    return { conversation };
  });
  await outbox.deliver();
  return view.conversation;
}
