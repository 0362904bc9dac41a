// Erasing a contact (issue 18, "data rights"): their personal data removed or emptied everywhere it
// lives, the rows that carry the support history kept (emptied) so reports still count them.
// Where it lives, table by table (docs/DATA-RIGHTS.md has the full list and what stays):
// - Customer: name, email, phone, company, notes, tags, attributes, language, external id,
//   visitor key, bounce — emptied; `erasedAt` set (their tokens are refused, and the
//   customer_erasure migration's trigger refuses any new conversation or ticket for them).
// - Their conversations: subject and idempotency key emptied, closed; every message in them
//   (agents' replies may quote the customer) emptied — body, metadata (email headers), key.
// - Their tickets: subject and description emptied, closed.
// - Attachment rows of their conversations (and their uploads) deleted, the files deleted from
//   the store after the commit; InboundEmail (raw MIME, headers) and OutboundEmail (addresses,
//   subject, errors) of those conversations, or from their address, emptied.
// - Event payloads of the customer, their conversations and tickets, and rule executions' logs:
//   redacted (redact.ts: same shape, personal strings emptied) — the one rewrite the append-only
//   log allows, in a transaction that sets `seamless.erasing`.
// - Suggested example questions taken from their conversations deleted; workflow outbox rows of
//   their workflows deleted (nothing starts them again).
// - Temporal: the histories of their conversations', tickets' and emails' workflows deleted
//   (workflow-histories.ts), after the database is done.
// The database part runs twice: once before the workflows are deleted and once after, so anything
// a workflow wrote in between (a bot answer, a hand-off summary) is emptied too. Safe to repeat
// (an erased contact is erased again: nothing left to empty, histories already gone) and safe
// while a message arrives: the customer and their conversations are locked FOR UPDATE, a message
// stored before the lock is emptied with the rest, one after finds its conversation closed (409).
import type { Client } from '@temporalio/client';
import type { DataRightsCounts } from '../../../contract/events.js';
import { conversationWorkflowId, emailDeliveryWorkflowId, ticketWorkflowId } from '../../../domain/workflow-ids.js';
import type { AttachmentStore } from '../../../infra/attachments/attachment-store.js';
import type { Db, Tx } from '../../../infra/db.js';
import { Prisma } from '../../../prisma/generated/client.js';
import { notFound } from '../../http-error.js';
import { recordAudit } from '../audit-service.js';
import { redactJson } from './redact.js';
import { deleteWorkflowHistories, type HistoryDeletion } from './workflow-histories.js';

export interface ErasureDeps {
  db: Db;
  temporal: Client;
  store: AttachmentStore;
  log: (message: string, error?: unknown) => void;
}

export interface ErasureResult {
  customerId: string;
  /** The contact had been erased before: this run emptied what was left (usually nothing) and retried the histories. */
  alreadyErased: boolean;
  /** Rows emptied or deleted, by kind (the audit event records the same). */
  counts: DataRightsCounts;
  /** Temporal: runs deleted, ids with nothing to delete, ids that failed (erase again to retry them). */
  workflowHistories: HistoryDeletion;
  /** Attachment files the store could not delete (their rows are gone either way). */
  filesNotDeleted: number;
}

interface Pass {
  counts: DataRightsCounts;
  storageKeys: string[];
  workflowIds: string[];
  alreadyErased: boolean;
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

/** Rewrites a JSON column row by row (redact.ts); returns how many rows changed. */
async function redactJsonColumn(
  tx: Tx,
  table: 'Event' | 'Message' | 'RuleExecution',
  column: 'payload' | 'metadata' | 'actions',
  rows: { id: string | bigint; value: unknown }[],
) {
  let changed = 0;
  for (const row of rows) {
    const redacted = redactJson(row.value);
    if (JSON.stringify(redacted) === JSON.stringify(row.value)) continue;
    const idType = table === 'Event' ? 'bigint' : 'uuid';
    await tx.$executeRawUnsafe(`UPDATE "${table}" SET "${column}" = $1::jsonb WHERE id = $2::${idType}`, JSON.stringify(redacted), String(row.id));
    changed += 1;
  }
  return changed;
}

/** A deadlock with a writer that locks in another order: PostgreSQL aborted this side, which is retried. */
function isDeadlock(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return error.code === 'P2034' || /40P01|40001|deadlock/i.test(error.message);
}

/** One pass over the database, in one transaction (retried after a deadlock); null when there is no such customer. */
async function erasePass(db: Db, customerId: string, adminId: string | null): Promise<Pass | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await erasePassOnce(db, customerId, adminId);
    } catch (error) {
      // A workflow's activity (an event, then its conversation) can take the locks the other way
      // round while the erasure waits; on a busy server that may happen more than once.
      if (attempt >= 6 || !isDeadlock(error)) throw error;
    }
  }
}

