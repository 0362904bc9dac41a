// A conversation's start in one SQL statement: pick the channel, insert the conversation (a
// repeated Idempotency-Key inserts nothing), its first message, the `conversation.created` and
// `message.created` events with the views the API answers with, and the WorkflowOutbox row that
// promises its workflow's start, taking the workflow's lease for the delivery after the commit.
// One round trip instead of eleven Prisma calls (a read of the key, the channel, BEGIN, the two
// inserts, the customer read back, two events, the outbox row, COMMIT): under 20 starts at once
// each of those waited for a pool connection (bench/README.md, "Conversation starts").
// conversation-start.integration-test.ts checks that the views are exactly those of the stored rows.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ConversationView, MessageView } from '../../contract/views.js';
import { eventTypes } from '../../domain/events.js';
import { conversationWorkflowId } from '../../domain/workflow-ids.js';
import { isoText as iso, preparedStatement, type Db } from '../../infra/db.js';
import { payloadOf, type WorkflowIntent } from './workflow-intents.js';
import { leaseUpsert, type OutboxRow, type WritingClaim } from './workflow-outbox.js';

export interface NewConversation {
  customerId: string;
  body: string;
  idempotencyKey: string | null;
  /** The channel it came in on; the first enabled web chat when null. */
  channelId: string | null;
  subject: string | null;
  metadata?: Record<string, unknown>;
  /** false: its workflow starts knowing nothing may answer the first message automatically. */
  autoAnswer?: boolean;
  /** A known IANA zone the visitor's browser reported (else null): stored on the customer when it differs. */
  timeZone: string | null;
  /** false: the events are left to the caller, who binds the first message's files first (an email's attachments). */
  withEvents: boolean;
}

export type StartResult =
  | {
      outcome: 'stored';
      conversation: ConversationView;
      message: MessageView;
      workflowId: string;
      /** Whether the statement took the workflow's lease (with a claim; else it rang its holder). */
      leaseAcquired: boolean;
      /** The start's outbox row: the only one a workflow this new has, so the relay need not read it. */
      outboxRow: OutboxRow;
    }
  /** The customer's Idempotency-Key names a conversation already: the caller answers that one. */
  | { outcome: 'key_taken' }
  | { outcome: 'no_channel' };

interface Row {
  channelFound: boolean;
  /** An earlier start with the key committed before this statement began (a replay after the channel was turned off). */
  keyTaken: boolean;
  conversation: ConversationView | null;
  message: MessageView | null;
  /** A bigint through Prisma, its text through pg. */
  outboxId: bigint | string | null;
  leaseAcquired: boolean | null;
}

const isoOrNull = (column: string) => `CASE WHEN ${column} IS NULL THEN NULL ELSE ${iso(column)} END`;

/**
 * The statement: $1 conversation id, $2 its workflow, $3 customer, $4 channel (null: the first
 * enabled web chat), $5 idempotency key, $6 subject, $7 message id, $8 body, $9 metadata, $10 the
 * outbox row's payload, $11/$12 lease holder and seconds, $13/$14 the two event types, $15 whether
 * to write the events, $16 the visitor's time zone. Prepared once per connection (infra/db.ts).
 */
