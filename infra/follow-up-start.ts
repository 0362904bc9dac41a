// Starting a follow-up sequence (issue 22): the FollowUp row, its `follow_up.started` event and
// the outbox row that starts its workflow, in the caller's transaction — the API's when an agent
// sets one (api/services/follow-up-service.ts), the rule activity's when the action
// `start_follow_up` runs (activities/rule-activities.ts). Written under the conversation's row
// lock, as the message statement stores messages: `startedAfter` is the conversation's last
// message then, so every message stored afterwards is later (the statement stamps a message after
// the conversation's last one, under that lock), and a customer's among them ends the sequence.
import type { FollowUpStep, FollowUpView } from '../contract/follow-ups.js';
import type { Tx } from './db.js';
import { appendEvent } from './event-log.js';
import { toFollowUpView } from './follow-up-view.js';

export interface NewFollowUp {
  conversationId: string;
  /** The agent who sets it (steps are sent in their name); null for a rule (sent by the system). */
  authorId: string | null;
  ruleId: string | null;
  steps: FollowUpStep[];
}

export type FollowUpStart = { outcome: 'started'; followUp: FollowUpView } | { outcome: 'closed' } | { outcome: 'active'; followUpId: string };

/**
 * Starts it unless the conversation is closed (or gone) or already has an active follow-up (one at
 * a time: cancel it first). `writeStart` writes the outbox row of kind `start_follow_up` for the id.
 */
export async function startFollowUp(tx: Tx, input: NewFollowUp, writeStart: (tx: Tx, followUpId: string) => Promise<void>): Promise<FollowUpStart> {
  await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${input.conversationId}::uuid FOR UPDATE`;
  const conversation = await tx.conversation.findUnique({ where: { id: input.conversationId } });
  if (!conversation || conversation.status === 'closed' || conversation.mergedIntoId) return { outcome: 'closed' };
  const active = await tx.followUp.findFirst({ where: { conversationId: conversation.id, status: 'active' }, select: { id: true } });
  if (active) return { outcome: 'active', followUpId: active.id };
  // The conversation's last message time is not moved by every path that adds one (a started
  // conversation's first message, the bot's): the latest message counts too.
  const latest = await tx.message.findFirst({ where: { conversationId: conversation.id }, orderBy: { createdAt: 'desc' }, select: { createdAt: true } });
  const startedAfter = latest && latest.createdAt > conversation.lastMessageAt ? latest.createdAt : conversation.lastMessageAt;
  const lastFromCustomer = await tx.message.findFirst({
    where: { conversationId: conversation.id, authorKind: 'customer', private: false },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  });
  const row = await tx.followUp.create({
    data: {
      conversationId: conversation.id,
      authorId: input.authorId,
      ruleId: input.ruleId,
      steps: input.steps as object[],
      startedAfter,
      // The first wait runs from the customer's last message (a customer who never wrote: from now).
      waitFrom: lastFromCustomer?.createdAt ?? new Date(),
    },
  });
  const followUp = toFollowUpView(row);
  await appendEvent(tx, {
    type: 'follow_up.started',
    actorKind: input.authorId ? 'agent' : 'system',
    actorId: input.authorId,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    teamId: conversation.teamId,
    assigneeId: conversation.assigneeId,
    internal: true,
    payload: { followUp },
  });
  await writeStart(tx, row.id);
  return { outcome: 'started', followUp };
}
