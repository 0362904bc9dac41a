// The message hot path in one SQL statement: lock the conversation, insert the message (a
// repeated Idempotency-Key inserts nothing), update who the conversation waits on, append the
// `message.created` event and — only when the message changes the workflow's state or timers
// (domain/conversation-flow.ts) — the WorkflowOutbox row that promises its workflow the signal,
// and for a customer's message the `ticket_customer_replied` rows of the linked tickets that wait
// on them (pending or solved): one round trip and one transaction instead of eight Prisma calls,
// and a message is never stored without the signals it owes (workflow-relay.ts delivers them
// after the commit). A public agent message in an email conversation also writes its OutboundEmail
// row and the `send_email` row that starts its delivery workflow (workflows/email-delivery.ts).
// bench/ measures it; the event's insert trigger publishes it to the realtime stream on commit.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { waitingOnAfter, type ConversationFacts } from '../../domain/conversation-flow.js';
import { eventTypes } from '../../domain/events.js';
import type { ConversationStatus, WaitingOn } from '../../domain/vocabulary.js';
import { isoText as iso, preparedStatement, type Db } from '../../infra/db.js';
import type { MessageView } from '../../infra/views.js';
import { conversationWorkflowId, emailDeliveryWorkflowId, ticketWorkflowId } from '../../domain/workflow-ids.js';
import { leaseUpsert } from './workflow-outbox.js';

export interface NewMessage {
  conversationId: string;
  authorKind: 'customer' | 'agent';
  /** The agent's user id or the customer's id; null for an agent-side message of an integration. */
  authorId: string | null;
  /** The event's actor when it is not the author: an integration's key posts as the system. */
  actor?: { kind: 'system'; id: string };
  body: string;
  private: boolean;
  idempotencyKey: string | null;
  /** When set, the conversation must belong to this customer (the widget), or it is not found. */
  ownerCustomerId?: string;
  /**
   * With ownerCustomerId: the zone the owner's browser reported, a known IANA zone in canonical
   * spelling (visitor-service.ts knownTimeZone), stored on the customer when it differs. The widget
   * reports it with every message, so it goes in the message's statement, not a round trip of its own.
   */
  ownerTimeZone?: string | null;
  /** Stored with the message (an email's headers: api/services/email/ingest-email.ts). */
  metadata?: Record<string, unknown>;
  /** false: nothing may answer it automatically (an auto-reply, a bounce); its workflow signal says so. */
  autoAnswer?: boolean;
  /**
   * Uploads the message sends (api/services/attachments.ts): bound to it in the same statement, or
   * nothing is stored (`attachments_refused`) unless every one is an unbound upload of this
   * conversation by this author.
   */
  attachmentIds?: readonly string[];
}

/** The relay's lease for the outbox row, taken (or its holder rung) in the same statement. */
export interface OutboxClaim {
  holder: string;
  leaseMs: number;
}

export type StoreResult =
  | {
      outcome: 'stored';
      message: MessageView;
      before: ConversationFacts;
      /** The outbox row written for the workflow's signal; null when the message does not wake it. */
      outboxId: bigint | null;
      /** With a row and a claim: whether the statement took the conversation's lease (else it rang its holder). */
      leaseAcquired: boolean;
      /** Workflows of the linked tickets told that their customer replied (rows written, no lease taken). */
      ticketWorkflowIds: string[];
      /** The message leaves as mail: its delivery workflow's start was written (no lease taken). */
      emailWorkflowId: string | null;
    }
  | { outcome: 'duplicate' }
  | { outcome: 'attachments_refused' }
  | { outcome: 'closed' }
  | { outcome: 'not_found' };

interface Row {
  status: ConversationStatus;
  waitingOn: WaitingOn | null;
  /** ISO text: the same through Prisma and through pg, whose own parser reads timestamps in local time. */
  firstResponseAt: string | null;
  message: MessageView | null;
  /** A bigint through Prisma, its text through pg. */
  outboxId: bigint | string | null;
  ticketWorkflowIds: string[] | null;
  leaseAcquired: boolean | null;
  emailWorkflowId: string | null;
  attachmentsOk: boolean;
  keyTaken: boolean;
}

