// One person, one journey: merging two contacts. Everything of the merged contact moves to the
// survivor in one transaction — conversations (with their messages, attachments and email
// threads, which hang off the conversation), tickets, the messages they wrote elsewhere (a CC'd
// colleague's mail), the files they uploaded, their events — the merged contact's identity fills
// the survivor's empty fields, the merged row is deleted, and `customer.merged` is recorded in the
// survivor's journey and the audit log.
//
// The merged row is deleted, not kept as a tombstone: a widget token of the merged contact then
// names nobody and is refused (401, infra/auth/principal.ts), instead of opening the survivor's
// conversations — which may come from other channels (email) — to whoever holds it on an agent's
// say-so alone. A visitor who proves who they are (widget identify, api/services/widget-identity.ts)
// gets a fresh token for the survivor.
//
// Concurrent messages: the message statement (message-store.ts) locks its conversation FOR UPDATE
// and reads the conversation's customer under that lock. The merge locks the merged contact's
// conversations first (id order), then both contact rows (id order) — the same order a message
// takes (its conversation, then the customer row its foreign key checks) — so a message either
// commits before the merge moves its conversation (and is moved with it) or waits and is written
// after it, its event naming the survivor; a customer's message through the merged contact's
// token then finds the conversation no longer theirs (404) and stores nothing. No message is lost
// or written twice. A conversation started for the merged contact meanwhile waits on its row and
// fails once it is gone. A deadlock with some other order (Postgres aborts one side) is retried.
//
// Workflows do not keep a customer id (workflows/conversation-entity.ts, ticket-entity.ts): their
// activities read the conversation or ticket row when they write an event, so once the merge
// commits their events name the survivor without a signal.
import type { ActorKind } from '../../prisma/generated/enums.js';
import type { Db, Tx } from '../../infra/db.js';
import { appendEvent } from '../../infra/event-log.js';
import { Prisma } from '../../prisma/generated/client.js';
import { badRequest, conflict, notFound } from '../http-error.js';

export interface MergeCustomersInput {
  /** The contact that stays. */
  survivorId: string;
  /** The contact whose history moves to the survivor; deleted. */
  mergedId: string;
  /** Who merges: an agent, an integration (system, its key's id), or the widget's identify (customer). */
  actor: { actorKind: ActorKind; actorId: string | null };
}

/** What moved, for the event, the API's answer and the confirm dialog's counts. */
export interface MergeCounts {
  conversations: number;
  tickets: number;
  messages: number;
  events: number;
  attachments: number;
}

export interface MergeCustomersResult {
  survivorId: string;
  mergedId: string;
  moved: MergeCounts;
  /** The survivor's fields the merged contact filled (they were empty): email, phone, externalId… */
  filled: string[];
}

/** Identity fields a merge copies to the survivor when the survivor has none. */
const fillableFields = ['name', 'email', 'phone', 'locale', 'company', 'externalId'] as const satisfies readonly (keyof CustomerRow)[];

interface CustomerRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  locale: string | null;
  company: string | null;
  externalId: string | null;
  vip: boolean;
  tags: string[];
  notes: string | null;
  attributes: Prisma.JsonValue;
  lastSeenAt: Date | null;
  emailBouncedAt: Date | null;
  emailBounceReason: string | null;
  erasedAt: Date | null;
}

const attempts = 3;

/**
 * Merges `mergedId` into `survivorId` (see the file's header). 400 `invalid_merge` for a contact
 * merged with itself, 404 when either does not exist, 409 `customer_erased` when either was erased.
 */
export async function mergeCustomers(deps: { db: Db }, input: MergeCustomersInput): Promise<MergeCustomersResult> {
  const { survivorId, mergedId } = input;
  if (survivorId === mergedId) throw badRequest('invalid_merge', 'A contact cannot be merged with itself.');
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await deps.db.$transaction((tx) => mergeIn(tx, input), { timeout: 60_000, maxWait: 10_000 });
      // A writer that read the merged contact's id before the commit and wrote its event after it
      // (a workflow's activity reading a conversation just before the merge moved it): re-point
      // its events too. Rare and cheap (indexed); nothing else can name a deleted contact.
      await deps.db.$transaction(async (tx) => {
        await tx.$executeRaw`SET LOCAL seamless.merging = 'on'`;
        await tx.$executeRaw`UPDATE "Event" SET "customerId" = ${survivorId}::uuid WHERE "customerId" = ${mergedId}::uuid`;
      });
      return result;
    } catch (error) {
      if (attempt >= attempts || !isDeadlock(error)) throw error;
    }
  }
}

function isDeadlock(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return error.code === 'P2034' || /40P01|40001|deadlock/i.test(error.message);
}

