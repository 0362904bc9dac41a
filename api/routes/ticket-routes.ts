// The agent console's tickets: create (also from a conversation), list, read, and the
// lifecycle actions, which go to the ticket's workflow. Integrations read (tickets:read) and
// create (tickets:write; the answer is a receipt unless the key may read tickets too,
// readable-views.ts); lifecycle changes stay with people (the workflow records the user).
import { Router } from 'express';
import type { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';
import { idParams } from '../../contract/requests/common.js';
import {
  createTicketBody,
  priorityBody,
  ticketAssignBody,
  ticketFirstReplyBody,
  ticketFromConversationBody,
  ticketListQuery,
  ticketStatusBody,
} from '../../contract/requests/tickets.js';
import type { StaffViewer } from '../../domain/visibility.js';
import { toTicketView } from '../../infra/views.js';
import { assignTicketUpdate, setTicketPriorityUpdate, setTicketStatusUpdate, type TicketState } from '../../workflows/ticket.messages.js';
import { requireScope, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { findTickets, findVisibleTicket } from '../finders/ticket-finder.js';
import { badRequest, notFound } from '../http-error.js';
import { ticketAnswer } from '../readable-views.js';
import { firstTicketReply } from '../services/ticket-first-reply.js';
import { createTicket, createTicketFromConversation, updateTicket } from '../services/ticket-service.js';
import { idempotencyKeyOf, parse } from '../validate.js';

export function ticketRoutes(deps: ApiDeps): Router {
  const router = Router();

  const visibleTicket = async (viewer: StaffViewer, params: unknown) => {
    const ticket = await findVisibleTicket(deps.db, viewer, parse(idParams, params, 'path').id);
    if (!ticket) throw notFound('Ticket');
    return ticket;
  };

  router.post('/api/tickets', async (req, res) => {
    const viewer = requireScope(res, 'tickets:write');
    const input = parse(createTicketBody, req.body ?? {});
    const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
    const result = await createTicket(deps, viewer, {
      subject: input.subject,
      description: input.description ?? '',
      customerId: input.customerId,
      priority: input.priority ?? 'normal',
      conversationId: input.conversationId ?? null,
      idempotencyKey,
    });
    res.status(result.created ? 201 : 200).json({ ticket: ticketAnswer(viewer, result.ticket) });
  });

  router.post('/api/conversations/:id/ticket', async (req, res) => {
    const viewer = requireScope(res, 'tickets:write');
    const { id } = parse(idParams, req.params, 'path');
    const input = parse(ticketFromConversationBody, req.body ?? {});
    const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
    const result = await createTicketFromConversation(deps, viewer, id, { ...input, idempotencyKey });
    res.status(result.created ? 201 : 200).json({ ticket: ticketAnswer(viewer, result.ticket) });
  });

  router.get('/api/tickets', async (req, res) => {
    const viewer = requireScope(res, 'tickets:read');
    const query = parse(ticketListQuery, req.query, 'query');
    if (query.assignee === 'me' && viewer.kind !== 'user')
      throw badRequest('invalid_input', 'assignee=me needs a signed-in agent: an API key is assigned nothing.');
    res.json({ tickets: await findTickets(deps.db, viewer, query) });
  });

  router.get('/api/tickets/:id', async (req, res) => {
    const { conversations, ...ticket } = await visibleTicket(requireScope(res, 'tickets:read'), req.params);
    res.json({ ticket: toTicketView(ticket), conversations: conversations.map((link) => link.conversationId) });
  });

  // The first reply on a ticket without a conversation starts the requester's email thread (ticket-first-reply.ts).
  router.post('/api/tickets/:id/first-reply', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const { body } = parse(ticketFirstReplyBody, req.body ?? {});
    const started = await firstTicketReply(deps, viewer, id, body, idempotencyKeyOf(req.get('idempotency-key')));
    res.status(started.created ? 201 : 200).json({ conversation: started.conversation, message: started.message });
  });

  /** One lifecycle action: check the caller may see the ticket, validate the body, run the update. */
  const lifecycle = <Schema extends z.ZodType, Input>(
    action: string,
    schema: Schema,
    update: UpdateDefinition<TicketState, [Input]>,
    toInput: (body: z.infer<Schema>, userId: string) => Input,
  ) =>
    router.post(`/api/tickets/:id/${action}`, async (req, res) => {
      const viewer = requireUser(res);
      const ticket = await visibleTicket(viewer, req.params);
      const body = parse(schema, req.body ?? {});
      res.json({ ticket: await updateTicket(deps, ticket.id, update, toInput(body, viewer.userId)) });
    });

  lifecycle('status', ticketStatusBody, setTicketStatusUpdate, ({ status }, byUserId) => ({ byUserId, status }));
  lifecycle('assign', ticketAssignBody, assignTicketUpdate, ({ assigneeId }, byUserId) => ({ byUserId, assigneeId }));
  lifecycle('priority', priorityBody, setTicketPriorityUpdate, ({ priority }, byUserId) => ({ byUserId, priority }));

  return router;
}