/** The message view's fields as json_build_object arguments, over the inserted row `i` (infra/views.ts toMessageView). */
const messageFields = `'id', i.id, 'conversationId', i."conversationId", 'authorKind', i."authorKind", 'authorUserId', i."authorUserId",
  'authorName', COALESCE((SELECT name FROM "User" WHERE id = i."authorUserId"), (SELECT name FROM "Customer" WHERE id = i."customerId")),
  'body', i.body, 'private', i.private, 'metadata', i.metadata, 'createdAt', ${iso('i."createdAt"')}`;

/** The bound files as the view lists them (infra/views.ts toAttachmentView, in messageInclude's order); NULL for none. */
const attachmentList = `(SELECT json_agg(json_build_object('id', b.id, 'fileName', b."fileName", 'contentType', b."contentType", 'size', b.size,
  'inline', b."inlineCid" IS NOT NULL) ORDER BY b."createdAt", b.position, b.id) FROM bound b)`;

/**
 * The statement: $1 conversation, $2 new message id, $3 author kind, $4 agent, $5 customer, $6 body,
 * $7 private, $8 idempotency key, $9 owner customer, $10 next waitingOn, $11 first response,
 * $12 event type, $13 actor id, $14 actor kind, $15/$16 lease holder and seconds, $17 conversation
 * workflow, $18 ticket workflow prefix, $19 metadata, $20 no auto-answer, $21 email workflow prefix,
 * $22 outbound email id, $23 attachment ids, $24/$25 uploader kind and id, $26 the owner's time zone. Prepared once per
 * connection (infra/db.ts): planning this statement costs several times its execution.
 */