const startStatement = `${preparedStatement('start-conversation')}
WITH channel AS (
       SELECT id, kind FROM "Channel"
       WHERE enabled AND CASE WHEN $4::uuid IS NULL THEN kind = 'web_chat' ELSE id = $4::uuid END
       ORDER BY "createdAt" LIMIT 1
     ), conversation AS (
       INSERT INTO "Conversation" (id, "workflowId", "customerId", "channelId", status, "waitingOn", "idempotencyKey", subject, "lastMessageAt", "createdAt", "updatedAt")
       SELECT $1::uuid, $2, $3::uuid, ch.id, 'queued', 'agent', $5, $6, now.at, now.at, now.at
       FROM channel ch, (SELECT clock_timestamp()::timestamp(3) AS at) now
       ON CONFLICT ("customerId", "idempotencyKey") DO NOTHING
       RETURNING *
     ), message AS (
       INSERT INTO "Message" (id, "conversationId", "authorKind", "customerId", body, metadata, "createdAt")
       SELECT $7::uuid, c.id, 'customer', c."customerId", $8, $9::jsonb, c."createdAt" FROM conversation c
       RETURNING *
     ), view AS (
       -- infra/views.ts toConversationView and toMessageView, keys in their order. A new
       -- conversation has no assignee, a customer's message no author user, mail or files.
       SELECT json_build_object('id', c.id, 'number', c.number, 'status', c.status, 'waitingOn', c."waitingOn", 'priority', c.priority,
           'tier', c.tier, 'assigneeId', c."assigneeId", 'assigneeName', NULL, 'teamId', c."teamId", 'customerId', c."customerId",
           'customer', CASE WHEN cu."emailBouncedAt" IS NULL THEN json_build_object('id', cu.id, 'name', cu.name, 'email', cu.email)
             ELSE json_build_object('id', cu.id, 'name', cu.name, 'email', cu.email,
               'emailBounce', json_build_object('at', ${iso('cu."emailBouncedAt"')}, 'reason', COALESCE(cu."emailBounceReason", '5.0.0'))) END,
           'subject', c.subject, 'channelKind', ch.kind, 'lastMessageAt', ${iso('c."lastMessageAt"')}, 'resolvedAt', ${isoOrNull('c."resolvedAt"')},
           'snoozedUntil', ${isoOrNull('c."snoozedUntil"')}, 'tags', c.tags, 'slaState', c."slaState",
           'firstResponseDueAt', ${isoOrNull('c."firstResponseDueAt"')}, 'nextResponseDueAt', ${isoOrNull('c."nextResponseDueAt"')},
           'resolutionDueAt', ${isoOrNull('c."resolutionDueAt"')}, 'createdAt', ${iso('c."createdAt"')}) AS conversation,
         json_build_object('id', m.id, 'conversationId', m."conversationId", 'authorKind', m."authorKind", 'authorUserId', m."authorUserId",
           'authorName', cu.name, 'body', m.body, 'private', m.private, 'metadata', m.metadata, 'createdAt', ${iso('m."createdAt"')}) AS message,
         c."customerId", c.id AS "conversationId", c."teamId", c."assigneeId"
       FROM conversation c JOIN "Customer" cu ON cu.id = c."customerId" CROSS JOIN channel ch CROSS JOIN message m
     ), events AS (
       INSERT INTO "Event" (type, "actorKind", "actorId", "customerId", "conversationId", "teamId", "assigneeId", payload)
       SELECT e.type, 'customer', v."customerId", v."customerId", v."conversationId", v."teamId", v."assigneeId", e.payload
       FROM view v CROSS JOIN LATERAL (VALUES (1, $13, json_build_object('conversation', v.conversation)::jsonb),
                                             (2, $14, json_build_object('message', v.message)::jsonb)) e(position, type, payload)
       WHERE $15
       ORDER BY e.position
       RETURNING id
     ), outbox AS (
       INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
       SELECT 'start_conversation', c."workflowId", $10::jsonb FROM conversation c
       RETURNING id, "workflowId"
     ), zone AS (
       -- As message-store.ts's zone: matches no row when unchanged (the widget sends it every time).
       UPDATE "Customer" SET "timeZone" = $16
       WHERE id = $3::uuid AND $16::text IS NOT NULL AND "erasedAt" IS NULL AND "timeZone" IS DISTINCT FROM $16::text
       RETURNING id
     ), lease AS (
       ${leaseUpsert({ workflowId: 'o."workflowId"', holder: '$11::text', leaseSeconds: '$12::float8' }, 'FROM outbox o WHERE $11::text IS NOT NULL')}
     )
     SELECT EXISTS (SELECT 1 FROM channel) AS "channelFound", v.conversation, v.message,
       EXISTS (SELECT 1 FROM "Conversation" WHERE "customerId" = $3::uuid AND "idempotencyKey" = $5) AS "keyTaken",
       (SELECT id FROM outbox) AS "outboxId", (SELECT acquired FROM lease) AS "leaseAcquired", (SELECT count(*) FROM events) AS events
     FROM (SELECT 1) one LEFT JOIN view v ON true`;

/** The statement's parameters, in the order its comment lists them, and the outbox row's payload. */
function startOf(input: NewConversation, claim: WritingClaim | null) {
  const id = randomUUID();
  const intent: WorkflowIntent = { kind: 'start_conversation', conversationId: id, ...(input.autoAnswer === false ? { autoAnswer: false as const } : {}) };
  const payload = payloadOf(intent);
  const values = [
    id,
    conversationWorkflowId(id),
    input.customerId,
    input.channelId,
    input.idempotencyKey,
    input.subject,
    randomUUID(),
    input.body,
    input.metadata === undefined ? null : JSON.stringify(input.metadata),
    JSON.stringify(payload),
    claim?.holder ?? null,
    (claim?.leaseMs ?? 0) / 1000,
    eventTypes.conversationCreated,
    eventTypes.messageCreated,
    input.withEvents,
    input.timeZone,
  ];
  const resultOf = (row: Row | undefined): StartResult => {
    if (!row?.channelFound) return row?.keyTaken ? { outcome: 'key_taken' } : { outcome: 'no_channel' };
    if (!row.conversation || !row.message || row.outboxId === null) return { outcome: 'key_taken' };
    const workflowId = conversationWorkflowId(id);
    return {
      outcome: 'stored',
      conversation: row.conversation,
      message: row.message,
      workflowId,
      leaseAcquired: row.leaseAcquired ?? false,
      outboxRow: { id: BigInt(row.outboxId), kind: intent.kind, workflowId, payload, attempts: 0, due: true },
    };
  };
  return { values, resultOf };
}

/** Through Prisma: `db` may be a transaction's client (the caller binds files, then writes the events). */
export async function storeStart(db: Pick<Db, '$queryRawUnsafe'>, input: NewConversation, claim: WritingClaim | null): Promise<StartResult> {
  const { values, resultOf } = startOf(input, claim);
  return resultOf((await db.$queryRawUnsafe<Row[]>(startStatement, ...values))[0]);
}

/** The same on the pg pool under the client (infra/db.ts poolOf), without Prisma's query layer, as the message path stores. */
export async function storeStartOn(pool: Pick<pg.Pool, 'query'>, input: NewConversation, claim: WritingClaim | null): Promise<StartResult> {
  const { values, resultOf } = startOf(input, claim);
  return resultOf((await pool.query<Row>({ name: 'start-conversation-pg', text: startStatement, values })).rows[0]);
}

/** Whether the statement failed on a foreign key: the customer row went meanwhile (a merged contact). */
export function isMissingReference(error: unknown): boolean {
  const { code, meta } = (error ?? {}) as { code?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  return code === '23503' || code === 'P2003' || meta?.code === '23503' || meta?.driverAdapterError?.cause?.originalCode === '23503';
}
