// Activities of the scheduled message workflow (workflows/scheduled-message.ts). The send is one
// transaction under the ScheduledMessage row's lock (an edit or a cancel waits for it, then finds
// it sent): the reply is stored with the message statement the API uses (the port the worker
// hands in, as for inbound mail: activities never import api/; idempotency key `scheduled:<id>`)
// and the row marked sent, committed together. A retry after a commit whose completion Temporal
// never heard of (the worker died) finds the row sent: exactly once for the customer.
import { ApplicationFailure } from '@temporalio/activity';
import { canSee } from '../domain/visibility.js';
import type { Db, Tx } from '../infra/db.js';
import { appendEvent } from '../infra/event-log.js';
import { scheduledMessageView } from '../infra/scheduled-message-view.js';
import type { ScheduledMessage } from '../prisma/generated/client.js';
import type { ScheduledMessageOutcome } from '../workflows/scheduled-message.messages.js';
import { scheduledFailures, scheduledReplyKey, type AgentReplyPort, type ScheduledFailure } from '../domain/scheduled-messages.js';

export interface ScheduledMessageState {
  status: ScheduledMessage['status'];
  sendAt: string;
  messageId: string | null;
  failureReason: string | null;
}

export type SendOutcome = ScheduledMessageOutcome | { outcome: 'rescheduled' };

export interface ScheduledMessageActivities {
  /** The row as it is now; a row deleted with its conversation reads as cancelled. */
  loadScheduledMessage(input: { scheduledMessageId: string }): Promise<ScheduledMessageState>;
  /**
   * Sends it if it is still pending and still due at `sendAt` (else `rescheduled`: an edit moved
   * it), records sent or failed (once) with its event.
   */
  sendScheduledMessage(input: { scheduledMessageId: string; sendAt: string }): Promise<SendOutcome>;
}

export interface ScheduledMessageDeps {
  db: Db;
  agentReplies?: AgentReplyPort<Tx>;
}

/** Why the author may not send in the conversation now; null when they may. */
async function refusalOf(tx: Tx, scheduled: ScheduledMessage): Promise<ScheduledFailure | null> {
  const conversation = await tx.conversation.findUnique({ where: { id: scheduled.conversationId } });
  if (!conversation || conversation.status === 'closed' || conversation.mergedIntoId) return scheduledFailures.conversationClosed;
  const author = await tx.user.findUnique({ where: { id: scheduled.authorId } });
  if (!author || author.deactivatedAt || author.deletedAt) return scheduledFailures.authorNotAllowed;
  const viewer = { kind: 'user' as const, userId: author.id, role: author.role, teamId: author.teamId };
  return canSee(viewer, { ...conversation, internal: false }) ? null : scheduledFailures.authorNotAllowed;
}

export function createScheduledMessageActivities(deps: ScheduledMessageDeps): ScheduledMessageActivities {
  const record = async (tx: Tx, scheduled: ScheduledMessage, outcome: { messageId: string } | { reason: ScheduledFailure }): Promise<SendOutcome> => {
    const updated = await tx.scheduledMessage.update({
      where: { id: scheduled.id },
      data: 'messageId' in outcome ? { status: 'sent', messageId: outcome.messageId, sentAt: new Date() } : { status: 'failed', failureReason: outcome.reason },
    });
    const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: scheduled.conversationId } });
    const view = await scheduledMessageView(tx, updated);
    await appendEvent(tx, {
      type: 'messageId' in outcome ? 'scheduled_message.sent' : 'scheduled_message.failed',
      actorKind: 'system',
      conversationId: conversation.id,
      customerId: conversation.customerId,
      teamId: conversation.teamId,
      assigneeId: conversation.assigneeId,
      // The agents' side: a customer sees the message itself (message.created), not the schedule.
      internal: true,
      payload: { scheduledMessage: view },
    });
    return 'messageId' in outcome ? { outcome: 'sent', messageId: outcome.messageId } : { outcome: 'failed', reason: outcome.reason };
  };

  return {
    async loadScheduledMessage({ scheduledMessageId }) {
      const row = await deps.db.scheduledMessage.findUnique({ where: { id: scheduledMessageId } });
      if (!row) return { status: 'cancelled', sendAt: new Date(0).toISOString(), messageId: null, failureReason: null };
      return { status: row.status, sendAt: row.sendAt.toISOString(), messageId: row.messageId, failureReason: row.failureReason };
    },

    async sendScheduledMessage({ scheduledMessageId, sendAt }) {
      const port = deps.agentReplies;
      if (!port) throw ApplicationFailure.nonRetryable('The worker has no message path for scheduled messages (ActivityDeps.agentReplies).', 'no_message_path');
      return deps.db.$transaction(
        async (tx) => {
          // An edit or a cancel waits for this lock, then finds the row decided.
          await tx.$queryRaw`SELECT id FROM "ScheduledMessage" WHERE id = ${scheduledMessageId}::uuid FOR UPDATE`;
          const scheduled = await tx.scheduledMessage.findUnique({ where: { id: scheduledMessageId } });
          if (!scheduled || scheduled.status === 'cancelled') return { outcome: 'cancelled' };
          if (scheduled.status === 'sent') return { outcome: 'sent', messageId: scheduled.messageId ?? '' };
          if (scheduled.status === 'failed') return { outcome: 'failed', reason: scheduled.failureReason ?? '' };
          if (scheduled.sendAt.toISOString() !== sendAt) return { outcome: 'rescheduled' };
          const refusal = await refusalOf(tx, scheduled);
          if (refusal) return record(tx, scheduled, { reason: refusal });
          const posted = await port.post(tx, {
            conversationId: scheduled.conversationId,
            authorId: scheduled.authorId,
            body: scheduled.body,
            idempotencyKey: scheduledReplyKey(scheduled.id),
          });
          return record(tx, scheduled, posted.outcome === 'stored' ? { messageId: posted.messageId } : { reason: posted.reason });
        },
        // Many sends due at once queue for a connection rather than fail (each holds one, briefly).
        { timeout: 20_000, maxWait: 15_000 },
      );
    },
  };
}