const storeStatement = `${preparedStatement('store-message')}
WITH target AS (
       SELECT id, status, "waitingOn", "firstResponseAt", "lastMessageAt" FROM "Conversation"
       WHERE id = $1::uuid AND ($9::uuid IS NULL OR "customerId" = $9::uuid)
       FOR UPDATE
     ), key_taken AS (
       SELECT 1 FROM "Message" WHERE "conversationId" = $1::uuid AND "idempotencyKey" = $8
     ), eligible AS (
       -- The uploads it sends: unbound, of this conversation, by this author (locked until the commit).
       SELECT a.id FROM "Attachment" a
       WHERE a.id = ANY($23::uuid[]) AND a."conversationId" = $1::uuid AND a."messageId" IS NULL
         AND a."uploaderKind" = $24::"AttachmentUploader" AND a."uploaderId" = $25::uuid
       FOR UPDATE
     ), inserted AS (
       -- Stamped with the statement's time, not the transaction's (message-writer.ts stores several
       -- in one), and after the conversation's last message: its messages sort in store order.
       INSERT INTO "Message" (id, "conversationId", "authorKind", "authorUserId", "customerId", body, private, "idempotencyKey", metadata, "createdAt")
       SELECT $2::uuid, t.id, $3::"AuthorKind", $4::uuid, $5::uuid, $6, $7, $8, $19::jsonb,
         GREATEST(clock_timestamp()::timestamp(3), t."lastMessageAt" + interval '1 millisecond')
       FROM target t WHERE t.status <> 'closed'
         AND (SELECT count(*) FROM eligible) = cardinality($23::uuid[])
       ON CONFLICT ("conversationId", "idempotencyKey") DO NOTHING
       RETURNING *
     ), updated AS (
       UPDATE "Conversation" c
       SET "waitingOn" = COALESCE($10::"WaitingOn", c."waitingOn"),
           "lastMessageAt" = i."createdAt",
           "firstResponseAt" = CASE WHEN $11 AND c."firstResponseAt" IS NULL THEN i."createdAt" ELSE c."firstResponseAt" END,
           "updatedAt" = i."createdAt"
       FROM inserted i WHERE c.id = i."conversationId"
       RETURNING c."customerId", c."teamId", c."assigneeId"
     ), outbound AS (
       -- A public agent message in a conversation of an email channel leaves as mail: its
       -- OutboundEmail row, and below the start of its delivery workflow, are written with it.
       INSERT INTO "OutboundEmail" (id, "messageId")
       SELECT $22::uuid, i.id FROM inserted i
       JOIN "Conversation" c ON c.id = i."conversationId" JOIN "Channel" ch ON ch.id = c."channelId"
       WHERE ch.kind = 'email' AND NOT $7 AND $3::"AuthorKind" = 'agent'
       RETURNING "messageId", status
     ), bound AS (
       UPDATE "Attachment" a SET "messageId" = i.id FROM inserted i WHERE a.id IN (SELECT id FROM eligible)
       RETURNING a.*
     ), view AS (
       -- The contract's keys in its order (message-view.integration-test.ts): attachments only on a
       -- message with files, delivery last and only on mail.
       SELECT CASE
         WHEN o.status IS NULL AND f.list IS NULL THEN json_build_object(${messageFields})
         WHEN o.status IS NULL THEN json_build_object(${messageFields}, 'attachments', f.list)
         WHEN f.list IS NULL THEN json_build_object(${messageFields}, 'delivery', json_build_object('status', o.status))
         ELSE json_build_object(${messageFields}, 'attachments', f.list, 'delivery', json_build_object('status', o.status)) END AS message
       FROM inserted i LEFT JOIN outbound o ON o."messageId" = i.id CROSS JOIN (SELECT ${attachmentList} AS list) f
     ), event AS (
       INSERT INTO "Event" (type, "actorKind", "actorId", "customerId", "conversationId", "teamId", "assigneeId", internal, payload)
       SELECT $12, $14::"ActorKind", $13::uuid, u."customerId", $1::uuid, u."teamId", u."assigneeId", $7, json_build_object('message', v.message)::jsonb
       FROM updated u, view v
       RETURNING id
     ), outbox AS (
       -- messageWakesWorkflow (domain/conversation-flow.ts) over the conversation as it was before
       -- this message; message-store.integration-test.ts checks that both agree. The id is taken
       -- under the conversation's row lock, so a conversation's rows are numbered in store order.
       INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
       SELECT 'message_posted', $17::text,
         json_build_object('messageId', i.id, 'authorKind', i."authorKind", 'authorUserId', i."authorUserId", 'at', ${iso('i."createdAt"')})::jsonb
           || CASE WHEN $20 THEN '{"autoAnswer": false}'::jsonb ELSE '{}'::jsonb END
       FROM inserted i, target t
       WHERE NOT $7 AND (
         ($3::"AuthorKind" = 'customer' AND t.status IN ('snoozed', 'resolved'))
         OR ($3::"AuthorKind" = 'agent' AND t."firstResponseAt" IS NULL)
         OR ($3::"AuthorKind" = 'agent' AND t.status = 'queued')
         OR t."waitingOn" IS DISTINCT FROM $10::"WaitingOn"
       )
       RETURNING id, "workflowId"
     ), lease AS (
       ${leaseUpsert({ workflowId: 'o."workflowId"', holder: '$15::text', leaseSeconds: '$16::float8' }, 'FROM outbox o WHERE $15::text IS NOT NULL')}
     ), tickets AS (
       -- A customer answering reopens the linked tickets that wait on them (domain/ticket-flow.ts,
       -- reopenedByCustomerReply). Rare: their leases are left to the delivery after the commit.
       INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
       SELECT 'ticket_customer_replied', $18::text || k.id::text, json_build_object('ticketId', k.id, 'at', ${iso('i."createdAt"')})::jsonb
       FROM inserted i
       JOIN "TicketConversation" tc ON tc."conversationId" = i."conversationId"
       JOIN "Ticket" k ON k.id = tc."ticketId"
       WHERE i."authorKind" = 'customer' AND k.status IN ('pending', 'solved')
       ORDER BY k.id
       RETURNING "workflowId"
     ), email_outbox AS (
       INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
       SELECT 'send_email', $21::text || o."messageId"::text, json_build_object('messageId', o."messageId")::jsonb FROM outbound o
       RETURNING "workflowId"
     ), zone AS (
       -- Matches no row when the zone is unchanged (the widget reports it with every message), also
       -- when nothing is stored, as a request of its own before the message did.
       UPDATE "Customer" SET "timeZone" = $26, "updatedAt" = clock_timestamp()::timestamp(3)
       WHERE id = $9::uuid AND $26::text IS NOT NULL AND "erasedAt" IS NULL AND "timeZone" IS DISTINCT FROM $26::text
     )
     SELECT t.status, t."waitingOn", ${iso('t."firstResponseAt"')} AS "firstResponseAt", (SELECT message FROM view) AS message,
       (SELECT array_agg("workflowId") FROM tickets) AS "ticketWorkflowIds",
       (SELECT count(*) FROM event) AS events,
       (SELECT id FROM outbox) AS "outboxId",
       (SELECT acquired FROM lease) AS "leaseAcquired",
       (SELECT "workflowId" FROM email_outbox) AS "emailWorkflowId",
       (SELECT count(*) FROM eligible) = cardinality($23::uuid[]) AS "attachmentsOk",
       EXISTS (SELECT 1 FROM key_taken) AS "keyTaken"
     FROM target t`;

