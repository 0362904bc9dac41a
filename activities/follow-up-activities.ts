// Activities of the follow-up workflow (workflows/follow-up.ts). Each review and each send is one
// transaction under the conversation's row lock, then the FollowUp row's: the message statement
// takes the same conversation lock to store a customer's message (api/services/message-store.ts),
// so a step either commits before the customer's message (and was rightly sent) or finds it
// (a message stored after the sequence began, by `createdAt`, which the statement keeps increasing
// per conversation) and ends the sequence without sending. The step is counted (`sentSteps`) in
// the transaction that stores its message: a retry, or a worker that died after the commit, finds
// it counted and sends nothing — once for the customer.
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { FollowUpEndReason } from '../contract/follow-ups.js';
import { followUpReplyKey, followUpStepDueAt, renderFollowUpText } from '../domain/follow-ups.js';
import type { AgentReplyPort } from '../domain/scheduled-messages.js';
import { canSee } from '../domain/visibility.js';
import { conversationWorkflowId, followUpWorkflowId } from '../domain/workflow-ids.js';
import type { Db, Tx } from '../infra/db.js';
import { appendEvent } from '../infra/event-log.js';
import { followUpStepsOf, toFollowUpView } from '../infra/follow-up-view.js';
import type { Conversation, FollowUp } from '../prisma/generated/client.js';
import { resolveUpdate } from '../workflows/conversation.messages.js';
import type { FollowUpOutcome } from '../workflows/follow-up.messages.js';
import { addSystemMessage } from './conversation-writes.js';

/**
 * The outbox row that starts a follow-up's workflow, written by the worker (the rule action
 * `start_follow_up`): kind `start_follow_up` of api/services/workflow-intents.ts, which activities
 * may not import; the API's relay delivers it.
 */
export async function writeFollowUpStart(tx: Tx, followUpId: string): Promise<void> {
  await tx.workflowOutbox.create({ data: { kind: 'start_follow_up', workflowId: followUpWorkflowId(followUpId), payload: { followUpId } } });
}

export type FollowUpReview = { status: 'active'; sentSteps: number; nextStepAt: string } | FollowUpOutcome;

export interface FollowUpActivities {
  /** Where the sequence stands; ends it first when the customer has written since it began or the conversation closed. */
  reviewFollowUp(input: { followUpId: string }): Promise<FollowUpReview>;
  /** Sends step `step` unless the sequence ended or the step was sent already; `resolve`: the step asks to resolve the conversation now. */
  sendFollowUpStep(input: { followUpId: string; step: number }): Promise<{ resolve: boolean }>;
  /** Resolves the conversation in the author's name (a rule's follow-up: the assignee's), unless the customer has written since. */
  resolveAfterFollowUp(input: { followUpId: string }): Promise<void>;
}

export interface FollowUpDeps {
  db: Db;
  temporal?: Pick<Client, 'workflow'>;
  agentReplies?: AgentReplyPort<Tx>;
}

const eventScope = (conversation: Conversation) => ({
  actorKind: 'system' as const,
  actorId: null,
  conversationId: conversation.id,
  customerId: conversation.customerId,
  teamId: conversation.teamId,
  assigneeId: conversation.assigneeId,
  // The agents' side: the customer sees the messages themselves.
  internal: true,
});

/** Has the customer written in the conversation since the follow-up began? */
async function customerWroteSince(tx: Tx | Db, followUp: FollowUp): Promise<boolean> {
  const message = await tx.message.findFirst({
    where: { conversationId: followUp.conversationId, authorKind: 'customer', private: false, createdAt: { gt: followUp.startedAfter } },
    select: { id: true },
  });
  return message !== null;
}

/** Ends the sequence with its event. */
async function end(
  tx: Tx,
  followUp: FollowUp,
  conversation: Conversation,
  status: 'cancelled' | 'failed',
  reason: FollowUpEndReason,
): Promise<FollowUpOutcome> {
  const updated = await tx.followUp.update({ where: { id: followUp.id }, data: { status, endReason: reason } });
  await appendEvent(tx, {
    ...eventScope(conversation),
    type: status === 'failed' ? 'follow_up.failed' : 'follow_up.cancelled',
    payload: { followUp: toFollowUpView(updated), reason },
  });
  return { status, sentSteps: updated.sentSteps };
}

/**
 * Locks the conversation, then the follow-up (the order of the message statement and of the API's
 * cancel), and ends the sequence if the customer wrote or the conversation closed: the row and
 * conversation while it goes on, or how it ended.
 */
