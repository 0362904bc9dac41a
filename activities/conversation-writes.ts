// The two writes every conversation activity builds on, each inside the caller's transaction:
// a change of the conversation with the event that records it, and a message the system adds
// (a bot answer, a hand-off note) with its `message.created` event.
import type { EventDetailsOf } from '../contract/events.js';
import { eventTypes, type EventType } from '../domain/events.js';
import type { Tx } from '../infra/db.js';
import { appendEvent } from '../infra/event-log.js';
import type { Conversation, Prisma } from '../prisma/generated/client.js';
import { sqlOfTx, utcColumn, utcText, type Sql } from './sql.js';
import { emailDeliveryWorkflowId } from '../domain/workflow-ids.js';
import {
  conversationScope,
  deliveryOf,
  messageInclude,
  toConversationView,
  toMessageView,
  type ConversationViewRow,
  type MessageView,
} from '../infra/views.js';

export interface ConversationEvent<T extends EventType = EventType> {
  type: T;
  actorKind?: 'agent' | 'bot' | 'system';
  actorId: string | null;
  /** Internal events reach agents only, never the customer. */
  internal?: boolean;
  /** What contract/events.ts declares for the type, but the conversation (added here). */
  payload?: EventDetailsOf<T, 'conversation'>;
}

/** The columns a conversation activity changes, with the type each is cast to in SQL. */
const changeableColumns = {
  status: '"ConversationStatus"',
  waitingOn: '"WaitingOn"',
  priority: '"Priority"',
  tier: '"RoutingTier"',
  slaState: '"SlaState"',
  assigneeId: 'uuid',
  teamId: 'uuid',
  slaPolicyId: 'uuid',
  mergedIntoId: 'uuid',
  language: 'text',
  tags: 'text[]',
  reopenCount: 'int',
  snoozedUntil: 'timestamp(3)',
  resolvedAt: 'timestamp(3)',
  lastMessageAt: 'timestamp(3)',
  firstResponseDueAt: 'timestamp(3)',
  nextResponseDueAt: 'timestamp(3)',
  resolutionDueAt: 'timestamp(3)',
} as const;

/** A change of the conversation: new values of some of its columns (undefined: unchanged). */
export type ConversationColumns = { [K in keyof typeof changeableColumns]?: Conversation[K] | undefined };

/** The updated row with what its view names, as one statement reads it. */
interface ChangedRow extends Omit<ConversationViewRow, 'customer' | 'assignee' | 'channel'> {
  assigneeName: string | null;
  customerName: string | null;
  customerEmail: string | null;
  emailBouncedAt: Date | null;
  emailBounceReason: string | null;
  channelKind: ConversationViewRow['channel']['kind'];
}

/**
 * Writes the conversation and one event about it (carrying the updated view): two raw statements
 * in the caller's transaction — the update returning the row with its customer, assignee and
 * channel, and the event's insert — where Prisma's update with its include sent five.
 */
export function changeConversation<T extends EventType>(
  tx: Tx,
  conversationId: string,
  change: ConversationColumns,
  event: ConversationEvent<T>,
): Promise<void> {
  return changeConversationWith(sqlOfTx(tx), conversationId, change, event);
}

