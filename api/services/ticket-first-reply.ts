// The first reply on a ticket nobody has written to yet (issue 21): a ticket raised without a
// conversation (from the API, or by an agent for a customer who never wrote) gets a reply box
// like any other, and, as in Zendesk, the agent's first public reply is what starts the thread
// with the requester: an email conversation to their address (start-email-conversation.ts, the
// same path as "write first by email"), linked to the ticket. Later replies and internal notes
// go into that conversation as on every linked ticket.
import type { StaffViewer } from '../../domain/visibility.js';
import type { ApiDeps } from '../deps.js';
import { findVisibleTicket } from '../finders/ticket-finder.js';
import { conflict, notFound } from '../http-error.js';
import { firstEmailChannelId } from './email/first-email-channel.js';
import { startEmailConversation } from './email/start-email-conversation.js';
import { lockRowOrNotFound } from './row-lock.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;

export async function firstTicketReply(
  deps: Deps,
  viewer: Extract<StaffViewer, { kind: 'user' }>,
  ticketId: string,
  body: string,
  idempotencyKey: string | null,
) {
  const { db } = deps;
  const ticket = await findVisibleTicket(db, viewer, ticketId);
  if (!ticket) throw notFound('Ticket');
  if (ticket.status === 'closed') throw conflict('ticket_closed', 'The ticket is closed.');
  const email = ticket.customer.email;
  if (!email) throw conflict('no_requester_email', 'The requester has no email address to write to.');
  const channelId = await firstEmailChannelId(db);
  if (!channelId) throw conflict('no_email_channel', 'No email channel is switched on to write from.');
  // The check and the link are made under the ticket's row lock in the conversation's own
  // transaction: of two agents replying at once, the second waits, finds the first one's link and
  // stores nothing (409); the console then reloads the ticket and replies in its conversation.
  return startEmailConversation(
    deps,
    viewer.userId,
    { channelId, customerEmail: email, subject: ticket.subject, body },
    idempotencyKey,
    async (tx, conversationId) => {
      await lockRowOrNotFound(tx, 'Ticket', ticket.id, 'Ticket');
      if ((await tx.ticketConversation.count({ where: { ticketId: ticket.id } })) > 0) {
        throw conflict('ticket_has_conversation', 'The ticket has a conversation: reply in it.');
      }
      await tx.ticketConversation.create({ data: { ticketId: ticket.id, conversationId } });
    },
  );
}
