// The JSON shapes the API returns and events carry, built from database rows in one place so
// REST responses and realtime payloads never disagree. The shapes are contract/views.ts's: the
// console reads the same types, so a field changed here and not there fails typecheck.
import type { ConversationView, MessageAttachmentView, MessageDelivery, MessageMetadata, MessageView, PeopleFields, TicketView } from '../contract/views.js';
import type { Prisma } from '../prisma/generated/client.js';

export type { ConversationView, MessageMetadata, MessageView, TicketView };

/** The customer and assignee every conversation and ticket view names. */
const peopleInclude = {
  customer: { select: { id: true, name: true, email: true, emailBouncedAt: true, emailBounceReason: true } },
  assignee: { select: { id: true, name: true } },
} as const;

type PeopleRow = Pick<
  Prisma.ConversationGetPayload<{ include: typeof peopleInclude }> | Prisma.TicketGetPayload<{ include: typeof peopleInclude }>,
  'assigneeId' | 'assignee' | 'teamId' | 'customerId' | 'customer'
>;

/** Whose it is and who has it: the same fields, from the same include, on both views. */
function peopleOf(row: PeopleRow): PeopleFields {
  return {
    assigneeId: row.assigneeId,
    assigneeName: row.assignee?.name ?? null,
    teamId: row.teamId,
    customerId: row.customerId,
    customer: customerSummaryOf(row.customer),
  };
}

/** The customer as a conversation or ticket names them; `emailBounce` only while their address bounces. */
function customerSummaryOf(row: PeopleRow['customer']): PeopleFields['customer'] {
  const { id, name, email, emailBouncedAt, emailBounceReason } = row;
  return emailBouncedAt ? { id, name, email, emailBounce: { at: emailBouncedAt.toISOString(), reason: emailBounceReason ?? '5.0.0' } } : { id, name, email };
}

export const conversationInclude = { ...peopleInclude, channel: { select: { kind: true } } } satisfies Prisma.ConversationInclude;

export type ConversationRow = Prisma.ConversationGetPayload<{ include: typeof conversationInclude }>;

/** The fields of a conversation row its view reads (a raw read may select only these). */
export type ConversationViewRow = Pick<
  ConversationRow,
  | 'id'
  | 'number'
  | 'status'
  | 'waitingOn'
  | 'priority'
  | 'tier'
  | 'assigneeId'
  | 'assignee'
  | 'teamId'
  | 'customerId'
  | 'customer'
  | 'subject'
  | 'channel'
  | 'lastMessageAt'
  | 'resolvedAt'
  | 'snoozedUntil'
  | 'tags'
  | 'slaState'
  | 'firstResponseDueAt'
  | 'nextResponseDueAt'
  | 'resolutionDueAt'
  | 'createdAt'
>;

export function toConversationView(row: ConversationViewRow): ConversationView {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    waitingOn: row.waitingOn,
    priority: row.priority,
    tier: row.tier,
    ...peopleOf(row),
    subject: row.subject,
    channelKind: row.channel.kind,
    lastMessageAt: row.lastMessageAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    snoozedUntil: row.snoozedUntil?.toISOString() ?? null,
    tags: row.tags,
    // Written by the workflow as its clocks move: what the agent's SLA countdown shows.
    slaState: row.slaState,
    firstResponseDueAt: row.firstResponseDueAt?.toISOString() ?? null,
    nextResponseDueAt: row.nextResponseDueAt?.toISOString() ?? null,
    resolutionDueAt: row.resolutionDueAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export const messageInclude = {
  authorUser: { select: { name: true } },
  customer: { select: { name: true } },
  outboundEmail: { select: { status: true, lastError: true } },
  attachments: {
    select: { id: true, fileName: true, contentType: true, size: true, inlineCid: true },
    orderBy: [{ createdAt: 'asc' }, { position: 'asc' }, { id: 'asc' }],
  },
} satisfies Prisma.MessageInclude;

export type MessageRow = Prisma.MessageGetPayload<{ include: typeof messageInclude }>;

export function toMessageView(row: MessageRow): MessageView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    authorKind: row.authorKind,
    authorUserId: row.authorUserId,
    authorName: row.authorUser?.name ?? row.customer?.name ?? null,
    body: row.body,
    private: row.private,
    /** A bot answer's citations and confidence; null for people's messages. */
    metadata: (row.metadata ?? null) as MessageMetadata | null,
    createdAt: row.createdAt.toISOString(),
    // Only a message with files lists them (message-store.ts builds the same in SQL).
    ...(row.attachments.length > 0 ? { attachments: row.attachments.map(toAttachmentView) } : {}),
    // Only a message that leaves as mail has one (an OutboundEmail row); message-store.ts builds the same in SQL.
    ...(row.outboundEmail ? { delivery: deliveryOf(row.outboundEmail) } : {}),
  };
}

/** A message's file as the views show it. */
export function toAttachmentView(row: { id: string; fileName: string; contentType: string; size: number; inlineCid: string | null }): MessageAttachmentView {
  return { id: row.id, fileName: row.fileName, contentType: row.contentType, size: row.size, inline: row.inlineCid !== null };
}

/** A message's mail as the views show it: the error only when there is one. */
export function deliveryOf(row: { status: MessageDelivery['status']; lastError: string | null }): MessageDelivery {
  return row.lastError ? { status: row.status, error: row.lastError } : { status: row.status };
}

/** Who may see events about this conversation or ticket (see domain/visibility.ts). */
export function conversationScope(row: { customerId: string; teamId: string | null; assigneeId: string | null }) {
  return { customerId: row.customerId, teamId: row.teamId, assigneeId: row.assigneeId };
}

export const ticketInclude = peopleInclude satisfies Prisma.TicketInclude;

export type TicketRow = Prisma.TicketGetPayload<{ include: typeof ticketInclude }>;

export function toTicketView(row: TicketRow): TicketView {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    description: row.description,
    status: row.status,
    priority: row.priority,
    tier: row.tier,
    ...peopleOf(row),
    slaState: row.slaState,
    resolutionDueAt: row.resolutionDueAt?.toISOString() ?? null,
    solvedAt: row.solvedAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Tickets follow the conversations' visibility rule. */
export const ticketScope = conversationScope;
