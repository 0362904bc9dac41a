// The customer an email address belongs to: found by the address (case-insensitive), else created
// with it. Mail from a new sender and an agent writing to a new address can race for one address;
// the unique email keeps it one customer.
import type { Db } from '../../../infra/db.js';
import { findOrCreate } from '../prisma-errors.js';

/** The id of the customer with this address, created (with the name, if any) when there is none. */
export function customerByEmail(db: Db, address: string, name: string | null | undefined): Promise<string> {
  const email = address.trim().toLowerCase();
  const find = async () => (await db.customer.findFirst({ where: { email: { equals: email, mode: 'insensitive' } }, select: { id: true } }))?.id ?? null;
  const create = async () => (await db.customer.create({ data: { email, name: name?.trim() || null }, select: { id: true } })).id;
  return findOrCreate(find, create);
}
