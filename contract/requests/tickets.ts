// Tickets: create (also from a conversation), the list's filters, the lifecycle actions.
import { z } from 'zod';
import { priorities, ticketStatuses } from '../../domain/vocabulary.js';
import { messageText } from './common.js';

export { priorityBody } from './conversations.js';

const subject = z.string().trim().min(1, 'A subject cannot be empty').max(300);
const description = z.string().max(20_000);

/** POST /api/tickets */
export const createTicketBody = z.strictObject({
  subject,
  description: description.optional(),
  customerId: z.uuid(),
  priority: z.enum(priorities).optional(),
  conversationId: z.uuid().optional(),
});
export type CreateTicketInput = z.input<typeof createTicketBody>;

/** POST /api/conversations/:id/ticket: subject and description default to the conversation's. */
export const ticketFromConversationBody = z.strictObject({
  subject: subject.optional(),
  description: description.optional(),
  priority: z.enum(priorities).optional(),
});

/** GET /api/tickets */
export const ticketListQuery = z.strictObject({
  status: z.enum(ticketStatuses).optional(),
  assignee: z.enum(['me', 'unassigned']).optional(),
});
export type TicketListQuery = z.infer<typeof ticketListQuery>;

/** POST /api/tickets/:id/first-reply: the first reply to the requester of a ticket without a conversation, by email. */
export const ticketFirstReplyBody = z.strictObject({ body: messageText });

/** POST /api/tickets/:id/status: every status is valid input; whether the ticket may move there is the workflow's answer (409). */
export const ticketStatusBody = z.strictObject({ status: z.enum(ticketStatuses) });

/** POST /api/tickets/:id/assign: a user, or null to unassign. */
export const ticketAssignBody = z.strictObject({ assigneeId: z.uuid().nullable() });
