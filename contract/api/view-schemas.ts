// The views of contract/views.ts as zod schemas, for the OpenAPI document's response bodies and
// for tests that check what the API answers. Each is tied to its TypeScript view by `tied`: the
// schema's output and the view must be the same type, or typecheck fails — so neither can change
// without the other. Views that are rarely read by integrations (rules, reports, settings, the
// admin pages' records) are described loosely in routes.ts instead (contract/api/README.md).
import { z } from 'zod';
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
  userRoles,
  waitingOnValues,
} from '../../domain/vocabulary.js';
import { customerConversationFields } from '../../domain/event-audience.js';
import type { ErrorBody } from '../errors.js';
import {
  articleLocales,
  articleStatuses,
  type ApiKeyView,
  type ArticleHit,
  type ArticleSummary,
  type ArticleView,
  type BulkConversationOutcome,
  type CannedResponseView,
  type ChannelView,
  type ConversationPage,
  type ConversationView,
  type CustomerConversationView,
  type CustomerMessageView,
  type CustomerSummary,
  type EmailChannelChoice,
  type MentionView,
  type MessagePage,
  type MessageView,
  type QueuePlaceView,
  type TeamView,
  type TicketView,
  type UserView,
} from '../views.js';

/** True only when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** An intersection or an interface as one object type, so that Equal compares members, not spellings. */
type Flat<T> = T extends object ? { [K in keyof T]: T[K] } : T;

/**
 * `tied<View>()(name, schema)` compiles only when the schema's output is exactly `View`; `name` is
 * the schema's name among the OpenAPI document's components.
 */
const tied =
  <View>() =>
  <Schema extends z.ZodType>(
    name: string,
    schema: Schema,
    ..._same: Equal<Flat<z.output<Schema>>, Flat<View>> extends true ? [] : ['the schema differs from its view']
  ) =>
    schema.meta({ id: name }) as Schema;

/** `{ a: true, b: true }` of `['a', 'b']`: a zod `pick` of a list of fields. */
const maskOf = <const Key extends string>(keys: readonly Key[]) => Object.fromEntries(keys.map((key) => [key, true])) as Record<Key, true>;

/** A moment as the API writes it (`Date.toISOString()`). */
const timestamp = z.iso.datetime({ offset: true });
const id = z.uuid();

/** A field that is never present (`kind?: undefined`); JSON Schema says so with `not: {}` (no value matches). */
const absent = z.undefined().meta({ type: 'string', not: {}, description: 'Never present.' });

export const errorBodySchema = tied<ErrorBody>()(
  'Error',
  z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string(), details: z.unknown().optional() }) }),
);

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

export const userViewSchema = tied<UserView>()(
  'User',
  z.strictObject({
    id,
    email: z.string(),
    name: z.string(),
    role: z.enum(userRoles),
    tier: z.enum(agentTiers),
    skills: z.array(z.string()),
    teamId: id.nullable(),
    capacity: z.int(),
    presence: z.enum(presences),
    locale: z.string(),
    timeZone: z.string(),
    active: z.boolean(),
  }),
);

export const teamViewSchema = tied<TeamView>()(
  'Team',
  z.strictObject({
    id,
    name: z.string(),
    tier: z.enum(agentTiers),
    leadId: id.nullable(),
    lead: z.strictObject({ id, name: z.string(), email: z.string() }).nullable(),
    businessHoursId: id.nullable(),
    businessHours: z.strictObject({ id, name: z.string(), timeZone: z.string() }).nullable(),
    timeZone: z.string().nullable(),
    memberCount: z.int(),
    createdAt: timestamp,
  }),
);

export const channelViewSchema = tied<ChannelView>()(
  'Channel',
  z.strictObject({
    id,
    kind: z.enum(channelKinds),
    name: z.string(),
    enabled: z.boolean(),
    settings: z.record(z.string(), z.unknown()),
    createdAt: timestamp,
    imap: z
      .strictObject({
        host: z.string(),
        port: z.int(),
        tls: z.enum(['tls', 'starttls', 'none']),
        username: z.string(),
        passwordSet: z.literal(true),
        mailbox: z.string(),
        enabled: z.boolean(),
        pollIntervalSeconds: z.int(),
        importDays: z.int(),
        health: z.strictObject({
          status: z.enum(['off', 'pending', 'ok', 'failing']),
          lastPolledAt: timestamp.nullable(),
          lastErrorCode: z.string().nullable(),
          lastError: z.string().nullable(),
          lastErrorAt: timestamp.nullable(),
        }),
        updatedAt: timestamp,
      })
      .nullable(),
  }),
);

export const imapSettingsViewSchema = channelViewSchema.shape.imap;

export const emailChannelChoiceSchema = tied<EmailChannelChoice>()('EmailChannelChoice', z.strictObject({ id, name: z.string(), address: z.string() }));

export const cannedResponseViewSchema = tied<CannedResponseView>()(
  'CannedResponse',
  z.strictObject({
    id,
    shortcut: z.string(),
    title: z.string(),
    body: z.string(),
    locale: z.string(),
    teamId: id.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);

export const apiKeyViewSchema = tied<ApiKeyView>()(
  'ApiKey',
  z.strictObject({
    id,
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    createdById: id.nullable(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  }),
);

export const mentionViewSchema = tied<MentionView>()(
  'Mention',
  z.strictObject({
    id: z.string(),
    conversationId: id,
    occurredAt: timestamp,
    mentionedUserId: id,
    messageId: id,
    by: z.strictObject({ userId: id.nullable(), name: z.string().nullable() }),
    excerpt: z.string(),
    conversationNumber: z.int(),
  }),
);

export const articleSummarySchema = tied<ArticleSummary>()(
  'ArticleSummary',
  z.strictObject({
    id,
    groupId: id,
    locale: z.enum(articleLocales),
    slug: z.string(),
    title: z.string(),
    category: z.string(),
    tags: z.array(z.string()),
    questions: z.array(z.string()),
    status: z.enum(articleStatuses),
    version: z.int(),
    authorId: id.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    publishedAt: timestamp.nullable(),
  }),
);

export const articleViewSchema = tied<ArticleView>()('Article', articleSummarySchema.extend({ body: z.string() }));

/** What a key with `knowledge:write` but not `knowledge:read` gets of the article it wrote (docs/PERMISSIONS.md). */
export const articleReceiptSchema = articleViewSchema.pick({ id: true, slug: true, locale: true, status: true, version: true, updatedAt: true });

export const articleHitSchema = tied<ArticleHit>()(
  'ArticleHit',
  z.strictObject({ articleId: id, groupId: id, locale: z.string(), slug: z.string(), title: z.string(), snippet: z.string(), score: z.number() }),
);

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
