// Contacts as agents see them (the list, a profile, its journey, custom attributes, a merge, an
// erasure) and what the widget answers a visitor about itself: its customer, the channel's
// widget settings, its rating.
import { z } from 'zod';
import { customerAttributeTypes } from '../../requests/customers.js';
import type { CustomerAttributeDefinitionView, CustomerListItem, CustomerMergeView, CustomerPage, CustomerProfileView } from '../../customer-views.js';
import type { EventView } from '../../../domain/events.js';
import { conversationViewSchema, ticketViewSchema } from './conversations.js';
import { eventFields, id, named, tied, timestamp } from './support.js';

export const customerListItemSchema = tied<CustomerListItem>()(
  'CustomerListItem',
  z.strictObject({
    id,
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    vip: z.boolean(),
    tags: z.array(z.string()),
    lastSeenAt: timestamp.nullable(),
    createdAt: timestamp,
    conversationCount: z.int(),
  }),
);

export const customerPageSchema = tied<CustomerPage>()(
  'CustomerPage',
  z.strictObject({ customers: z.array(customerListItemSchema), total: z.int(), page: z.int(), pageSize: z.int() }),
);

export const customerProfileSchema = tied<CustomerProfileView>()(
  'CustomerProfile',
  customerListItemSchema.extend({
    locale: z.string().nullable(),
    timeZone: z.string().nullable(),
    notes: z.string().nullable(),
    externalId: z.string().nullable(),
    /** An open map by design: the keys are the custom attributes admins define (GET /api/customer-attributes). */
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).nullable()),
    ticketCount: z.int(),
    conversations: z.array(conversationViewSchema),
    tickets: z.array(ticketViewSchema),
  }),
);

export const customerMergeSchema = tied<CustomerMergeView>()(
  'CustomerMerge',
  z.strictObject({
    customer: customerProfileSchema,
    moved: z.strictObject({ conversations: z.int(), tickets: z.int(), messages: z.int(), events: z.int(), attachments: z.int() }),
    filled: z.array(z.string()),
  }),
);

export const customerAttributeDefinitionSchema = tied<CustomerAttributeDefinitionView>()(
  'CustomerAttributeDefinition',
  z.strictObject({ key: z.string(), labelEn: z.string(), labelZh: z.string(), type: z.enum(customerAttributeTypes), options: z.array(z.string()) }),
);

/** One entry of a contact's journey: an event as stored; its `payload` depends on its `type` (contract/events.ts). */
export const journeyEventSchema = tied<EventView>()(
  'JourneyEvent',
  z.strictObject({
    ...eventFields,
    customerId: z.string().nullable(),
    conversationId: z.string().nullable(),
    ticketId: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
  }),
);

/** POST /api/customers/:id/erase: what was deleted, by table, and what could not be. */
export const erasureSchema = named(
  'Erasure',
  z.strictObject({
    customerId: id,
    alreadyErased: z.boolean(),
    counts: z.record(z.string(), z.int()),
    workflowHistories: z.strictObject({ deleted: z.int(), absent: z.int(), failed: z.array(z.string()) }),
    filesNotDeleted: z.int(),
  }),
);

/** The widget's visitor: what it may know of its own customer record. */
export const visitorCustomerSchema = named('VisitorCustomer', z.strictObject({ id, name: z.string().nullable(), locale: z.string().nullable() }));

/** GET /api/widget/config: a web chat channel's widget settings. */
export const widgetConfigSchema = named(
  'WidgetConfig',
  z.strictObject({
    channelId: id,
    requireVerifiedIdentity: z.boolean(),
    preChatForm: z
      .strictObject({
        enabled: z.boolean(),
        askName: z.boolean(),
        askEmail: z.boolean(),
        nameRequired: z.boolean(),
        emailRequired: z.boolean(),
        fields: z.array(z.strictObject({ key: z.string(), label: z.strictObject({ en: z.string(), zh: z.string() }), required: z.boolean() })),
      })
      .nullable(),
    calls: z.boolean(),
  }),
);

/** A visitor's rating of a conversation (`replaced`: it changed an earlier one; `unchanged`: the same again). */
export const csatViewSchema = named(
  'Csat',
  z.strictObject({
    conversationId: id,
    score: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
    comment: z.string().nullable(),
    ratedAt: timestamp,
    replaced: z.boolean(),
    unchanged: z.boolean(),
    /** The csat.received event's id (event ids are ordered numbers, as strings). */
    eventId: z.string(),
  }),
);
