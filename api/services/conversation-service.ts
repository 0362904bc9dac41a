// Conversation commands shared by the widget and console routes. Each stores its change and
// event first (so an accepted message is durable), then tells the workflow when it must know.
// What the workflow must hear of — its start, a message that changes its state, new tags — is
// written to the workflow outbox in the same transaction as the change, and handed to Temporal
// right after the commit (workflow-gateway.ts): a process that dies in between, or a Temporal
// that is away, delays the delivery but never loses it.
import type { UpdateDefinition } from '@temporalio/common';
import { messageWakesWorkflow } from '../../domain/conversation-flow.js';
import { eventTypes } from '../../domain/events.js';
import { conversationWorkflowId } from '../../domain/workflow-ids.js';
import { appendEvent } from '../../infra/event-log.js';
import { conversationInclude, conversationScope, messageInclude, toConversationView, toMessageView } from '../../infra/views.js';
import { conversationFailures, mergeUpdate, type ConversationState } from '../../workflows/conversation.messages.js';
import { poolOf, type Tx } from '../../infra/db.js';
import type { ApiDeps } from '../deps.js';
import { canSee, type StaffViewer } from '../../domain/visibility.js';
import { badRequest, conflict, HttpError, notFound, unauthorized } from '../http-error.js';
import { ownedKey, type KeySender } from './idempotency.js';
import type { NewMessage } from './message-store.js';
import { messageWriterOf } from './message-writer.js';
import { isMissingReference, storeStart, storeStartOn, type NewConversation } from './conversation-start-store.js';
import { workflowGateway, type Refusals } from './workflow-gateway.js';
import type { WritingClaim } from './workflow-outbox.js';

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
  /** The visitor's time zone (canonical, knownTimeZone in visitor-service.ts): kept on the customer when it differs, in the same statement. */
  timeZone?: string | null;
  /** Binds the first message's files in its own transaction, before its events are written (an email's attachments): message.created lists them. */
  withFiles?: (tx: Tx, created: { conversationId: string; messageId: string }) => Promise<void>;
}

/**
 * A customer opens a conversation with a first message. `created` is false for a replayed key,
 * which is the customer's own: unique per customer, and only the customer starts one.
 */
export async function startConversation(deps: Deps, input: StartConversationInput) {
  const outbox = workflowGateway(deps).outbox();
  const started: NewConversation = {
    customerId: input.customerId,
    body: input.body,
    idempotencyKey: input.idempotencyKey,
    channelId: input.channelId ?? null,
    subject: input.subject ?? null,
    metadata: input.metadata,
    autoAnswer: input.autoAnswer,
    timeZone: input.timeZone ?? null,
    withEvents: !input.withFiles,
  };
  const stored = await (input.withFiles ? startWithFiles(deps.db, started, outbox.claim, input.withFiles) : startAlone(deps.db, started, outbox.claim)).catch(
    refuseGoneCustomer,
  );
  if (stored.outcome === 'no_channel')
    throw new HttpError(503, 'channel_unavailable', input.channelId ? 'The channel is not enabled.' : 'Web chat is not enabled.');
  if (stored.outcome === 'key_taken') return replayStart(deps, input.customerId, input.idempotencyKey!);
  // The workflow's start was promised in the same statement, with the lease to deliver it now
  // (a conversation this new has no holder yet).
  outbox.wrote(stored.workflowId, stored.leaseAcquired, [stored.outboxRow]);
  await outbox.deliver();
  return { created: true, conversation: stored.conversation, message: stored.message };
}

/** The widget's start: one statement, on the pool under Prisma when there is one (infra/db.ts poolOf). */
function startAlone(db: Deps['db'], input: NewConversation, claim: WritingClaim | null) {
  const pool = poolOf(db);
  return pool ? storeStartOn(pool, input, claim) : storeStart(db, input, claim);
}

/**
 * A start whose first message brings files (an email's attachments): the statement, the files
 * bound, then the events, in one transaction, so message.created lists the files.
 */
async function startWithFiles(db: Deps['db'], input: NewConversation, claim: WritingClaim | null, withFiles: NonNullable<StartConversationInput['withFiles']>) {
  return db.$transaction(async (tx) => {
    const stored = await storeStart(tx, input, claim);
    if (stored.outcome !== 'stored') return stored;
    const { conversation } = stored;
    await withFiles(tx, { conversationId: conversation.id, messageId: stored.message.id });
    const message = toMessageView(await tx.message.findUniqueOrThrow({ where: { id: stored.message.id }, include: messageInclude }));
    const event = { actorKind: 'customer', actorId: input.customerId, conversationId: conversation.id, ...conversationScope(conversation) } as const;
    await appendEvent(tx, { ...event, type: eventTypes.conversationCreated, payload: { conversation } });
    await appendEvent(tx, { ...event, type: eventTypes.messageCreated, payload: { message } });
    return { ...stored, message };
  });
}

/** A replayed key: the conversation it started, with whatever its first attempt left in the outbox delivered now. */
async function replayStart(deps: Deps, customerId: string, idempotencyKey: string) {
  const existing = await deps.db.conversation.findUniqueOrThrow({
    where: { customerId_idempotencyKey: { customerId, idempotencyKey } },
    include: { ...conversationInclude, messages: { include: messageInclude, orderBy: { createdAt: 'asc' }, take: 1 } },
  });
  // Its start was written with it: delivered already, or waiting in the outbox.
  await deliverWaiting(deps, existing.id);
  const { messages, ...conversation } = existing;
  return { created: false, conversation: toConversationView(conversation), message: toMessageView(messages[0]!) };
}

/**
 * The customer row went after the caller was authenticated: a contact merged into another
 * (services/customer-merge.ts) whose token this process still remembered for a moment. 401, as
 * for any token that names nobody.
 */
function refuseGoneCustomer(error: unknown): never {
  if (isMissingReference(error)) throw unauthorized('This visitor was merged into another contact or removed: start again.');
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