/**
 * Several messages in one statement, for message-writer.ts's batches: at full speed about 40 % of
 * PostgreSQL's work per message was starting and ending the executor over storeStatement's large
 * plan (the same ~0.25 ms when the conversation is not even found), which one statement for many
 * messages pays once. The same writes as storeStatement, row by row, for messages of distinct
 * conversations (so each row sees its conversation as the statement found it, as it would alone)
 * without attachments; storeStatement stays the reference (message-store.integration-test.ts
 * stores the same cases both ways). Conversations are locked in the rows' order.
 * One element per message in each array: $1 conversation, $2 new message id, $3 author kind,
 * $4 agent, $5 customer, $6 body, $7 private, $8 idempotency key, $9 owner customer, $10 next
 * waitingOn, $11 first response, $12 actor id, $13 actor kind, $14 conversation workflow,
 * $15 metadata, $16 no auto-answer, $17 outbound email id, $18 lease holder (null: no claim); for
 * all of them: $19 event type, $20 lease seconds, $21 ticket workflow prefix, $22 email workflow
 * prefix; and one per message again: $23 the owner's time zone.
 */
const storeManyStatement = `${preparedStatement('store-messages')}
WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::boolean[], $8::text[], $9::uuid[],
           $10::text[], $11::boolean[], $12::uuid[], $13::text[], $14::text[], $15::text[], $16::boolean[], $17::uuid[], $18::text[], $23::text[])
         WITH ORDINALITY AS m(conversation, message, author_kind, agent, customer, body, private, key, owner, next_waiting, first_response,
           actor, actor_kind, workflow, metadata, no_auto_answer, outbound, holder, owner_zone, n)
     ), target AS (
       -- Per row, in the rows' order (the lock order), by the conversation's key: as lateral
       -- lookups a generic plan cannot turn them into scans of whole tables.
       SELECT c.*, m.n FROM (SELECT * FROM input ORDER BY n) m
       CROSS JOIN LATERAL (
         SELECT id, status, "waitingOn", "firstResponseAt", "lastMessageAt" FROM "Conversation"
         WHERE id = m.conversation AND (m.owner IS NULL OR "customerId" = m.owner)
         FOR UPDATE
       ) c
     ), key_taken AS (
       SELECT m.n FROM input m
       CROSS JOIN LATERAL (SELECT 1 FROM "Message" k WHERE k."conversationId" = m.conversation AND k."idempotencyKey" = m.key LIMIT 1) k
     ), inserted AS (
       INSERT INTO "Message" (id, "conversationId", "authorKind", "authorUserId", "customerId", body, private, "idempotencyKey", metadata, "createdAt")
       SELECT m.message, t.id, m.author_kind::"AuthorKind", m.agent, m.customer, m.body, m.private, m.key, m.metadata::jsonb,
         GREATEST(clock_timestamp()::timestamp(3), t."lastMessageAt" + interval '1 millisecond')
       FROM input m JOIN target t ON t.n = m.n WHERE t.status <> 'closed'
       ORDER BY m.n
       ON CONFLICT ("conversationId", "idempotencyKey") DO NOTHING
       RETURNING *
     ), updated AS (
       UPDATE "Conversation" c
       SET "waitingOn" = COALESCE(m.next_waiting::"WaitingOn", c."waitingOn"),
           "lastMessageAt" = i."createdAt",
           "firstResponseAt" = CASE WHEN m.first_response AND c."firstResponseAt" IS NULL THEN i."createdAt" ELSE c."firstResponseAt" END,
           "updatedAt" = i."createdAt"
       FROM inserted i JOIN input m ON m.message = i.id WHERE c.id = i."conversationId"
       RETURNING c.id, c."customerId", c."teamId", c."assigneeId"
     ), outbound AS (
       INSERT INTO "OutboundEmail" (id, "messageId")
       SELECT m.outbound, i.id FROM inserted i JOIN input m ON m.message = i.id
       JOIN "Conversation" c ON c.id = i."conversationId" JOIN "Channel" ch ON ch.id = c."channelId"
       WHERE ch.kind = 'email' AND NOT m.private AND m.author_kind = 'agent'
       RETURNING "messageId", status
     ), view AS (
       SELECT i.id, CASE WHEN o.status IS NULL THEN json_build_object(${messageFields})
         ELSE json_build_object(${messageFields}, 'delivery', json_build_object('status', o.status)) END AS message
       FROM inserted i LEFT JOIN outbound o ON o."messageId" = i.id
     ), event AS (
       INSERT INTO "Event" (type, "actorKind", "actorId", "customerId", "conversationId", "teamId", "assigneeId", internal, payload)
       SELECT $19, m.actor_kind::"ActorKind", m.actor, u."customerId", m.conversation, u."teamId", u."assigneeId", m.private, json_build_object('message', v.message)::jsonb
       FROM input m JOIN updated u ON u.id = m.conversation JOIN view v ON v.id = m.message
       ORDER BY m.n
       RETURNING id
     ), outbox AS (
       -- storeStatement's outbox condition, per row.
       INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
       SELECT 'message_posted', m.workflow,
         json_build_object('messageId', i.id, 'authorKind', i."authorKind", 'authorUserId', i."authorUserId", 'at', ${iso('i."createdAt"')})::jsonb
           || CASE WHEN m.no_auto_answer THEN '{"autoAnswer": false}'::jsonb ELSE '{}'::jsonb END
       FROM input m JOIN inserted i ON i.id = m.message JOIN target t ON t.n = m.n
       WHERE NOT m.private AND (
         (m.author_kind = 'customer' AND t.status IN ('snoozed', 'resolved'))
         OR (m.author_kind = 'agent' AND t."firstResponseAt" IS NULL)
         OR (m.author_kind = 'agent' AND t.status = 'queued')
         OR t."waitingOn" IS DISTINCT FROM m.next_waiting::"WaitingOn"
       )
       ORDER BY m.n
       RETURNING id, "workflowId"
     ), lease AS (
       ${leaseUpsert({ workflowId: 'o."workflowId"', holder: 'm.holder', leaseSeconds: '$20::float8' }, 'FROM outbox o JOIN input m ON m.workflow = o."workflowId" WHERE m.holder IS NOT NULL', 'holder')}
     ), ticket_rows AS (
       SELECT i.id AS message, $21::text || k.id::text AS "workflowId", json_build_object('ticketId', k.id, 'at', ${iso('i."createdAt"')})::jsonb AS payload
       FROM inserted i
       JOIN "TicketConversation" tc ON tc."conversationId" = i."conversationId"
       JOIN "Ticket" k ON k.id = tc."ticketId"
       WHERE i."authorKind" = 'customer' AND k.status IN ('pending', 'solved')
     ), tickets AS (
       INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
       SELECT 'ticket_customer_replied', r."workflowId", r.payload FROM ticket_rows r JOIN input m ON m.message = r.message ORDER BY m.n, r."workflowId"
     ), email_outbox AS (
       INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
       SELECT 'send_email', $22::text || o."messageId"::text, json_build_object('messageId', o."messageId")::jsonb FROM outbound o
     ), zone AS (
       -- storeStatement's, for each owner its last reported zone (one customer may write in two conversations).
       UPDATE "Customer" c SET "timeZone" = z.owner_zone, "updatedAt" = clock_timestamp()::timestamp(3)
       FROM (SELECT DISTINCT ON (owner) owner, owner_zone FROM input WHERE owner_zone IS NOT NULL ORDER BY owner, n DESC) z
       WHERE c.id = z.owner AND c."erasedAt" IS NULL AND c."timeZone" IS DISTINCT FROM z.owner_zone
     )
     SELECT t.status, t."waitingOn", ${iso('t."firstResponseAt"')} AS "firstResponseAt", v.message,
       (SELECT array_agg(r."workflowId" ORDER BY r."workflowId") FROM ticket_rows r WHERE r.message = m.message) AS "ticketWorkflowIds",
       o.id AS "outboxId", l.holder = m.holder AS "leaseAcquired",
       CASE WHEN ob."messageId" IS NOT NULL THEN $22::text || ob."messageId"::text END AS "emailWorkflowId",
       true AS "attachmentsOk",
       EXISTS (SELECT 1 FROM key_taken k WHERE k.n = m.n) AS "keyTaken"
     FROM input m LEFT JOIN target t ON t.n = m.n LEFT JOIN view v ON v.id = m.message
       LEFT JOIN outbox o ON o."workflowId" = m.workflow AND v.id IS NOT NULL LEFT JOIN lease l ON l."workflowId" = o."workflowId"
       LEFT JOIN outbound ob ON ob."messageId" = m.message
     ORDER BY m.n`;

