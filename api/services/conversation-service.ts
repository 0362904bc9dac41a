// Conversation commands shared by the widget and console routes. Each stores its change and
// event first (so an accepted message is durable), then tells the workflow when it must know.
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { messageWakesWorkflow, waitingOnAfter } from '../../domain/conversation-flow.js';
import { eventTypes } from '../../domain/events.js';
import { conversationWorkflowId } from '../../domain/workflow-ids.js';
import type { AuthorKind, WaitingOn } from '../../domain/vocabulary.js';
import { appendEvent } from '../../infra/event-log.js';
import { conversationInclude, conversationScope, messageInclude, toConversationView, toMessageView } from '../../infra/views.js';
import { Prisma } from '../../prisma/generated/client.js';
import {
  agentsAvailableSignal,
  conversationWorkflowName,
  messagePostedSignal,
  resolveUpdate,
  type ConversationWorkflowInput,
} from '../../workflows/conversation.messages.js';
import type { ApiDeps } from '../deps.js';
import { conflict, HttpError } from '../http-error.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log'>;

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** Starts the conversation's workflow; starting one that already runs is fine (idempotent). */
async function ensureWorkflow(deps: Deps, conversationId: string): Promise<void> {
  const input: ConversationWorkflowInput = { conversationId };
  try {
    await deps.temporal.workflow.start(conversationWorkflowName, {
      taskQueue: deps.taskQueue,
      workflowId: conversationWorkflowId(conversationId),
      args: [input],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    deps.log(`could not start the workflow of conversation ${conversationId}`, error);
    throw new HttpError(
      503,
      'workflow_unavailable',
      'Your message is stored, but routing is unavailable right now. Retry with the same Idempotency-Key.',
    );
  }
}

export interface StartConversationInput {
  customerId: string;
  body: string;
  idempotencyKey: string | null;
}

/** A customer opens a conversation with a first message. `created` is false for a replayed key. */
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
    await ensureWorkflow(deps, existing.id);
    const { messages, ...conversation } = existing;
    return { created: false, conversation: toConversationView(conversation), message: toMessageView(messages[0]!) };
  };

  const replayed = await replay();
  if (replayed) return replayed;

  const channel = await db.channel.findFirst({ where: { kind: 'web_chat', enabled: true }, orderBy: { createdAt: 'asc' } });
  if (!channel) throw new HttpError(503, 'channel_unavailable', 'Web chat is not enabled.');

  const id = randomUUID();
  let stored;
  try {
    stored = await db.$transaction(async (tx) => {
      const created = await tx.conversation.create({
        data: {
          id,
          workflowId: conversationWorkflowId(id),
          customerId: input.customerId,
          channelId: channel.id,
          status: 'queued',
          waitingOn: 'agent',
          idempotencyKey: input.idempotencyKey,
        },
        include: conversationInclude,
      });
      const message = await tx.message.create({
        data: { conversationId: id, authorKind: 'customer', customerId: input.customerId, body: input.body },
        include: messageInclude,
      });
      const conversation = toConversationView(created);
      const scope = conversationScope(created);
      await appendEvent(tx, { type: eventTypes.conversationCreated, actorKind: 'customer', actorId: input.customerId, conversationId: id, ...scope, payload: { conversation } });
      await appendEvent(tx, { type: eventTypes.messageCreated, actorKind: 'customer', actorId: input.customerId, conversationId: id, ...scope, payload: { message: toMessageView(message) } });
      return { conversation, message: toMessageView(message) };
    });
  } catch (error) {
    // Two requests with one key raced: the other one stored it.
    if (isUniqueViolation(error)) {
      const raced = await replay();
      if (raced) return raced;
    }
    throw error;
  }
  await ensureWorkflow(deps, id);
  return { created: true, ...stored };
}

export interface PostMessageInput {
  conversationId: string;
  authorKind: Extract<AuthorKind, 'customer' | 'agent'>;
  /** The agent's user id or the customer's id. */
  authorId: string;
  body: string;
  private: boolean;
  idempotencyKey: string | null;
}

interface LockedConversation {
  status: string;
  waitingOn: WaitingOn | null;
  firstResponseAt: Date | null;
}

