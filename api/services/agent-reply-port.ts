// The message path as the worker hands it to the scheduled message activity
// (activities/scheduled-message-activities.ts; AgentReplyPort in domain/scheduled-messages.ts): activities may not import api/, so
// the worker's entrypoint builds this and passes it in. The same postMessage as the console's send
// (an agent's public reply: one statement, its events, its outbox rows, its mail in an email
// conversation). The worker runs no relay: the outbox rows wait for the API's relay loop.
import { scheduledFailures, type AgentReply, type AgentReplyPort } from '../../domain/scheduled-messages.js';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../http-error.js';
import { postMessage } from './conversation-service.js';
import { ownedKey } from './idempotency.js';

export function agentReplyPort(deps: Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>): AgentReplyPort {
  return {
    async find(reply: AgentReply) {
      const idempotencyKey = ownedKey({ kind: 'user', id: reply.authorId }, reply.idempotencyKey)!;
      const message = await deps.db.message.findUnique({
        where: { conversationId_idempotencyKey: { conversationId: reply.conversationId, idempotencyKey } },
        select: { id: true },
      });
      return message?.id ?? null;
    },
    async post(reply: AgentReply) {
      try {
        const { message } = await postMessage(deps, {
          conversationId: reply.conversationId,
          authorKind: 'agent',
          authorId: reply.authorId,
          body: reply.body,
          private: false,
          idempotencyKey: reply.idempotencyKey,
        });
        return { outcome: 'stored', messageId: message.id };
      } catch (error) {
        // Not found (gone) or closed since the check: the send is refused, not retried.
        if (error instanceof HttpError && (error.status === 404 || error.status === 409))
          return { outcome: 'refused', reason: scheduledFailures.conversationClosed };
        throw error;
      }
    },
  };
}