/** The statement's parameters, in the order its comment lists them. */
function storeParameters(input: NewMessage, claim: OutboxClaim | null): unknown[] {
  const isAgent = input.authorKind === 'agent';
  const facts = { authorKind: input.authorKind, private: input.private };
  // Private notes (and only they) leave the wait as it was: null here means "keep".
  const nextWaitingOn = input.private ? null : waitingOnAfter(null, facts);
  return [
    input.conversationId,
    randomUUID(),
    input.authorKind,
    isAgent ? input.authorId : null,
    isAgent ? null : input.authorId,
    input.body,
    input.private,
    input.idempotencyKey,
    input.ownerCustomerId ?? null,
    nextWaitingOn,
    isAgent && !input.private,
    eventTypes.messageCreated,
    input.actor?.id ?? input.authorId,
    input.actor?.kind ?? input.authorKind,
    claim?.holder ?? null,
    (claim?.leaseMs ?? 0) / 1000,
    conversationWorkflowId(input.conversationId),
    ticketWorkflowId(''),
    input.metadata === undefined ? null : JSON.stringify(input.metadata),
    input.autoAnswer === false,
    emailDeliveryWorkflowId(''),
    randomUUID(),
    [...new Set(input.attachmentIds ?? [])],
    isAgent ? 'user' : 'customer',
    input.authorId,
    input.ownerTimeZone ?? null,
  ];
}

