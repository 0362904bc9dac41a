// Decisions behind the ticket screens: which statuses an agent is offered, who a ticket can be
// given to, the subject a ticket raised from a conversation starts with, where a linked
// conversation opens in the inbox, and the ticket's SLA as the badge shows it. Pure and tested;
// the workflow decides for real (a refused change answers 409 and the screen shows why).
import { subjectFrom, ticketTransitions } from '../../../domain/ticket-flow';
import type { TicketStatus } from '../../../domain/vocabulary';
import type { InboxView } from '../inbox/inbox-list';
import type { SlaStatus } from '../inbox/sla';
import type { ConversationView, MessageView, UserView } from '../shared/wire-types';
import type { TicketView } from './ticket-types';

/**
 * The statuses the status menu lists for a ticket: the current one first (selected), then every
 * status the lifecycle allows next (domain/ticket-flow.ts). `closed` is never offered: only the
 * workflow closes a ticket, some days after it was solved.
 */
export function statusChoices(status: TicketStatus): TicketStatus[] {
  return [status, ...ticketTransitions[status]];
}

/** A closed ticket takes no more changes (the API answers 409 `ticket_closed`). */
export function isTicketEditable(ticket: Pick<TicketView, 'status'>): boolean {
  return ticket.status !== 'closed';
}

export interface AssigneeOption {
  /** A user id, or '' for nobody. */
  value: string;
  label: string;
  isMe: boolean;
}

/**
 * Who a ticket can be given to: the signed-in agent first, then everyone else by name. The
 * current assignee is kept even when the directory does not list them (yet), so the select can
 * show who holds the ticket.
 */
export function assigneeOptions(users: readonly UserView[], meId: string, current: { id: string | null; name: string | null }): AssigneeOption[] {
  // Deactivated people are not offered (the current assignee still shows, below).
  const options = users.filter((user) => user.active).map((user) => ({ value: user.id, label: user.name, isMe: user.id === meId }));
  if (current.id && !options.some((option) => option.value === current.id)) {
    options.push({ value: current.id, label: current.name ?? current.id, isMe: current.id === meId });
  }
  return options.sort((a, b) => Number(b.isMe) - Number(a.isMe) || a.label.localeCompare(b.label));
}

/** The body of POST /api/tickets/:id/assign for a select value ('' = unassign). */
export function assignBody(value: string): string | null {
  return value === '' ? null : value;
}

/** One line of text, cut to `max` characters with an ellipsis: the server's own rule for subjects. */
export const oneLine = subjectFrom;

/**
 * The subject a new ticket starts with: the conversation's own subject, else its first customer
 * message on one line, else nothing (the form then asks for one).
 */
export function suggestedTicketSubject(conversation: Pick<ConversationView, 'subject'>, messages: readonly MessageView[]): string {
  if (conversation.subject?.trim()) return oneLine(conversation.subject, 300);
  const first = messages.find((message) => message.authorKind === 'customer' && message.body.trim());
  return first ? oneLine(first.body) : '';
}

/** The subject the create form may send: trimmed, 1–300 characters (the API's limits). */
export function validSubject(text: string): string | null {
  const subject = text.trim();
  return subject.length >= 1 && subject.length <= 300 ? subject : null;
}

/** The inbox view a conversation is listed in, so a link from a ticket opens it with its list. */
export function inboxViewOf(conversation: Pick<ConversationView, 'status'> | null): InboxView {
  if (conversation?.status === 'snoozed') return 'snoozed';
  if (conversation?.status === 'resolved' || conversation?.status === 'closed') return 'resolved';
  return 'all';
}

export function inboxPathOf(conversationId: string, conversation: Pick<ConversationView, 'status'> | null): string {
  return `/inbox/${inboxViewOf(conversation)}/${encodeURIComponent(conversationId)}`;
}

/**
 * The ticket's SLA for the badge: the workflow's state and the resolution due date, which it
 * writes on the ticket. Nothing once the ticket is solved or closed, or without a policy.
 */
export function ticketSlaOf(ticket: Pick<TicketView, 'status' | 'slaState' | 'resolutionDueAt'>): SlaStatus | null {
  if (ticket.status === 'solved' || ticket.status === 'closed' || ticket.slaState === 'none') return null;
  // Paused (pending, on hold): the due date moves when the clock runs again, so no countdown.
  const dueAt = ticket.slaState === 'paused' ? null : ticket.resolutionDueAt;
  return { state: ticket.slaState, dueAt, breachedAt: null };
}
