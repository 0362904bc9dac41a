// Ticket lifecycle rules, shared by the ticket workflow (its update validators) and the API.
// `closed` is terminal and reached only by the workflow itself (auto-close after solved).
import type { TicketStatus } from './vocabulary.js';

/** Statuses an agent may set, per current status; solved → open is a reopen. */
export const ticketTransitions: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open'],
  closed: [],
};

/** The statuses an agent can ask for at all (everything but `closed`). */
export const settableTicketStatuses = ['new', 'open', 'pending', 'on_hold', 'solved'] as const satisfies readonly TicketStatus[];

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return ticketTransitions[from].includes(to);
}

/** How the resolution clock stands in each status: counting, paused, or stopped (the work is done). */
export function resolutionClockIn(status: TicketStatus): 'running' | 'paused' | 'stopped' {
  if (status === 'new' || status === 'open') return 'running';
  if (status === 'pending' || status === 'on_hold') return 'paused';
  return 'stopped';
}

/** A customer reply brings a ticket back to the agents from these statuses (to `open`). */
export const reopenedByCustomerReply: readonly TicketStatus[] = ['pending', 'solved'];

/** Subjects taken from a customer's message are cut to this many characters. */
const derivedSubjectLength = 120;

/** A ticket subject from a customer's message: one line, at most `max` characters (… when cut). */
export function subjectFrom(text: string, max = derivedSubjectLength): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