/** A message and the lease claim of its outbox row, as message-writer.ts queues them. */
export interface QueuedMessage {
  input: NewMessage;
  claim: OutboxClaim | null;
}

/**
 * Whether one statement may store these messages (storeManyStatement): distinct conversations, one
 * lease length, no attachments. Each claim has a holder of its own (workflow-relay.ts claim), so
 * the holders are one per message.
 */
export function canStoreTogether(messages: readonly QueuedMessage[]): boolean {
  const conversations = new Set(messages.map(({ input }) => input.conversationId));
  const leaseLengths = new Set(messages.flatMap(({ claim }) => (claim ? [claim.leaseMs] : [])));
  return conversations.size === messages.length && leaseLengths.size <= 1 && messages.every(({ input }) => (input.attachmentIds ?? []).length === 0);
}

/** storeParameters' positions (storeStatement's $n - 1) of the values storeManyStatement takes per message, in its order. */
const perMessageParameters = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 16, 18, 19, 21, 14];

function storeManyParameters(messages: readonly QueuedMessage[]): unknown[] {
  const rows = messages.map(({ input, claim }) => storeParameters(input, claim));
  const column = (index: number) => rows.map((row) => row[index]);
  const claim = messages.find((message) => message.claim)?.claim ?? null;
  return [
    ...perMessageParameters.map(column),
    eventTypes.messageCreated,
    (claim?.leaseMs ?? 0) / 1000,
    ticketWorkflowId(''),
    emailDeliveryWorkflowId(''),
    column(25),
  ];
}

