// Tickets by email (issue 17): an email channel with `createTickets: true` opens a ticket for each
// new thread, linked to its conversation as POST /api/conversations/:id/ticket links one (the
// conversation's customer, team, tier and priority; subject the mail's, description its first
// message), recorded as the system's. Replies stay in the conversation; a customer's reply reaches
// the linked ticket as `ticket_customer_replied` through the message statement, as for every
// linked ticket. Idempotent per inbound mail (the ticket's key `email:<InboundEmail id>`), so the
// pipeline's retry after a crash opens no second one.
import { randomUUID } from 'node:crypto';
import { subjectFrom } from '../../../domain/ticket-flow.js';
import { ticketWorkflowId } from '../../../domain/workflow-ids.js';
import { appendEvent } from '../../../infra/event-log.js';
import { ticketInclude, ticketScope, toTicketView } from '../../../infra/views.js';
import type { ApiDeps } from '../../deps.js';
import { findOrCreate } from '../prisma-errors.js';
import { workflowGateway } from '../workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;

/** Opens (once) the ticket of a conversation a mail started; answers its id. */
export async function openTicketForEmailThread(deps: Deps, input: { conversationId: string; inboundEmailId: string }): Promise<string> {
  const { db } = deps;
  const conversation = await db.conversation.findUniqueOrThrow({
    where: { id: input.conversationId },
    include: { messages: { where: { authorKind: 'customer' }, orderBy: { createdAt: 'asc' }, take: 1 } },
  });
  const idempotencyKey = `email:${input.inboundEmailId}`;
  // Found: its start was written with it; a crash before the delivery left it waiting: it goes now.
  const existing = async () => {
    const found = await db.ticket.findUnique({
      where: { customerId_idempotencyKey: { customerId: conversation.customerId, idempotencyKey } },
      select: { id: true, status: true },
    });
    if (!found) return null;
    if (found.status !== 'closed') await workflowGateway(deps).ensureStarted({ kind: 'start_ticket', ticketId: found.id });
    return found.id;
  };
  return findOrCreate(existing, async () => {
    const firstMessage = conversation.messages[0]?.body ?? '';
    const id = randomUUID();
    const outbox = workflowGateway(deps).outbox();
    await db.$transaction(async (tx) => {
      const created = await tx.ticket.create({
        data: {
          id,
          workflowId: ticketWorkflowId(id),
          subject: conversation.subject?.trim() || subjectFrom(firstMessage) || `Conversation #${conversation.number}`,
          description: firstMessage,
          priority: conversation.priority,
          customerId: conversation.customerId,
          teamId: conversation.teamId,
          tier: conversation.tier,
          idempotencyKey,
          conversations: { create: { conversationId: conversation.id } },
        },
        include: ticketInclude,
      });
      await appendEvent(tx, {
        type: 'ticket.created',
        actorKind: 'system',
        actorId: null,
        ticketId: id,
        ...ticketScope(created),
        payload: { ticket: toTicketView(created), conversationId: conversation.id },
      });
      await outbox.write(tx, [{ kind: 'start_ticket', ticketId: id }]);
    });
    await outbox.deliver();
    return id;
  });
}
