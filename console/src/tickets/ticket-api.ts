// The console's calls to the ticket endpoints (api/README.md, "Endpoints"), one function each.
// Kept beside the ticket screens rather than in api-client.ts so the feature stays in one
// folder; the HTTP client is the same.
import type { Priority, TicketStatus } from '../../../domain/vocabulary';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';
import { ticketQueryString, type TicketQuery, type TicketView } from './ticket-types';
import type { ConversationView, MessageView } from '../shared/wire-types';

export interface TicketApi {
  listTickets(query: TicketQuery, signal?: AbortSignal): Promise<{ tickets: TicketView[] }>;
  /** The ticket and the ids of its linked conversations, oldest link first. */
  getTicket(id: string): Promise<{ ticket: TicketView; conversations: string[] }>;
  createFromConversation(
    conversationId: string,
    input: { subject?: string; description?: string; priority?: Priority },
    idempotencyKey: string,
  ): Promise<{ ticket: TicketView }>;
  setStatus(id: string, status: TicketStatus): Promise<{ ticket: TicketView }>;
  assign(id: string, assigneeId: string | null): Promise<{ ticket: TicketView }>;
  setPriority(id: string, priority: Priority): Promise<{ ticket: TicketView }>;
  /** The first reply on a ticket without a conversation: emailed to the requester, it starts the ticket's conversation. */
  firstReply(id: string, body: string, idempotencyKey: string): Promise<{ conversation: ConversationView; message: MessageView }>;
}

export function createTicketApi(request: HttpClient): TicketApi {
  const ticket = (id: string) => `/api/tickets/${encodeURIComponent(id)}`;
  return {
    listTickets: (query, signal) => request('GET', `/api/tickets${ticketQueryString(query)}`, { signal }),
    getTicket: (id) => request('GET', ticket(id)),
    createFromConversation: (conversationId, input, idempotencyKey) =>
      request('POST', `/api/conversations/${encodeURIComponent(conversationId)}/ticket`, { body: input, idempotencyKey }),
    setStatus: (id, status) => request('POST', `${ticket(id)}/status`, { body: { status } }),
    assign: (id, assigneeId) => request('POST', `${ticket(id)}/assign`, { body: { assigneeId } }),
    setPriority: (id, priority) => request('POST', `${ticket(id)}/priority`, { body: { priority } }),
    firstReply: (id, body, idempotencyKey) => request('POST', `${ticket(id)}/first-reply`, { body: { body }, idempotencyKey }),
  };
}

/** Bound to the session; a 401 is checked through the session's own client, which signs out. */
export const ticketApi = createTicketApi(sessionRequest);