function storeResult(row: Row | undefined): StoreResult {
  if (!row) return { outcome: 'not_found' };
  if (row.status === 'closed') return { outcome: 'closed' };
  // Not inserted: the key's message exists (a replay), else an upload it names cannot be bound.
  if (!row.message) return !row.keyTaken && !row.attachmentsOk ? { outcome: 'attachments_refused' } : { outcome: 'duplicate' };
  return {
    outcome: 'stored',
    message: row.message,
    before: { status: row.status, waitingOn: row.waitingOn, firstResponseAt: row.firstResponseAt === null ? null : new Date(row.firstResponseAt) },
    outboxId: row.outboxId === null ? null : BigInt(row.outboxId),
    leaseAcquired: row.leaseAcquired ?? false,
    ticketWorkflowIds: row.ticketWorkflowIds ?? [],
    emailWorkflowId: row.emailWorkflowId,
  };
}

/** `db` may be a transaction's client: a caller that creates the conversation too (api/services/email/start-email-conversation.ts) stores its first message with it. */
export async function storeMessage(db: Pick<Db, '$queryRawUnsafe'>, input: NewMessage, claim: OutboxClaim | null = null): Promise<StoreResult> {
  const rows = await db.$queryRawUnsafe<Row[]>(storeStatement, ...storeParameters(input, claim));
  return storeResult(rows[0]);
}

/**
 * The same on a pg pool or connection of the database client (infra/db.ts poolOf), without
 * Prisma's query layer: at full speed the API's one thread is the limit of the message path, and
 * about a fifth of its busy time there went to Prisma (message-writer.ts stores with this).
 */
export async function storeMessageOn(connection: Pick<pg.Pool, 'query'>, input: NewMessage, claim: OutboxClaim | null = null): Promise<StoreResult> {
  const { rows } = await connection.query<Row>({ name: 'store-message-pg', text: storeStatement, values: storeParameters(input, claim) });
  return storeResult(rows[0]);
}

/** Several messages in one statement on a pg connection (message-writer.ts); only for messages that canStoreTogether. */
export async function storeMessagesOn(connection: Pick<pg.Pool, 'query'>, messages: readonly QueuedMessage[]): Promise<StoreResult[]> {
  const { rows } = await connection.query<Row>({ name: 'store-messages-pg', text: storeManyStatement, values: storeManyParameters(messages) });
  // A conversation not found (or not the owner's) has no status: no row, as storeStatement answers.
  return rows.map((row) => storeResult(row.status === null ? undefined : row));
}
