// Conversations, messages and tickets as agents and integrations see them, what a widget visitor
// sees of its own, and what hangs off a conversation: an email's original, scheduled messages,
// follow-ups, the explanations of its decisions, a reply draft.
import { z } from 'zod';
import { routingPolicy } from '../../../domain/explanation.js';
import { followUpStepSchema } from '../../../domain/follow-ups.js';
import { followUpEndReasons, followUpStatuses, type FollowUpView } from '../../follow-ups.js';
import type { ExplanationsResponse } from '../../explanations.js';
import { scheduledMessageStatuses, type ScheduledMessageView } from '../../scheduled-messages.js';
import {
  agentTiers,
  authorKinds,
  channelKinds,
  conversationStatuses,
  presences,
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
  type EmailAddressView,
  type EmailOriginalView,
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

export const citationSchema = z.strictObject({ id, title: z.string(), slug: z.string(), locale: z.string() });
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

export const attachmentSchema = z.strictObject({ id, fileName: z.string(), contentType: z.string(), size: z.int(), inline: z.boolean() });

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

const emailAddressSchema = tied<EmailAddressView>()('EmailAddress', z.strictObject({ name: z.string(), address: z.string() }));

/** GET /api/conversations/:id/messages/:messageId/email: the original of a message that came by email. */
export const emailOriginalViewSchema = tied<EmailOriginalView>()(
  'EmailOriginal',
  z.strictObject({
    messageId: id,
    conversationId: id,
    inboundEmailId: id,
    subject: z.string(),
    from: emailAddressSchema.nullable(),
    to: z.array(emailAddressSchema),
    cc: z.array(emailAddressSchema),
    date: timestamp.nullable(),
    receivedAt: timestamp,
    html: z.string().nullable(),
    htmlWithoutQuote: z.string().nullable(),
    text: z.string(),
    textWithoutQuote: z.string().nullable(),
    remoteImages: z.int(),
    htmlTruncated: z.boolean(),
    automated: z.boolean(),
  }),
);

export const scheduledMessageViewSchema = tied<ScheduledMessageView>()(
  'ScheduledMessage',
  z.strictObject({
    id,
    conversationId: id,
    authorId: id,
    authorName: z.string().nullable(),
    body: z.string(),
    sendAt: timestamp,
    status: z.enum(scheduledMessageStatuses),
    failureReason: z.string().nullable(),
    messageId: id.nullable(),
    sentAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);

const ruleConditionTraceSchema = z.strictObject({
  field: z.string(),
  op: z.string(),
  /** The condition's value and the one seen: any JSON value. */
  expected: z.unknown(),
  seen: z.unknown(),
  held: z.boolean(),
});

const explanationSchema = z.union([
  z.strictObject({
    kind: z.literal('routing'),
    policy: z.literal(routingPolicy),
    outcome: z.enum(['assigned', 'queued']),
    tier: z.enum(routingTiers),
    teamId: id.nullable(),
    skill: z.string().nullable(),
    skillFallback: z.boolean(),
    overflow: z.boolean(),
    candidates: z.array(
      z.strictObject({
        agentId: id,
        tier: z.enum(agentTiers),
        teamId: id.nullable(),
        presence: z.enum(presences),
        skilled: z.boolean().nullable(),
        open: z.int().nullable(),
        capacity: z.int().nullable(),
        idleMinutes: z.number().nullable(),
        verdict: z.enum(['chosen', 'offline', 'away', 'at_capacity', 'lacks_skill', 'more_load', 'idle_less', 'tie']),
      }),
    ),
    more: z.int(),
  }),
  z.strictObject({
    kind: z.literal('escalation'),
    metric: z.enum(['first_response', 'next_response', 'resolution']),
    action: z.enum(['notify', 'raise_priority', 'move_to_expert', 'reassign_to_lead']),
    step: z.int(),
    steps: z.int(),
    policyName: z.string().nullable(),
    dueAt: timestamp.nullable(),
    escalatedAt: timestamp,
  }),
  z.strictObject({
    kind: z.literal('bot'),
    outcome: z.enum(['answered', 'clarifying', 'declined']),
    reason: z.string().nullable(),
    confidence: z.number(),
    threshold: z.number().nullable(),
    calibrated: z.boolean().nullable(),
    alternatives: z.array(z.strictObject({ title: z.string(), score: z.number() })).readonly(),
  }),
  z.strictObject({
    kind: z.literal('rule'),
    ruleName: z.string(),
    trigger: z.string(),
    mode: z.enum(['all', 'any', 'always']),
    conditions: z.array(ruleConditionTraceSchema).readonly(),
  }),
]);

/** GET /api/conversations/:id/explanations: why routing, the SLA, the bot and rules did what they did. */
export const explanationsSchema = tied<ExplanationsResponse>()(
  'Explanations',
  z.strictObject({
    explanations: z.array(
      z.strictObject({
        eventId: z.string(),
        type: z.string(),
        occurredAt: timestamp,
        explanation: explanationSchema,
        /** Agent names by id: an open map keyed by the ids the explanation mentions. */
        names: z.record(z.string(), z.string()),
        text: z.strictObject({ en: z.string(), 'zh-CN': z.string() }),
      }),
    ),
  }),
);

/** POST /api/conversations/:id/draft: a suggested reply with the articles it drew on. */
export const replyDraftSchema = z.strictObject({ draft: z.string(), citations: z.array(citationSchema), provider: z.enum(['openai', 'local']) });

/** A follow-up: steps sent while the customer stays silent (any reply ends it). */
export const followUpViewSchema = tied<FollowUpView>()(
  'FollowUp',
  z.strictObject({
    id,
    conversationId: id,
    authorId: id.nullable(),
    ruleId: id.nullable(),
    steps: z.array(followUpStepSchema),
    status: z.enum(followUpStatuses),
    sentSteps: z.int(),
    nextStepAt: timestamp.nullable(),
    endReason: z.enum(followUpEndReasons).nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);
