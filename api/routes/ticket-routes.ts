// The agent console's tickets: create (also from a conversation), list, read, and the
// lifecycle actions, which go to the ticket's workflow. Integrations read (tickets:read) and
// create (tickets:write; the answer is a receipt unless the key may read tickets too,
// readable-views.ts); lifecycle changes stay with people (the workflow records the user).
import { Router } from 'express';
import { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';
import { canSee, type StaffViewer } from '../../domain/visibility.js';
import { priorities, ticketStatuses } from '../../domain/vocabulary.js';
import { ticketInclude, toTicketView } from '../../infra/views.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { assignTicketUpdate, setTicketPriorityUpdate, setTicketStatusUpdate, type TicketState } from '../../workflows/ticket.messages.js';
import { requireScope, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, notFound } from '../http-error.js';
import { ticketAnswer } from '../readable-views.js';
import { createTicket, createTicketFromConversation, updateTicket } from '../services/ticket-service.js';
import { idempotencyKeyOf, parse } from '../validate.js';

const subject = z.string().trim().min(1, 'A subject cannot be empty').max(300);
const description = z.string().max(20_000);
const createBody = z.strictObject({
  subject,
  description: description.optional(),
  customerId: z.uuid(),
  priority: z.enum(priorities).optional(),
  conversationId: z.uuid().optional(),
});
const fromConversationBody = z.strictObject({ subject: subject.optional(), description: description.optional(), priority: z.enum(priorities).optional() });
const listQuery = z.strictObject({
  status: z.enum(ticketStatuses).optional(),
  assignee: z.enum(['me', 'unassigned']).optional(),
});
const idParams = z.object({ id: z.uuid() });
// Every status is valid input; whether the ticket may move there is the workflow's answer (409).
const statusBody = z.strictObject({ status: z.enum(ticketStatuses) });
const assignBody = z.strictObject({ assigneeId: z.uuid().nullable() });
const priorityBody = z.strictObject({ priority: z.enum(priorities) });

/** The same rule as domain/visibility.ts, as a database filter. */
function visibleTo(viewer: StaffViewer): Prisma.TicketWhereInput {
  if (viewer.kind === 'integration' || viewer.role === 'admin') return {};
  return { OR: [{ assigneeId: viewer.userId }, { teamId: null }, ...(viewer.teamId ? [{ teamId: viewer.teamId }] : [])] };
}

export function ticketRoutes(deps: ApiDeps): Router {
  const router = Router();

  const visibleTicket = async (viewer: StaffViewer, params: unknown) => {
    const { id } = parse(idParams, params, 'path');
    const ticket = await deps.db.ticket.findUnique({
      where: { id },
      include: { ...ticketInclude, conversations: { select: { conversationId: true }, orderBy: { createdAt: 'asc' } } },
    });
    if (!ticket || !canSee(viewer, { ...ticket, internal: false })) throw notFound('Ticket');
    return ticket;
  };

  router.post('/api/tickets', async (req, res) => {
    const viewer = requireScope(res, 'tickets:write');
    const input = parse(createBody, req.body ?? {});
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
    const input = parse(fromConversationBody, req.body ?? {});
    const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
    const result = await createTicketFromConversation(deps, viewer, id, { ...input, idempotencyKey });
    res.status(result.created ? 201 : 200).json({ ticket: ticketAnswer(viewer, result.ticket) });
  });

  router.get('/api/tickets', async (req, res) => {
    const viewer = requireScope(res, 'tickets:read');
    const query = parse(listQuery, req.query, 'query');
    const me = viewer.kind === 'user' ? viewer.userId : null;
    if (query.assignee === 'me' && !me) throw badRequest('invalid_input', 'assignee=me needs a signed-in agent: an API key is assigned nothing.');
    const where: Prisma.TicketWhereInput = {
      AND: [
        visibleTo(viewer),
        query.status ? { status: query.status } : {},
        query.assignee === 'me' ? { assigneeId: me } : {},
        query.assignee === 'unassigned' ? { assigneeId: null } : {},
      ],
    };
    const rows = await deps.db.ticket.findMany({ where, include: ticketInclude, orderBy: { createdAt: 'desc' }, take: 200 });
    res.json({ tickets: rows.map(toTicketView) });
  });

  router.get('/api/tickets/:id', async (req, res) => {
    const { conversations, ...ticket } = await visibleTicket(requireScope(res, 'tickets:read'), req.params);
    res.json({ ticket: toTicketView(ticket), conversations: conversations.map((link) => link.conversationId) });
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

  lifecycle('status', statusBody, setTicketStatusUpdate, ({ status }, byUserId) => ({ byUserId, status }));
  lifecycle('assign', assignBody, assignTicketUpdate, ({ assigneeId }, byUserId) => ({ byUserId, assigneeId }));
  lifecycle('priority', priorityBody, setTicketPriorityUpdate, ({ priority }, byUserId) => ({ byUserId, priority }));

  return router;
}
