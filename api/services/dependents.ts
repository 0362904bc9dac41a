// What still depends on a record an admin wants to delete: counts of the rows that hold it, and
// the 409 that names them ("The team still has 2 members, 1 open ticket.").
import { activeConversationStatuses } from '../../domain/conversation-lifecycle.js';
import type { ConversationStatus, TicketStatus } from '../../domain/vocabulary.js';
import { HttpError } from '../http-error.js';

/** Conversations still being worked on (resolved and closed ones are done); mutable for Prisma's `in`. */
export const openConversationStatuses: ConversationStatus[] = [...activeConversationStatuses];
/** Tickets still being worked on (solved and closed ones are done). */
export const openTicketStatuses: TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];

const names: Record<string, [one: string, many: string]> = {
  members: ['member', 'members'],
  openConversations: ['open conversation', 'open conversations'],
  openTickets: ['open ticket', 'open tickets'],
  conversations: ['conversation', 'conversations'],
  tickets: ['ticket', 'tickets'],
  teams: ['team', 'teams'],
  slaPolicies: ['SLA policy', 'SLA policies'],
  cannedResponses: ['canned response', 'canned responses'],
};

/** "2 members", "1 open ticket", ... for each count above zero. */
export function describeDependents(counts: Record<string, number>): string[] {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([key, count]) => {
      const [one, many] = names[key] ?? [key, key];
      return `${count} ${count === 1 ? one : many}`;
    });
}

/**
 * Throws 409 `code` when anything depends on the record, the message naming what ("The team
 * still has" + " 2 members, 1 open ticket."); `details` carries every count, so the console can
 * say what to move first. `advice` ends the message ("Disable it instead.").
 */
export function refuseWhileInUse(code: string, lead: string, counts: Record<string, number>, advice = ''): void {
  const dependents = describeDependents(counts);
  if (dependents.length === 0) return;
  throw new HttpError(409, code, `${lead} ${dependents.join(', ')}.${advice ? ` ${advice}` : ''}`, counts);
}
