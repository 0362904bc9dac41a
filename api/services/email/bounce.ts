// Bounces (a delivery-status report, or a daemon's notice; automated-mail.ts): the failed
// recipient's customer address is marked as bouncing, our message that bounced shows "not
// delivered", and the report is recorded on the conversation of that message. As Zammad does with
// delivery failures, it is recorded as an internal note of the system, not as the customer
// speaking: the customer did not write it and never sees it, nothing answers it, and the
// conversation keeps its state (no reopen, no routing); the agent sees it in the conversation, on
// the customer and on the message. A bounce that names no conversation of ours goes the way of
// other automated mail (ingest-email.ts): a conversation a person gets, which nothing answers.
import { eventTypes } from '../../../domain/events.js';
import type { Bounce } from '../../../infra/email/inbound/automated-mail.js';
import type { Db } from '../../../infra/db.js';
import { appendEvent } from '../../../infra/event-log.js';
import { conversationScope, messageInclude, toMessageView, type MessageView } from '../../../infra/views.js';
import { Prisma } from '../../../prisma/generated/client.js';
import { findOrCreate } from '../prisma-errors.js';

/**
 * Marks the customers whose address a permanent bounce names (case-insensitive): when and the
 * report's status code (e.g. "5.1.1"). A delay or a temporary failure (4.x.x) marks nothing.
 * Returns the customers marked.
 */
export async function markBouncedAddresses(db: Db, bounce: Bounce, at: Date): Promise<number> {
  if (!bounce.permanent || bounce.failedRecipients.length === 0) return 0;
  const { count } = await db.customer.updateMany({
    where: { OR: bounce.failedRecipients.map((address) => ({ email: { equals: address, mode: 'insensitive' as const } })) },
    data: { emailBouncedAt: at, emailBounceReason: bounce.status ?? '5.0.0' },
  });
  return count;
}

/**
 * Our mail that bounced permanently was not delivered: its OutboundEmail row (found by the quoted
 * Message-ID) becomes failed, with the `message.email_failed` event the delivery workflow writes
 * when it gives up, so the message shows "not delivered". Returns whether a row changed.
 */
export async function markOutboundBounced(db: Db, bounce: Bounce, at: Date): Promise<boolean> {
  if (!bounce.permanent || !bounce.originalMessageId) return false;
  const error = `bounced: ${[bounce.status ?? '5.0.0', ...bounce.failedRecipients].join(' ')}`;
  return db.$transaction(async (tx) => {
    const sent = await tx.outboundEmail.findFirst({ where: { emailMessageId: bounce.originalMessageId, status: { not: 'failed' } }, select: { id: true } });
    if (!sent) return false;
    const changed = await tx.outboundEmail.updateMany({
      where: { id: sent.id, status: { not: 'failed' } },
      data: { status: 'failed', failedAt: at, lastError: error },
    });
    if (changed.count === 0) return false;
    const row = await tx.outboundEmail.findUniqueOrThrow({
      where: { id: sent.id },
      include: { message: { include: { ...messageInclude, conversation: true } } },
    });
    await appendEvent(tx, {
      type: 'message.email_failed',
      actorKind: 'system',
      actorId: null,
      conversationId: row.message.conversationId,
      internal: row.message.private,
      ...conversationScope(row.message.conversation),
      payload: { message: toMessageView(row.message), to: row.to, error },
    });
    return true;
  });
}

/** The customer wrote in from the address: it works again. */
export async function clearBounceMark(db: Db, customerId: string): Promise<void> {
  await db.customer.updateMany({ where: { id: customerId, emailBouncedAt: { not: null } }, data: { emailBouncedAt: null, emailBounceReason: null } });
}

export interface BounceNote {
  conversationId: string;
  /** What the report says in words (its text part). */
  body: string;
  metadata: Record<string, unknown>;
  /** `email:<InboundEmail id>`: a retry finds the note the first attempt wrote. */
  idempotencyKey: string;
}

/** The bounce as an internal system note on the conversation, with its `message.created` event (agents only). */
export async function recordBounceNote(db: Db, note: BounceNote): Promise<MessageView> {
  const find = async () => {
    const existing = await db.message.findUnique({
      where: { conversationId_idempotencyKey: { conversationId: note.conversationId, idempotencyKey: note.idempotencyKey } },
      include: messageInclude,
    });
    return existing ? toMessageView(existing) : null;
  };
  return findOrCreate(find, () =>
    db.$transaction(async (tx) => {
      const row = await tx.message.create({
        data: {
          conversationId: note.conversationId,
          authorKind: 'system',
          body: note.body,
          private: true,
          idempotencyKey: note.idempotencyKey,
          metadata: note.metadata as Prisma.InputJsonObject,
        },
        include: { ...messageInclude, conversation: true },
      });
      const view = toMessageView(row);
      await appendEvent(tx, {
        type: eventTypes.messageCreated,
        actorKind: 'system',
        actorId: null,
        conversationId: note.conversationId,
        internal: true,
        ...conversationScope(row.conversation),
        payload: { message: view },
      });
      return view;
    }),
  );
}