async function erasePassOnce(db: Db, customerId: string, adminId: string | null): Promise<Pass | null> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT set_config('seamless.erasing', 'on', true)`;
      // The order a message statement and a merge take their locks in: the contact's conversations
      // and tickets (id order) first — a message holds its conversation's lock before it touches
      // the contact row — then the contact row; then again what was started meanwhile, which is
      // committed by now, while nothing new can start (the row is locked, and the trigger will
      // find it erased).
      const lockSubjects = async () => ({
        conversations: ids(await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Conversation" WHERE "customerId" = ${customerId}::uuid ORDER BY id FOR UPDATE`),
        tickets: ids(await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Ticket" WHERE "customerId" = ${customerId}::uuid ORDER BY id FOR UPDATE`),
      });
      await lockSubjects();
      const [customer] = await tx.$queryRaw<{ email: string | null; erasedAt: Date | null }[]>`
        SELECT email, "erasedAt" FROM "Customer" WHERE id = ${customerId}::uuid FOR UPDATE`;
      if (!customer) return null;
      const { conversations, tickets } = await lockSubjects();
      const messages = ids(
        await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM "Message" WHERE "conversationId" = ANY(${conversations}::uuid[]) OR "customerId" = ${customerId}::uuid`,
      );
      const counts: DataRightsCounts = { conversations: conversations.length, tickets: tickets.length };

      counts.messages = await tx.$executeRaw`
        UPDATE "Message" SET body = '', "idempotencyKey" = NULL
        WHERE id = ANY(${messages}::uuid[]) AND (body <> '' OR "idempotencyKey" IS NOT NULL)`;
      const metadata = await tx.$queryRaw<{ id: string; value: unknown }[]>`
        SELECT id, metadata AS value FROM "Message" WHERE id = ANY(${messages}::uuid[]) AND metadata IS NOT NULL`;
      counts.messageMetadata = await redactJsonColumn(tx, 'Message', 'metadata', metadata);

      const attachments = await tx.$queryRaw<{ id: string; storageKey: string }[]>`
        DELETE FROM "Attachment"
        WHERE "conversationId" = ANY(${conversations}::uuid[]) OR ("uploaderKind" = 'customer' AND "uploaderId" = ${customerId}::uuid)
        RETURNING id, "storageKey"`;
      counts.attachments = attachments.length;

      // The mail they sent: of their conversations, or from their address (a refused one has no conversation).
      counts.inboundEmails = await tx.$executeRaw`
        UPDATE "InboundEmail" SET raw = ''::bytea, size = 0, sha256 = '', "emailMessageId" = NULL, reason = NULL,
          "inReplyTo" = '{}', "references" = '{}', subject = NULL, "fromAddress" = NULL, "fromName" = NULL, "to" = '{}', cc = '{}'
        WHERE ("conversationId" = ANY(${conversations}::uuid[]) OR "messageId" = ANY(${messages}::uuid[])
               OR (${customer.email}::text IS NOT NULL AND lower("fromAddress") = lower(${customer.email}::text)))
          AND (octet_length(raw) > 0 OR "fromAddress" IS NOT NULL OR subject IS NOT NULL)`;
      const outbound = await tx.$queryRaw<{ messageId: string }[]>`
        UPDATE "OutboundEmail" SET "to" = '{}', cc = '{}', subject = NULL, "lastError" = NULL, "emailMessageId" = NULL
        WHERE "messageId" = ANY(${messages}::uuid[])
        RETURNING "messageId"`;
      counts.outboundEmails = outbound.length;

      const events = await tx.$queryRaw<{ id: bigint; value: unknown }[]>`
        SELECT id, payload AS value FROM "Event"
        WHERE "customerId" = ${customerId}::uuid OR "conversationId" = ANY(${conversations}::uuid[]) OR "ticketId" = ANY(${tickets}::uuid[])`;
      counts.events = await redactJsonColumn(tx, 'Event', 'payload', events);
      const executions = await tx.$queryRaw<{ id: string; value: unknown }[]>`
        SELECT id, actions AS value FROM "RuleExecution" WHERE "conversationId" = ANY(${conversations}::uuid[]) OR "ticketId" = ANY(${tickets}::uuid[])`;
      counts.ruleExecutions = await redactJsonColumn(tx, 'RuleExecution', 'actions', executions);
      counts.suggestedQuestions = await tx.$executeRaw`DELETE FROM "ArticleQuestionSuggestion" WHERE "conversationId" = ANY(${conversations}::uuid[])`;

      const workflowIds = [
        ...conversations.map(conversationWorkflowId),
        ...tickets.map(ticketWorkflowId),
        ...outbound.map((row) => emailDeliveryWorkflowId(row.messageId)),
      ];
      counts.workflowOutbox = await tx.$executeRaw`DELETE FROM "WorkflowOutbox" WHERE "workflowId" = ANY(${workflowIds}::text[])`;

      await tx.$executeRaw`
        UPDATE "Conversation" SET subject = NULL, "idempotencyKey" = NULL, status = 'closed', "snoozedUntil" = NULL,
          "resolvedAt" = COALESCE("resolvedAt", now()), "updatedAt" = now()
        WHERE id = ANY(${conversations}::uuid[])`;
      await tx.$executeRaw`
        UPDATE "Ticket" SET subject = '', description = '', "idempotencyKey" = NULL, status = 'closed',
          "closedAt" = COALESCE("closedAt", now()), "updatedAt" = now()
        WHERE id = ANY(${tickets}::uuid[])`;
      await tx.$executeRaw`
        UPDATE "Customer" SET name = NULL, email = NULL, phone = NULL, locale = NULL, company = NULL, notes = NULL, tags = '{}',
          vip = false, attributes = '{}', "visitorKey" = NULL, "externalId" = NULL, "emailBouncedAt" = NULL, "emailBounceReason" = NULL,
          "erasedAt" = COALESCE("erasedAt", now()), "updatedAt" = now()
        WHERE id = ${customerId}::uuid`;

      if (adminId !== null) {
        await recordAudit(tx, {
          type: 'customer.erased',
          adminId,
          before: null,
          after: null,
          details: { customerId, counts, alreadyErased: customer.erasedAt !== null },
        });
      }
      return { counts, storageKeys: attachments.map((row) => row.storageKey), workflowIds, alreadyErased: customer.erasedAt !== null };
    },
    { timeout: 5 * 60_000 },
  );
}

/**
 * Erases the contact (see the file's comment); 404 when there is no such customer. `adminId`: who
 * asked (the audit event `customer.erased`, written with the first pass, names them and the counts).
 */
export async function eraseCustomer(deps: ErasureDeps, input: { customerId: string; adminId: string }): Promise<ErasureResult> {
  const first = await erasePass(deps.db, input.customerId, input.adminId);
  if (!first) throw notFound('Customer');
  const workflowHistories = await deleteWorkflowHistories(deps.temporal, first.workflowIds, deps.log);
  if (workflowHistories.failed.length > 0)
    deps.log(`erasure of customer ${input.customerId}: ${workflowHistories.failed.length} workflow histories not deleted yet`);
  // What a workflow wrote before it was deleted (a bot's answer, a hand-off summary) is emptied now.
  const second = await erasePass(deps.db, input.customerId, null);
  let filesNotDeleted = 0;
  for (const key of [...first.storageKeys, ...(second?.storageKeys ?? [])]) {
    try {
      await deps.store.delete(key);
    } catch (error) {
      filesNotDeleted += 1;
      deps.log(`erasure of customer ${input.customerId}: could not delete an attachment file`, error);
    }
  }
  return { customerId: input.customerId, alreadyErased: first.alreadyErased, counts: first.counts, workflowHistories, filesNotDeleted };
}