/** Stores a message, updates who the conversation waits on, and signals the workflow only on a transition. */
export async function postMessage(deps: Deps, input: PostMessageInput) {
  const { db } = deps;
  const replay = async () => {
    if (!input.idempotencyKey) return null;
    const existing = await db.message.findUnique({
      where: { conversationId_idempotencyKey: { conversationId: input.conversationId, idempotencyKey: input.idempotencyKey } },
      include: messageInclude,
    });
    return existing ? { created: false, message: toMessageView(existing) } : null;
  };
  const replayed = await replay();
  if (replayed) return replayed;

  let outcome;
  try {
    outcome = await db.$transaction(async (tx) => {
      // Row lock: concurrent messages of one conversation see each other's waitingOn.
      const [locked] = await tx.$queryRaw<LockedConversation[]>`
        SELECT status::text AS status, "waitingOn"::text AS "waitingOn", "firstResponseAt"
        FROM "Conversation" WHERE id = ${input.conversationId}::uuid FOR UPDATE`;
      if (!locked) throw new HttpError(404, 'not_found', 'Conversation was not found.');
      if (locked.status === 'resolved' || locked.status === 'closed') {
        throw conflict('conversation_closed', 'This conversation is resolved; start a new one.');
      }
      const facts = { authorKind: input.authorKind, private: input.private };
      const isAgent = input.authorKind === 'agent';
      const message = await tx.message.create({
        data: {
          conversationId: input.conversationId,
          authorKind: input.authorKind,
          authorUserId: isAgent ? input.authorId : null,
          customerId: isAgent ? null : input.authorId,
          body: input.body,
          private: input.private,
          idempotencyKey: input.idempotencyKey,
        },
        include: messageInclude,
      });
      const conversation = await tx.conversation.update({
        where: { id: input.conversationId },
        data: {
          waitingOn: waitingOnAfter(locked.waitingOn, facts),
          lastMessageAt: message.createdAt,
          firstResponseAt: isAgent && !input.private && !locked.firstResponseAt ? message.createdAt : undefined,
        },
      });
      const view = toMessageView(message);
      await appendEvent(tx, {
        type: eventTypes.messageCreated,
        actorKind: input.authorKind,
        actorId: input.authorId,
        conversationId: input.conversationId,
        ...conversationScope(conversation),
        internal: input.private,
        payload: { message: view },
      });
      return { message: view, wakes: messageWakesWorkflow(locked, facts) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const raced = await replay();
      if (raced) return raced;
    }
    throw error;
  }

  if (outcome.wakes) {
    try {
      await deps.temporal.workflow
        .getHandle(conversationWorkflowId(input.conversationId))
        .signal(messagePostedSignal, { messageId: outcome.message.id, authorKind: input.authorKind });
    } catch (error) {
      // The message is stored and delivered; only the workflow's view of who waits is late.
      deps.log(`could not signal conversation ${input.conversationId}`, error);
    }
  }
  return { created: true, message: outcome.message };
}

/** An agent resolves the conversation through its workflow (the workflow writes the change). */
export async function resolveConversation(deps: Deps, conversationId: string, byUserId: string) {
  try {
    await deps.temporal.workflow.getHandle(conversationWorkflowId(conversationId)).executeUpdate(resolveUpdate, { args: [{ byUserId }] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError) {
      throw conflict('conversation_closed', 'This conversation is already resolved.');
    }
    throw error;
  }
  const conversation = await deps.db.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: conversationInclude });
  return toConversationView(conversation);
}

/** Capacity appeared (an agent came online): queued conversations try routing again, oldest first. */
export async function offerQueuedConversations(deps: Deps, reason: string): Promise<void> {
  const queued = await deps.db.conversation.findMany({
    where: { status: 'queued' },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
    take: 100,
  });
  for (const { id } of queued) {
    try {
      await deps.temporal.workflow.getHandle(conversationWorkflowId(id)).signal(agentsAvailableSignal, { reason });
    } catch (error) {
      deps.log(`could not offer conversation ${id} for routing`, error);
    }
  }
}
