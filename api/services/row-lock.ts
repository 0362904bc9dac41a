// Admin writes lock the row they change first (SELECT … FOR UPDATE): two concurrent edits of one
// record apply one after the other, each checking what the other wrote, and a delete cannot slip
// in between a check and the write.
import type { Tx } from '../../infra/db.js';
import { Prisma } from '../../prisma/generated/client.js';
import { notFound } from '../http-error.js';

/** The tables admins edit record by record, and tickets (two agents' first replies: ticket-first-reply.ts). */
export type LockedTable = 'AutomationRule' | 'BusinessHours' | 'CannedResponse' | 'Channel' | 'SlaPolicy' | 'Team' | 'Ticket';

/** Locks the row until the transaction ends; 404 ("`what` was not found") when there is none. */
export async function lockRowOrNotFound(tx: Tx, table: LockedTable, id: string, what: string): Promise<void> {
  const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM ${Prisma.raw(`"${table}"`)} WHERE id = ${id}::uuid FOR UPDATE`;
  if (!locked) throw notFound(what);
}
