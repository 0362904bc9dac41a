// Contacts as agents read and edit them (the console's Contacts screen; api/routes/customer-routes.ts),
// and the custom attributes admins define for them.
import { z } from 'zod';

/** GET /api/customers: a search over name, email, phone, company, external id and custom attribute values (either Chinese script). */
export const customerListQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type CustomerListQuery = z.infer<typeof customerListQuery>;

/** The types a custom attribute may have. */
export const customerAttributeTypes = ['text', 'number', 'date', 'boolean', 'select'] as const;
export type CustomerAttributeType = (typeof customerAttributeTypes)[number];

/** A custom attribute's key: what Customer.attributes stores its value under. */
export const attributeKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be 1-40 lowercase letters, digits or _, starting with a letter (plan, account_id)');

/** One value of a custom attribute, checked against its definition by the service; null clears it. */
const attributeValue = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();

/** PATCH /api/customers/:id: the fields to change (null or '' clears a text field). */
export const customerProfileBody = z
  .strictObject({
    name: optionalText(200),
    email: z
      .union([z.literal(''), z.email().max(254)])
      .transform((value) => (value === '' ? null : value.toLowerCase()))
      .nullable()
      .optional(),
    phone: z
      .union([
        z.literal(''),
        z
          .string()
          .trim()
          .regex(/^\+?[0-9 ()./-]{3,40}$/, 'must be a phone number: digits, spaces, + ( ) - . /'),
      ])
      .transform((value) => (value === '' ? null : value))
      .nullable()
      .optional(),
    company: optionalText(200),
    locale: z
      .union([z.literal(''), z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a language tag (en, zh-CN, zh-TW)')])
      .transform((value) => (value === '' ? null : value))
      .nullable()
      .optional(),
    vip: z.boolean().optional(),
    tags: z
      .array(z.string().trim().min(1).max(50))
      .max(50)
      .transform((tags) => [...new Set(tags)])
      .optional(),
    notes: optionalText(10_000),
    attributes: z.record(attributeKey, attributeValue).optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: 'Change at least one field.' });
export type CustomerProfileInput = z.infer<typeof customerProfileBody>;

/** POST /api/customers/:id/merge: the contact to merge into this one (it is deleted). */
export const customerMergeBody = z.strictObject({ otherId: z.uuid() });

/** One custom attribute as an admin defines it. */
export const customerAttributeDefinition = z
  .strictObject({
    key: attributeKey,
    labelEn: z.string().trim().min(1).max(80),
    labelZh: z.string().trim().min(1).max(80),
    type: z.enum(customerAttributeTypes),
    options: z.array(z.string().trim().min(1).max(80)).max(50).default([]),
  })
  .refine((definition) => definition.type !== 'select' || definition.options.length > 0, {
    message: 'A select attribute needs at least one option.',
    path: ['options'],
  })
  .refine((definition) => new Set(definition.options).size === definition.options.length, { message: 'Options must differ.', path: ['options'] });

/** PUT /api/customer-attributes: the whole list, in the order the profile shows it. */
export const customerAttributesBody = z.strictObject({
  attributes: z
    .array(customerAttributeDefinition)
    .max(50)
    .refine((list) => new Set(list.map((definition) => definition.key)).size === list.length, { message: 'Each key may appear once.' }),
});
export type CustomerAttributesInput = z.infer<typeof customerAttributesBody>;
