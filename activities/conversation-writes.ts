// The two writes every conversation activity builds on, each inside the caller's transaction:
// a change of the conversation with the event that records it, and a message the system adds
// (a bot answer, a hand-off note) with its `message.created` event.
import type { EventDetailsOf } from '../contract/events.js';
import { eventTypes, type EventType } from '../domain/events.js';
import type { Tx } from '../infra/db.js';
import { appendEvent, appendEventOfAnyType } from '../infra/event-log.js';
import type { Prisma } from '../prisma/generated/client.js';
import { emailDeliveryWorkflowId } from '../domain/workflow-ids.js';
import { conversationInclude, conversationScope, deliveryOf, messageInclude, toConversationView, toMessageView, type MessageView } from '../infra/views.js';

export interface ConversationEvent<T extends EventType = EventType> {
  type: T;
  actorKind?: 'agent' | 'bot' | 'system';
  actorId: string | null;
  /** Internal events reach agents only, never the customer. */
  internal?: boolean;
  /** What contract/events.ts declares for the type, but the conversation (added here). */
  payload?: EventDetailsOf<T, 'conversation'>;
}

/** Writes the conversation and one event about it (carrying the updated view). */
export async function changeConversation<T extends EventType>(
  tx: Tx,
  conversationId: string,
  change: Prisma.ConversationUncheckedUpdateInput,
  event: ConversationEvent<T>,
): Promise<void> {
  const conversation = await tx.conversation.update({ where: { id: conversationId }, data: change, include: conversationInclude });
  await appendEventOfAnyType(tx, {
    type: event.type,
    actorKind: event.actorKind ?? (event.actorId ? 'agent' : 'system'),
    actorId: event.actorId,
    conversationId,
    internal: event.internal ?? false,
    ...conversationScope(conversation),
    payload: { ...event.payload, conversation: toConversationView(conversation) },
  });
}

export interface SystemMessage {
  authorKind: 'bot' | 'system';
  body: string;
  /** A private note reaches agents only. */
  private: boolean;
  metadata?: Prisma.InputJsonValue;
}

/**
 * Adds a message written by the product itself (not a person) and announces it. The bot's public
 * answer in a conversation of an email channel leaves as mail, like an agent's reply: its
 * OutboundEmail row and the outbox row that starts its delivery workflow are written in the same
 * transaction (the API's relay delivers the row; the kind is api/services/workflow-intents.ts's
 * `send_email`, which activities may not import).
 */
export async function addSystemMessage(tx: Tx, conversationId: string, message: SystemMessage): Promise<MessageView> {
  const row = await tx.message.create({
    data: { conversationId, ...message },
    include: { ...messageInclude, conversation: { include: { channel: { select: { kind: true } } } } },
  });
  let view = toMessageView(row);
  if (message.authorKind === 'bot' && !message.private && row.conversation.channel.kind === 'email') {
    const outbound = await tx.outboundEmail.create({ data: { messageId: row.id } });
    await tx.workflowOutbox.create({ data: { kind: 'send_email', workflowId: emailDeliveryWorkflowId(row.id), payload: { messageId: row.id } } });
    view = { ...view, delivery: deliveryOf(outbound) };
  }
  await appendEvent(tx, {
    type: eventTypes.messageCreated,
    actorKind: message.authorKind,
    actorId: null,
    conversationId,
    internal: message.private,
    ...conversationScope(row.conversation),
    payload: { message: view },
  });
  return view;
}
