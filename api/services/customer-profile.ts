// An agent's edit of a contact's profile (the Contacts screen): the fields it names change, custom
// attribute values are checked against the definitions admins made (customer-attributes.ts), and
// `customer.updated` records which fields changed, before and after, on the contact's journey —
// in the edit's transaction, with the row locked so two edits apply one after the other.
import type { CustomerProfileInput } from '../../contract/requests/customers.js';
import type { Actor } from '../../infra/auth/principal.js';
import type { Db } from '../../infra/db.js';
import { appendEvent } from '../../infra/event-log.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { attributeValues, findCustomerAttributes } from '../finders/customer-finder.js';
import { conflict, notFound } from '../http-error.js';
import { checkAttributeValues } from './customer-attributes.js';
import { isUniqueViolation } from './prisma-errors.js';

const profileFields = ['name', 'email', 'phone', 'company', 'locale', 'vip', 'tags', 'notes', 'attributes'] as const;
type ProfileField = (typeof profileFields)[number];

/**
 * Applies the changes; 404 for an unknown contact, 400 `invalid_attributes` for a value its
 * definition refuses (or an undefined key), 409 `email_taken` for another contact's address.
 * Nothing is written when nothing changes. Returns whether anything changed.
 */
export async function updateCustomerProfile(db: Db, actor: Actor, customerId: string, changes: CustomerProfileInput): Promise<{ changed: string[] }> {
  const definitions = changes.attributes ? await findCustomerAttributes(db) : [];
  const attributes = changes.attributes ? checkAttributeValues(definitions, changes.attributes) : undefined;
  try {
    return await db.$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Customer" WHERE id = ${customerId}::uuid FOR UPDATE`;
      if (!locked) throw notFound('Customer');
      const row = await tx.customer.findUniqueOrThrow({ where: { id: customerId } });
      const current: Record<ProfileField, unknown> = {
        name: row.name,
        email: row.email,
        phone: row.phone,
        company: row.company,
        locale: row.locale,
        vip: row.vip,
        tags: row.tags,
        notes: row.notes,
        attributes: attributeValues(row.attributes),
      };
      const next: Partial<Record<ProfileField, unknown>> = { ...changes };
      if (attributes) {
        // A null value removes the key; the rest are set, other keys kept (an integration's too).
        const merged: Record<string, unknown> = { ...(row.attributes as Record<string, unknown>) };
        for (const [key, value] of Object.entries(attributes)) {
          if (value === null) delete merged[key];
          else merged[key] = value;
        }
        next.attributes = merged;
      }
      const changed = profileFields.filter((field) => next[field] !== undefined && JSON.stringify(next[field]) !== JSON.stringify(current[field]));
      if (changed.length === 0) return { changed: [] };
      const data: Prisma.CustomerUpdateInput = Object.fromEntries(changed.map((field) => [field, next[field]]));
      // A new address is not known to bounce.
      if (changed.includes('email')) Object.assign(data, { emailBouncedAt: null, emailBounceReason: null });
      await tx.customer.update({ where: { id: customerId }, data });
      await appendEvent(tx, {
        type: 'customer.updated',
        actorKind: actor.actorKind,
        actorId: actor.actorId,
        customerId,
        internal: true,
        payload: {
          changed,
          before: Object.fromEntries(changed.map((field) => [field, current[field]])),
          after: Object.fromEntries(
            changed.map((field) => [field, field === 'attributes' ? attributeValues(next.attributes as Prisma.JsonValue) : next[field]]),
          ),
        },
      });
      return { changed };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('email_taken', 'Another contact has this email address: merge the two contacts instead.');
    throw error;
  }
}