/** changeConversation on any transaction (activities/sql.ts): routing's runs on the pg pool. */
export async function changeConversationWith<T extends EventType>(
  sql: Sql,
  conversationId: string,
  change: ConversationColumns,
  event: ConversationEvent<T>,
): Promise<void> {
  const now = new Date();
  const values: unknown[] = [conversationId, utcText(now)];
  const sets = ['"updatedAt" = ($2::timestamptz AT TIME ZONE \'UTC\')'];
  for (const [column, value] of Object.entries(change)) {
    if (value === undefined) continue;
    const cast = changeableColumns[column as keyof typeof changeableColumns];
    values.push(value instanceof Date ? utcText(value) : value);
    sets.push(cast === 'timestamp(3)' ? `"${column}" = ($${values.length}::timestamptz AT TIME ZONE 'UTC')` : `"${column}" = $${values.length}::${cast}`);
  }
  const [row] = await sql.query<ChangedRow>(
    `WITH c AS (UPDATE "Conversation" SET ${sets.join(', ')} WHERE id = $1::uuid RETURNING *)
    SELECT c.id, c.number, c.status::text AS status, c."waitingOn"::text AS "waitingOn", c.priority::text AS priority, c.tier::text AS tier,
      c."assigneeId", a.name AS "assigneeName", c."teamId", c."customerId", cu.name AS "customerName", cu.email AS "customerEmail",
      ${utcColumn('cu."emailBouncedAt"')}, cu."emailBounceReason", c.subject, ch.kind::text AS "channelKind", ${utcColumn('c."lastMessageAt"')},
      ${utcColumn('c."resolvedAt"')}, ${utcColumn('c."snoozedUntil"')}, c.tags, c."slaState"::text AS "slaState", ${utcColumn('c."firstResponseDueAt"')},
      ${utcColumn('c."nextResponseDueAt"')}, ${utcColumn('c."resolutionDueAt"')}, ${utcColumn('c."createdAt"')}
    FROM c JOIN "Customer" cu ON cu.id = c."customerId" JOIN "Channel" ch ON ch.id = c."channelId" LEFT JOIN "User" a ON a.id = c."assigneeId"`,
    values,
  );
  if (!row) throw new Error(`Conversation ${conversationId} does not exist.`);
  const { assigneeName, customerName, customerEmail, emailBouncedAt, emailBounceReason, channelKind, ...fields } = row;
  const view = toConversationView({
    ...fields,
    assignee: row.assigneeId ? { id: row.assigneeId, name: assigneeName ?? '' } : null,
    customer: { id: row.customerId, name: customerName, email: customerEmail, emailBouncedAt, emailBounceReason },
    channel: { kind: channelKind },
  });
  await sql.query(
    `INSERT INTO "Event" (type, "occurredAt", "actorKind", "actorId", "customerId", "conversationId", "teamId", "assigneeId", internal, payload)
    VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC'), $3::"ActorKind", $4::uuid, $5::uuid, $6::uuid, $7::uuid, $8::uuid, $9, $10::jsonb)`,
    [
      event.type,
      utcText(now),
      event.actorKind ?? (event.actorId ? 'agent' : 'system'),
      event.actorId,
      row.customerId,
      conversationId,
      row.teamId,
      row.assigneeId,
      event.internal ?? false,
      JSON.stringify({ ...event.payload, conversation: view }),
    ],
  );
}

export interface SystemMessage {
  authorKind: 'bot' | 'system';
  body: string;
  /** A private note reaches agents only. */
  private: boolean;
  metadata?: Prisma.InputJsonValue;
}

/**
 * Adds a message written by the product itself (not a person) and announces it. The bot's public
 * answer in a conversation of an email channel leaves as mail, like an agent's reply: its
 * OutboundEmail row and the outbox row that starts its delivery workflow are written in the same
 * transaction (the API's relay delivers the row; the kind is api/services/workflow-intents.ts's
 * `send_email`, which activities may not import).
 */
export async function addSystemMessage(tx: Tx, conversationId: string, message: SystemMessage): Promise<MessageView> {
  const row = await tx.message.create({
    data: { conversationId, ...message },
    include: { ...messageInclude, conversation: { include: { channel: { select: { kind: true } } } } },
  });
  let view = toMessageView(row);
  if (message.authorKind === 'bot' && !message.private && row.conversation.channel.kind === 'email') {
    const outbound = await tx.outboundEmail.create({ data: { messageId: row.id } });
    await tx.workflowOutbox.create({ data: { kind: 'send_email', workflowId: emailDeliveryWorkflowId(row.id), payload: { messageId: row.id } } });
    view = { ...view, delivery: deliveryOf(outbound) };
  }
  await appendEvent(tx, {
    type: eventTypes.messageCreated,
    actorKind: message.authorKind,
    actorId: null,
    conversationId,
    internal: message.private,
    ...conversationScope(row.conversation),
    payload: { message: view },
  });
  return view;
}