async function lockAndSettle(tx: Tx, followUpId: string): Promise<{ followUp: FollowUp; conversation: Conversation } | FollowUpOutcome> {
  const found = await tx.followUp.findUnique({ where: { id: followUpId }, select: { conversationId: true } });
  if (!found) return { status: 'cancelled', sentSteps: 0 };
  await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${found.conversationId}::uuid FOR UPDATE`;
  await tx.$queryRaw`SELECT id FROM "FollowUp" WHERE id = ${followUpId}::uuid FOR UPDATE`;
  const followUp = await tx.followUp.findUnique({ where: { id: followUpId } });
  const conversation = await tx.conversation.findUnique({ where: { id: found.conversationId } });
  if (!followUp || !conversation) return { status: 'cancelled', sentSteps: followUp?.sentSteps ?? 0 };
  if (followUp.status !== 'active') return { status: followUp.status, sentSteps: followUp.sentSteps };
  if (await customerWroteSince(tx, followUp)) return end(tx, followUp, conversation, 'cancelled', 'customer_replied');
  if (conversation.status === 'closed' || conversation.mergedIntoId) return end(tx, followUp, conversation, 'cancelled', 'conversation_closed');
  return { followUp, conversation };
}

const settled = (value: Awaited<ReturnType<typeof lockAndSettle>>): value is FollowUpOutcome => 'status' in value;

export function createFollowUpActivities(deps: FollowUpDeps): FollowUpActivities {
  return {
    async reviewFollowUp({ followUpId }) {
      return deps.db.$transaction(async (tx) => {
        const state = await lockAndSettle(tx, followUpId);
        if (settled(state)) return state;
        const { followUp } = state;
        const due = followUpStepDueAt(followUpStepsOf(followUp), followUp.sentSteps, followUp.waitFrom);
        if (!due) return { status: 'completed', sentSteps: followUp.sentSteps };
        return { status: 'active', sentSteps: followUp.sentSteps, nextStepAt: due.toISOString() };
      });
    },

    async sendFollowUpStep({ followUpId, step }) {
      return deps.db.$transaction(
        async (tx) => {
          const state = await lockAndSettle(tx, followUpId);
          // Ended, or this step counted already (a retry after the commit): nothing to send.
          if (settled(state) || state.followUp.sentSteps !== step) return { resolve: false };
          const { followUp, conversation } = state;
          const steps = followUpStepsOf(followUp);
          const current = steps[step];
          if (!current) return { resolve: false };
          const due = followUpStepDueAt(steps, step, followUp.waitFrom)!.getTime();
          const author = followUp.authorId ? await tx.user.findUnique({ where: { id: followUp.authorId } }) : null;
          if (followUp.authorId) {
            const viewer = author && { kind: 'user' as const, userId: author.id, role: author.role, teamId: author.teamId };
            if (!author || author.deactivatedAt || author.deletedAt || !canSee(viewer!, { ...conversation, internal: false })) {
              await end(tx, followUp, conversation, 'failed', 'author_not_allowed');
              return { resolve: false };
            }
          }
          const customer = await tx.customer.findUnique({ where: { id: conversation.customerId }, select: { name: true, email: true } });
          const signer = author ?? (conversation.assigneeId ? await tx.user.findUnique({ where: { id: conversation.assigneeId } }) : null);
          const body = renderFollowUpText(current.text, {
            contact: { name: customer?.name ?? null, email: customer?.email ?? null },
            agent: { name: signer?.name ?? null },
          });
          let messageId: string;
          if (followUp.authorId) {
            const port = deps.agentReplies;
            if (!port) throw ApplicationFailure.nonRetryable('The worker has no message path for follow-ups (ActivityDeps.agentReplies).', 'no_message_path');
            const posted = await port.post(tx, {
              conversationId: conversation.id,
              authorId: followUp.authorId,
              body,
              idempotencyKey: followUpReplyKey(followUp.id, step),
            });
            if (posted.outcome === 'refused') {
              await end(tx, followUp, conversation, 'cancelled', 'conversation_closed');
              return { resolve: false };
            }
            messageId = posted.messageId;
          } else {
            const message = await addSystemMessage(tx, conversation.id, {
              authorKind: 'system',
              body,
              private: false,
              metadata: { kind: 'follow_up', followUpId: followUp.id, step, ...(followUp.ruleId ? { rule: { id: followUp.ruleId } } : {}) },
            });
            messageId = message.id;
          }
          const last = step === steps.length - 1;
          const updated = await tx.followUp.update({
            where: { id: followUp.id },
            // The next wait runs from this step's time (or from now, when it went out late).
            data: { sentSteps: step + 1, waitFrom: new Date(Math.max(due, Date.now())), ...(last ? { status: 'completed' } : {}) },
          });
          const view = toFollowUpView(updated);
          await appendEvent(tx, { ...eventScope(conversation), type: 'follow_up.step_sent', payload: { followUp: view, step, messageId } });
          if (last) await appendEvent(tx, { ...eventScope(conversation), type: 'follow_up.completed', payload: { followUp: view } });
          return { resolve: last && current.then === 'resolve' };
        },
        { timeout: 20_000, maxWait: 15_000 },
      );
    },

    async resolveAfterFollowUp({ followUpId }) {
      const followUp = await deps.db.followUp.findUnique({ where: { id: followUpId }, include: { conversation: true } });
      if (!followUp || (await customerWroteSince(deps.db, followUp))) return;
      const byUserId = followUp.authorId ?? followUp.conversation.assigneeId;
      if (!byUserId || !deps.temporal) return;
      try {
        await deps.temporal.workflow.getHandle(conversationWorkflowId(followUp.conversationId)).executeUpdate(resolveUpdate, { args: [{ byUserId }] });
      } catch (error) {
        // Refused (resolved already: a retry after it did, or an agent did) or the conversation's workflow has ended.
        if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError) return;
        throw error;
      }
    },
  };
}
