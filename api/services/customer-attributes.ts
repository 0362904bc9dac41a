// The custom attributes of contacts, as admins define them (key, labels in English and Chinese,
// type, options for a select): the definitions are rows of CustomerAttribute, replaced as a whole
// list by an admin (audited as settings.changed, section customerAttributes); the values live in
// Customer.attributes and are checked here against their definition when an agent edits them.
import type { CustomerAttributeDefinitionView } from '../../contract/customer-views.js';
import type { CustomerAttributesInput } from '../../contract/requests/customers.js';
import type { Db } from '../../infra/db.js';
import { appendEvent } from '../../infra/event-log.js';
import { findCustomerAttributes } from '../finders/customer-finder.js';
import { badRequest } from '../http-error.js';

type Value = string | number | boolean | null;

/**
 * The values as stored: a number for a number, an ISO date (YYYY-MM-DD) for a date, one of the
 * options for a select, a boolean for a boolean, trimmed text for text; null clears. 400
 * `invalid_attributes` naming each refused key, nothing stored.
 */
export function checkAttributeValues(definitions: readonly CustomerAttributeDefinitionView[], values: Record<string, Value>): Record<string, Value> {
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
  const problems: { key: string; message: string }[] = [];
  const checked: Record<string, Value> = {};
  for (const [key, value] of Object.entries(values)) {
    const definition = byKey.get(key);
    if (!definition) {
      problems.push({ key, message: 'No custom attribute has this key (an admin defines them).' });
      continue;
    }
    if (value === null || value === '') {
      checked[key] = null;
      continue;
    }
    const refused = (message: string) => problems.push({ key, message });
    switch (definition.type) {
      case 'text':
        if (typeof value === 'string') checked[key] = value.trim();
        else refused('must be text');
        break;
      case 'number': {
        const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
        if (Number.isFinite(number)) checked[key] = number;
        else refused('must be a number');
        break;
      }
      case 'date':
        if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) checked[key] = value;
        else refused('must be a date (YYYY-MM-DD)');
        break;
      case 'boolean':
        if (typeof value === 'boolean') checked[key] = value;
        else refused('must be true or false');
        break;
      case 'select':
        if (typeof value === 'string' && definition.options.includes(value)) checked[key] = value;
        else refused(`must be one of: ${definition.options.join(', ')}`);
        break;
    }
  }
  if (problems.length > 0) throw badRequest('invalid_attributes', 'Some custom attribute values were refused.', { attributes: problems });
  return checked;
}

/** Replaces the definitions (the list's order is the profile's); values of removed keys stay stored, unshown. */
export async function replaceCustomerAttributes(db: Db, adminId: string, input: CustomerAttributesInput): Promise<CustomerAttributeDefinitionView[]> {
  return db.$transaction(async (tx) => {
    // One admin's save at a time: the whole list is replaced.
    await tx.$executeRaw`LOCK TABLE "CustomerAttribute" IN SHARE ROW EXCLUSIVE MODE`;
    const before = await findCustomerAttributes(tx);
    await tx.customerAttribute.deleteMany({ where: { key: { notIn: input.attributes.map((definition) => definition.key) } } });
    for (const [position, definition] of input.attributes.entries()) {
      const data = { ...definition, options: definition.type === 'select' ? definition.options : [], position };
      await tx.customerAttribute.upsert({ where: { key: definition.key }, create: data, update: data });
    }
    const after = await findCustomerAttributes(tx);
    await appendEvent(tx, {
      type: 'settings.changed',
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { section: 'customerAttributes', before, after },
    });
    return after;
  });
}