async function mergeIn(tx: Tx, { survivorId, mergedId, actor }: MergeCustomersInput): Promise<MergeCustomersResult> {
  // 1. The merged contact's conversations and tickets, in id order: a message holds its
  //    conversation's lock before it touches the contact row, so these come first.
  await lockSubjects(tx, mergedId);
  // 2. Both contact rows, in id order (two merges of the same pair lock alike).
  const rows = await tx.$queryRaw<CustomerRow[]>`
    SELECT id, name, email, phone, locale, company, "externalId", vip, tags, notes, attributes, "lastSeenAt", "emailBouncedAt", "emailBounceReason", "erasedAt"
    FROM "Customer" WHERE id IN (${survivorId}::uuid, ${mergedId}::uuid) ORDER BY id FOR UPDATE`;
  const survivor = rows.find((row) => row.id === survivorId);
  const merged = rows.find((row) => row.id === mergedId);
  if (!survivor) throw notFound('Customer');
  if (!merged) throw notFound('The contact to merge');
  // An erased contact (api/services/data-rights/) has nothing left to give or to take.
  if (survivor.erasedAt || merged.erasedAt) throw conflict('customer_erased', 'An erased contact cannot be merged.');
  // 3. Anything started for the merged contact before step 2 is committed now and nothing new can
  //    start (its row is locked): lock those too.
  await lockSubjects(tx, mergedId);

  // A retried start (Idempotency-Key) is scoped to its contact: a key both contacts used stays
  // with the survivor's conversation; the moved one's is dropped (its token dies with the merge).
  const conversations = await tx.$executeRaw`
    UPDATE "Conversation" c SET "customerId" = ${survivorId}::uuid,
      "idempotencyKey" = CASE WHEN EXISTS (SELECT 1 FROM "Conversation" o WHERE o."customerId" = ${survivorId}::uuid AND o."idempotencyKey" = c."idempotencyKey")
        THEN NULL ELSE c."idempotencyKey" END
    WHERE c."customerId" = ${mergedId}::uuid`;
  const tickets = await tx.$executeRaw`
    UPDATE "Ticket" t SET "customerId" = ${survivorId}::uuid,
      "idempotencyKey" = CASE WHEN EXISTS (SELECT 1 FROM "Ticket" o WHERE o."customerId" = ${survivorId}::uuid AND o."idempotencyKey" = t."idempotencyKey")
        THEN NULL ELSE t."idempotencyKey" END
    WHERE t."customerId" = ${mergedId}::uuid`;
  const messages = await tx.$executeRaw`UPDATE "Message" SET "customerId" = ${survivorId}::uuid WHERE "customerId" = ${mergedId}::uuid`;
  const attachments = await tx.$executeRaw`
    UPDATE "Attachment" SET "uploaderId" = ${survivorId}::uuid WHERE "uploaderKind" = 'customer' AND "uploaderId" = ${mergedId}::uuid`;
  // The event log is append-only; re-pointing a contact's events is the one change a merge may
  // make (migration contact_merge_rekeys_events), said with seamless.merging for this transaction.
  await tx.$executeRaw`SET LOCAL seamless.merging = 'on'`;
  const events = await tx.$executeRaw`UPDATE "Event" SET "customerId" = ${survivorId}::uuid WHERE "customerId" = ${mergedId}::uuid`;

  // Unique fields (email, externalId) must leave the merged row before the survivor takes them.
  await tx.$executeRaw`DELETE FROM "Customer" WHERE id = ${mergedId}::uuid`;
  const filled = fillableFields.filter((field) => isEmpty(survivor[field]) && !isEmpty(merged[field]));
  const data: Prisma.CustomerUpdateInput = Object.fromEntries(filled.map((field) => [field, merged[field]]));
  if (filled.includes('email') && merged.emailBouncedAt)
    Object.assign(data, { emailBouncedAt: merged.emailBouncedAt, emailBounceReason: merged.emailBounceReason });
  data.vip = survivor.vip || merged.vip;
  data.tags = [...new Set([...survivor.tags, ...merged.tags])];
  const notes = [survivor.notes, merged.notes].filter((note): note is string => !isEmpty(note));
  data.notes = notes.length > 0 ? notes.join('\n\n') : null;
  // Custom attributes: the survivor's values win; the merged contact's fill the keys it lacks.
  data.attributes = { ...asRecord(merged.attributes), ...asRecord(survivor.attributes) } as Prisma.InputJsonObject;
  if (merged.lastSeenAt && (!survivor.lastSeenAt || merged.lastSeenAt > survivor.lastSeenAt)) data.lastSeenAt = merged.lastSeenAt;
  const after = await tx.customer.update({ where: { id: survivorId }, data, select: { name: true, email: true } });

  const moved = { conversations, tickets, messages, events, attachments };
  await appendEvent(tx, {
    type: 'customer.merged',
    actorKind: actor.actorKind,
    actorId: actor.actorId,
    customerId: survivorId,
    internal: true,
    payload: {
      survivorId,
      survivor: { id: survivorId, name: after.name, email: after.email },
      merged: { id: merged.id, name: merged.name, email: merged.email, phone: merged.phone, externalId: merged.externalId },
      moved,
      filled,
    },
  });
  return { survivorId, mergedId, moved, filled: [...filled] };
}

async function lockSubjects(tx: Tx, customerId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Conversation" WHERE "customerId" = ${customerId}::uuid ORDER BY id FOR UPDATE`;
  await tx.$queryRaw`SELECT id FROM "Ticket" WHERE "customerId" = ${customerId}::uuid ORDER BY id FOR UPDATE`;
}

const isEmpty = (value: unknown) => value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
const asRecord = (value: Prisma.JsonValue): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
