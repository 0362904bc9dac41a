// The message path as the worker hands it to the scheduled message activity
// (activities/scheduled-message-activities.ts; AgentReplyPort in domain/scheduled-messages.ts):
// activities may not import api/, so the worker's entrypoint builds this and passes it in. The
// same statement as the console's send (message-store.ts: the message, its events, its outbox
// rows, its mail in an email conversation), run in the activity's transaction so the message and
// the scheduled message's `sent` commit together. The worker runs no relay: the outbox rows it
// writes (the conversation workflow's signal, an email's delivery) wait for the API's relay loop.
import { scheduledFailures, type AgentReplyPort } from '../../domain/scheduled-messages.js';
import type { Tx } from '../../infra/db.js';
import { ownedKey } from './idempotency.js';
import { storeMessage } from './message-store.js';

export function agentReplyPort(): AgentReplyPort<Tx> {
  return {
    async post(tx, reply) {
      const idempotencyKey = ownedKey({ kind: 'user', id: reply.authorId }, reply.idempotencyKey)!;
      const stored = await storeMessage(tx, {
        conversationId: reply.conversationId,
        authorKind: 'agent',
        authorId: reply.authorId,
        body: reply.body,
        private: false,
        idempotencyKey,
      });
      switch (stored.outcome) {
        case 'stored':
          return { outcome: 'stored', messageId: stored.message.id };
        case 'duplicate': {
          const message = await tx.message.findUniqueOrThrow({
            where: { conversationId_idempotencyKey: { conversationId: reply.conversationId, idempotencyKey } },
            select: { id: true },
          });
          return { outcome: 'stored', messageId: message.id };
        }
        case 'closed':
        case 'not_found':
          return { outcome: 'refused', reason: scheduledFailures.conversationClosed };
        case 'attachments_refused':
          throw new Error('a scheduled message has no attachments');
      }
    },
  };
}
