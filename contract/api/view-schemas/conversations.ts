// Conversations, messages and tickets as agents and integrations see them, and what a widget
// visitor sees of its own.
import { z } from 'zod';
import {
  authorKinds,
  channelKinds,
  conversationStatuses,
  priorities,
  routingTiers,
  slaStates,
  ticketStatuses,
  waitingOnValues,
} from '../../../domain/vocabulary.js';
import { customerConversationFields } from '../../../domain/event-audience.js';
import {
  type BulkConversationOutcome,
  type ConversationPage,
  type ConversationView,
  type CustomerConversationView,
  type CustomerMessageView,
  type CustomerSummary,
  type MessagePage,
  type MessageView,
  type QueuePlaceView,
  type TicketView,
} from '../../views.js';
import { tied, maskOf, timestamp, id, absent } from './support.js';

export const customerSummarySchema = tied<CustomerSummary>()(
  'CustomerSummary',
  z.strictObject({
    id,
    name: z.string().nullable(),
    email: z.string().nullable(),
    emailBounce: z.strictObject({ at: timestamp, reason: z.string() }).optional(),
  }),
);

const peopleFields = {
  assigneeId: id.nullable(),
  assigneeName: z.string().nullable(),
  teamId: id.nullable(),
  customerId: id,
  customer: customerSummarySchema,
};

const messagePreviewSchema = z.strictObject({
  authorKind: z.enum(authorKinds),
  private: z.boolean(),
  text: z.string(),
  files: z.int(),
  fileName: z.string().nullable(),
  emailSubject: z.string().nullable(),
  createdAt: timestamp,
});

export const conversationViewSchema = tied<ConversationView>()(
  'Conversation',
  z.strictObject({
    ...peopleFields,
    id,
    number: z.int(),
    status: z.enum(conversationStatuses),
    waitingOn: z.enum(waitingOnValues).nullable(),
    priority: z.enum(priorities),
    tier: z.enum(routingTiers),
    subject: z.string().nullable(),
    channelKind: z.enum(channelKinds),
    lastMessageAt: timestamp,
    resolvedAt: timestamp.nullable(),
    snoozedUntil: timestamp.nullable(),
    tags: z.array(z.string()),
    slaState: z.enum(slaStates),
    firstResponseDueAt: timestamp.nullable(),
    nextResponseDueAt: timestamp.nullable(),
    resolutionDueAt: timestamp.nullable(),
    createdAt: timestamp,
    lastMessage: messagePreviewSchema.nullable().optional(),
    unreadCount: z.int().optional(),
    waitingSince: timestamp.nullable().optional(),
  }),
);

const citationSchema = z.strictObject({ id, title: z.string(), slug: z.string(), locale: z.string() });
const botChoiceSchema = citationSchema.extend({ answer: z.string() });

const emailMetadataSchema = z.strictObject({
  inboundEmailId: id,
  subject: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  automated: z.boolean(),
  automatedReasons: z.array(z.string()).optional(),
  autoAnswerWithheld: z.literal('sender_limit').optional(),
});

const messageMetadataSchema = z.union([
  z.strictObject({
    kind: z.literal('bot_answer'),
    confidence: z.number().optional(),
    citations: z.array(citationSchema).optional(),
    partial: z.boolean().optional(),
    choices: z.array(botChoiceSchema).optional(),
  }),
  z.strictObject({
    kind: z.literal('handoff_summary'),
    reason: z.string().optional(),
    classification: z
      .strictObject({ tier: z.string().nullable().optional(), language: z.string().nullable().optional(), priority: z.string().nullable().optional() })
      .optional(),
  }),
  z.strictObject({
    kind: absent.optional(),
    email: emailMetadataSchema,
    sender: z.strictObject({ name: z.string().nullable(), address: z.string() }).optional(),
  }),
  z.strictObject({
    kind: z.literal('email_bounce'),
    email: emailMetadataSchema,
    bounce: z.strictObject({
      failedRecipients: z.array(z.string()),
      permanent: z.boolean(),
      status: z.string().nullable(),
      originalMessageId: z.string().nullable(),
    }),
  }),
]);

const attachmentSchema = z.strictObject({ id, fileName: z.string(), contentType: z.string(), size: z.int(), inline: z.boolean() });

export const messageViewSchema = tied<MessageView>()(
  'Message',
  z.strictObject({
    id,
    conversationId: id,
    authorKind: z.enum(authorKinds),
    authorUserId: id.nullable(),
    authorName: z.string().nullable(),
    body: z.string(),
    private: z.boolean(),
    metadata: messageMetadataSchema.nullable(),
    createdAt: timestamp,
    attachments: z.array(attachmentSchema).optional(),
    delivery: z.strictObject({ status: z.enum(['queued', 'sent', 'failed']), error: z.string().optional() }).optional(),
  }),
);

export const conversationPageSchema = tied<ConversationPage>()(
  'ConversationPage',
  z.strictObject({ conversations: z.array(conversationViewSchema), nextCursor: z.string().nullable() }),
);
export const messagePageSchema = tied<MessagePage>()(
  'MessagePage',
  z.strictObject({ messages: z.array(messageViewSchema), nextCursor: z.string().nullable() }),
);

export const bulkOutcomeSchema = tied<BulkConversationOutcome>()(
  'BulkConversationOutcome',
  z.union([
    z.strictObject({ conversationId: id, ok: z.literal(true), conversation: conversationViewSchema }),
    z.strictObject({ conversationId: id, ok: z.literal(false), status: z.int(), error: z.strictObject({ code: z.string(), message: z.string() }) }),
  ]),
);

export const ticketViewSchema = tied<TicketView>()(
  'Ticket',
  z.strictObject({
    ...peopleFields,
    id,
    number: z.int(),
    subject: z.string(),
    description: z.string(),
    status: z.enum(ticketStatuses),
    priority: z.enum(priorities),
    tier: z.enum(routingTiers),
    slaState: z.enum(slaStates),
    resolutionDueAt: timestamp.nullable(),
    solvedAt: timestamp.nullable(),
    closedAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);

/** What a key with `tickets:write` but not `tickets:read` gets of the ticket it created (docs/PERMISSIONS.md). */
export const ticketReceiptSchema = ticketViewSchema.pick({ id: true, number: true, status: true, createdAt: true });

export const customerConversationViewSchema = tied<CustomerConversationView>()(
  'CustomerConversation',
  conversationViewSchema.pick(maskOf(customerConversationFields)),
);

export const customerMessageViewSchema = tied<CustomerMessageView>()(
  'CustomerMessage',
  messageViewSchema
    .pick({ id: true, conversationId: true, authorKind: true, authorName: true, body: true, private: true, createdAt: true, attachments: true })
    .extend({
      metadata: z
        .strictObject({
          kind: z.literal('bot_answer'),
          citations: z.array(citationSchema),
          partial: z.boolean().optional(),
          choices: z.array(botChoiceSchema).optional(),
        })
        .nullable(),
    }),
);

export const queuePlaceViewSchema = tied<QueuePlaceView>()(
  'QueuePlace',
  z.strictObject({ waiting: z.boolean(), position: z.int().nullable(), expectedWaitMinutes: z.number().nullable() }),
);
