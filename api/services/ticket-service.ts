// Ticket commands for the console routes. Creating stores the ticket, its event and its
// workflow's start (a row of the workflow outbox) in one transaction, so an accepted ticket is
// durable and its workflow starts — right after the commit, or once Temporal answers again
// (workflow-gateway.ts). Every later lifecycle change is an update to that workflow, which writes
// through its activities. A customer's reply reopens linked tickets from the message statement
// itself (message-store.ts).
import { randomUUID } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/common';
import { reopenedByCustomerReply, subjectFrom } from '../../domain/ticket-flow.js';
import { canSee, type StaffViewer } from '../../domain/visibility.js';
import type { Priority } from '../../domain/vocabulary.js';
import { ticketWorkflowId } from '../../domain/workflow-ids.js';
import { actorOf } from '../../infra/auth/principal.js';
import { appendEvent } from '../../infra/event-log.js';
import { ticketInclude, ticketScope, toTicketView } from '../../infra/views.js';
import { ticketFailures, type TicketState } from '../../workflows/ticket.messages.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, notFound } from '../http-error.js';
import { mayRead } from '../readable-views.js';
import { ownedKey, senderOf } from './idempotency.js';
import { findOrCreate } from './prisma-errors.js';
import { workflowGateway, type Refusals } from './workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;

export interface CreateTicketInput {
  subject: string;
  description: string;
  customerId: string;
  priority: Priority;
  /** A conversation of the same customer to link; the ticket takes its team and tier. */
  conversationId: string | null;
  idempotencyKey: string | null;
}

/**
 * An agent, admin or integration opens a ticket. `created` is false for a replayed
 * Idempotency-Key: the key is the caller's own (idempotency.ts), and a replay answers only a
 * ticket the caller may still see (404 otherwise, as for any ticket it cannot see).
 */
export async function createTicket(deps: Deps, viewer: StaffViewer, input: CreateTicketInput) {
  const { db } = deps;
  const idempotencyKey = ownedKey(senderOf(viewer), input.idempotencyKey);
  const replay = async () => {
    if (!idempotencyKey) return null;
    const existing = await db.ticket.findUnique({
      where: { customerId_idempotencyKey: { customerId: input.customerId, idempotencyKey } },
      include: ticketInclude,
    });
    if (!existing) return null;
    if (!canSee(viewer, { ...existing, internal: false })) throw notFound('Ticket');
    // Its start was written with it, unless it was stored before starts went through the
    // outbox and the start failed then (answered 503): the retry starts it. A closed ticket's
    // workflow has ended and stays so.
    if (existing.status !== 'closed') await workflowGateway(deps).ensureStarted({ kind: 'start_ticket', ticketId: existing.id });
    return { created: false, ticket: toTicketView(existing) };
  };
  return findOrCreate(replay, async () => {
    // Checked before anything is written, so a refused request leaves no trace.
    const customer = await db.customer.findUnique({ where: { id: input.customerId }, select: { id: true } });
    if (!customer) throw notFound('Customer');
    const conversation = input.conversationId ? await db.conversation.findUnique({ where: { id: input.conversationId } }) : null;
    if (input.conversationId) {
      if (!conversation || !canSee(viewer, { ...conversation, internal: false })) throw notFound('Conversation');
      if (conversation.customerId !== input.customerId) {
        throw badRequest('invalid_input', 'The conversation belongs to another customer.', [
          { path: 'conversationId', message: 'must be a conversation of customerId' },
        ]);
      }
    }

    const id = randomUUID();
    const outbox = workflowGateway(deps).outbox();
    const stored = await db.$transaction(async (tx) => {
      const created = await tx.ticket.create({
        data: {
          id,
          workflowId: ticketWorkflowId(id),
          subject: input.subject,
          description: input.description,
          priority: input.priority,
          customerId: input.customerId,
          // A ticket raised from a conversation stays with the same team (and its visibility).
          teamId: conversation?.teamId ?? null,
          tier: conversation?.tier ?? 'junior',
          idempotencyKey,
          conversations: conversation ? { create: { conversationId: conversation.id } } : undefined,
        },
        include: ticketInclude,
      });
      const ticket = toTicketView(created);
      const { actorKind, actorId } = actorOf(viewer);
      await appendEvent(tx, {
        type: 'ticket.created',
        actorKind,
        actorId,
        ticketId: id,
        ...ticketScope(created),
        payload: { ticket, conversationId: conversation?.id ?? null },
      });
      // Promised with the ticket: Temporal being away delays the start, never refuses the ticket.
      await outbox.write(tx, [{ kind: 'start_ticket', ticketId: id }]);
      return ticket;
    });
    await outbox.deliver();
    return { created: true, ticket: stored };
  });
}

export interface TicketFromConversationInput {
  subject?: string;
  description?: string;
  priority?: Priority;
  idempotencyKey: string | null;
}

/**
 * Raises a ticket from a conversation the viewer can see: its customer, linked, subject and
 * description from its first customer message (for a caller that may read conversations).
 */
export async function createTicketFromConversation(deps: Deps, viewer: StaffViewer, conversationId: string, input: TicketFromConversationInput) {
  const conversation = await deps.db.conversation.findUnique({
    where: { id: conversationId },
    include: { messages: { where: { authorKind: 'customer' }, orderBy: { createdAt: 'asc' }, take: 1 } },
  });
  if (!conversation || !canSee(viewer, { ...conversation, internal: false })) throw notFound('Conversation');
  // The conversation's words go into the ticket only for a caller that may read them: a key
  // without conversations:read would read them back through the ticket (readable-views.ts).
  const firstMessage = mayRead(viewer, 'conversations:read') ? conversation.messages[0]?.body : undefined;
  return createTicket(deps, viewer, {
    subject: input.subject ?? (firstMessage ? subjectFrom(firstMessage) : `Conversation #${conversation.number}`),
    description: input.description ?? firstMessage ?? '',
    customerId: conversation.customerId,
    priority: input.priority ?? conversation.priority,
    conversationId,
    idempotencyKey: input.idempotencyKey,
  });
}

/**
 * A customer wrote in a conversation: every linked ticket that waits on them (pending) or was
 * solved is told, to go back to open; returns how many. The message path writes these rows in
 * the message's own statement (message-store.ts); this is for a reply that arrives another way.
 */
export async function notifyLinkedTickets(
  deps: Pick<ApiDeps, 'db' | 'temporal' | 'log' | 'relay'>,
  conversationId: string,
  at: Date = new Date(),
): Promise<number> {
  const links = await deps.db.ticketConversation.findMany({
    where: { conversationId, ticket: { status: { in: [...reopenedByCustomerReply] } } },
    select: { ticketId: true },
  });
  if (links.length === 0) return 0;
  const outbox = workflowGateway(deps).outbox();
  await deps.db.$transaction((tx) =>
    outbox.write(
      tx,
      links.map(({ ticketId }) => ({ kind: 'ticket_customer_replied', ticketId, at: at.toISOString() })),
    ),
  );
  await outbox.deliver();
  return links.length;
}

/** The failure types the workflow's updates use, as HTTP answers. */
const updateRefusals: Refusals = {
  [ticketFailures.invalidInput]: { status: 400, code: 'invalid_input' },
  [ticketFailures.invalidTransition]: { status: 409, code: 'invalid_transition' },
  [ticketFailures.assignRefused]: { status: 409, code: 'assign_refused' },
};

/**
 * Runs a lifecycle update on the ticket's workflow (the only way the API changes a ticket) and
 * returns the ticket as stored afterwards. Refusals become 400/409 with the reason.
 */
export async function updateTicket<Input>(deps: Deps, ticketId: string, update: UpdateDefinition<TicketState, [Input]>, input: Input) {
  await workflowGateway(deps).update({
    workflowId: ticketWorkflowId(ticketId),
    update,
    input,
    refusals: updateRefusals,
    closed: { code: 'ticket_closed', message: 'This ticket is closed.' },
  });
  const ticket = await deps.db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: ticketInclude });
  return toTicketView(ticket);
}
