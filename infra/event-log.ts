// Appending to the event log. Callers append inside the same transaction as the state change
// the event records, so the log never claims what did not happen (and never misses what did).
// The insert trigger announces the event to every listening API process on commit.
import { Prisma } from '../prisma/generated/client.js';
import type { ActorKind } from '../prisma/generated/enums.js';
import { canSeeEvent, customerEventPayload, type EventScope } from '../domain/event-audience.js';
import { withoutExplanation } from '../domain/explanation.js';
import type { EventPayloadOf, EventType, EventView } from '../contract/events.js';
import type { Scope, Viewer } from '../domain/visibility.js';
import type { Db, Tx } from './db.js';

export interface NewEvent<T extends EventType = EventType> {
  /** A registered type (domain/events.ts): who receives it is decided by its registration. */
  type: T;
  actorKind: ActorKind;
  actorId?: string | null;
  customerId?: string | null;
  conversationId?: string | null;
  ticketId?: string | null;
  teamId?: string | null;
  assigneeId?: string | null;
  internal?: boolean;
  /** What contract/events.ts declares for the type. */
  payload: EventPayloadOf<T>;
}

/** Appends an event whose payload is checked against its type (contract/events.ts). */
export async function appendEvent<T extends EventType>(tx: Tx, event: NewEvent<T>): Promise<EventView> {
  const row = await tx.event.create({ data: { ...event, payload: event.payload as object } });
  return toEventView(row);
}

/**
 * For the writes that name their type as data — a workflow names it as text in an activity's
 * input, a rule's action picks one of several, a test writes every type — so no one payload
 * type can be checked at the call: the payload is checked against the registry's type names
 * only. Writers that know their type call appendEvent.
 */
export function appendEventOfAnyType(tx: Tx, event: Omit<NewEvent, 'payload'> & { payload: Record<string, unknown> }): Promise<EventView> {
  return appendEvent(tx, event as NewEvent);
}

/**
 * Where a reconnecting reader resumes: it has every event (it may see) with an id up to `after`
 * whose transaction is older than `xmin`. An event with a lower id can commit after one with a
 * higher id (ids are taken at insert, not at commit), so "after the highest id seen" alone could
 * skip it; its transaction was not older than `xmin` when the position was given, so reading
 * `id > after`, and `id <= after` from transactions `>= xmin`, finds it. Readers drop repeats by id.
 * `xmin` null: a position from before this rule, read as `id > after`.
 */
export interface ResumePosition {
  after: bigint;
  xmin: bigint | null;
}

/**
 * The oldest transaction still running now: every transaction older has committed or rolled
 * back, so all its events are in the log. Taken before a read, it makes the read's position.
 */
export async function oldestRunningTransaction(db: Db): Promise<bigint> {
  const [row] = await db.$queryRaw<{ xmin: string }[]>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`;
  return BigInt(row!.xmin);
}

/**
 * One page of events in id order: ids above `idAbove` (and at most `idAtMost`), of transactions
 * from `txidFrom` on when given (the late ones of a resume position); `customerId`: only that
 * customer's non-internal events.
 */
export async function readEventPage(
  db: Db,
  page: { idAbove: bigint; idAtMost?: bigint; txidFrom?: bigint; customerId?: string; limit: number },
): Promise<EventRow[]> {
  const conditions = [Prisma.sql`id > ${page.idAbove}`];
  if (page.idAtMost !== undefined) conditions.push(Prisma.sql`id <= ${page.idAtMost}`);
  if (page.txidFrom !== undefined) conditions.push(Prisma.sql`txid >= ${page.txidFrom.toString()}::xid8`);
  if (page.customerId !== undefined) conditions.push(Prisma.sql`"customerId" = ${page.customerId}::uuid AND NOT internal`);
  return db.$queryRaw<EventRow[]>`
    SELECT id, type, "occurredAt", "actorKind"::text, "actorId", "customerId", "conversationId", "ticketId", "teamId", "assigneeId", internal, payload, txid::text AS txid
    FROM "Event" WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY id LIMIT ${page.limit}`;
}

/** An event row as read from Prisma or decoded from a NOTIFY payload. */
export interface EventRow extends Scope {
  id: bigint | number | string;
  type: string;
  occurredAt: Date | string;
  actorKind: string;
  actorId: string | null;
  conversationId: string | null;
  ticketId: string | null;
  payload: unknown;
  /** The transaction that wrote it, where the read had it (NOTIFY payloads and readEventPage do). */
  txid?: string | number | null;
}

/**
 * The rows the viewer may see, each judged by its conversation's or ticket's scope as it is now
 * (domain/event-audience.ts): the team and assignee an event carried when it was written may be
 * out of date — a conversation's first events are written before routing gives it a team.
 * Reads of the log (a socket's backlog, the customer's journey) go through here; live pushes
 * judge the row as written, which is the subject's scope at that commit.
 */
export async function visibleEvents<Row extends EventRow>(db: Db, viewer: Viewer, rows: readonly Row[]): Promise<Row[]> {
  const ids = (key: 'conversationId' | 'ticketId') => [...new Set(rows.flatMap((row) => (row[key] ? [row[key]] : [])))];
  const select = { id: true, customerId: true, teamId: true, assigneeId: true } as const;
  const [conversations, tickets] = await Promise.all([
    ids('conversationId').length ? db.conversation.findMany({ where: { id: { in: ids('conversationId') } }, select }) : [],
    ids('ticketId').length ? db.ticket.findMany({ where: { id: { in: ids('ticketId') } }, select }) : [],
  ]);
  const current = new Map<string, Omit<Scope, 'internal'>>([...conversations, ...tickets].map(({ id, ...scope }) => [id, scope]));
  return rows.filter((row) => {
    const subject = row.conversationId ?? row.ticketId;
    const scope = subject === null ? row : current.get(subject);
    // A subject that no longer exists takes its events with it (admins still see them).
    if (!scope) return viewer.kind === 'user' && viewer.role === 'admin';
    return canSeeEvent(viewer, currentScopeOf(row, scope));
  });
}

/** The row with its subject's scope in place of the one it was written with. */
export function currentScopeOf(row: EventRow, scope: Omit<Scope, 'internal'>): EventScope {
  return {
    type: row.type,
    conversationId: row.conversationId,
    ticketId: row.ticketId,
    actorId: row.actorId,
    internal: row.internal,
    customerId: scope.customerId,
    teamId: scope.teamId,
    assigneeId: scope.assigneeId,
  };
}

/** The event as this viewer receives it: a customer gets the cut-down payload (domain/event-audience.ts). */
export function eventViewFor(viewer: Viewer, row: EventRow): EventView {
  const view = toEventView(row);
  if (viewer.kind !== 'customer') return view;
  return { ...view, actorId: view.actorKind === 'customer' ? view.actorId : null, payload: customerEventPayload(view.payload) };
}

/**
 * An event as the journey, the realtime stream and a contact's export carry it: without its
 * decision's explanation, which names other agents' load and is read per reader instead
 * (GET /api/conversations/:id/explanations, domain/explanation.ts explanationFor).
 */
export function toEventView(row: EventRow): EventView {
  return {
    id: String(row.id),
    type: row.type,
    occurredAt: toIsoTimestamp(row.occurredAt),
    actorKind: row.actorKind,
    actorId: row.actorId,
    customerId: row.customerId,
    conversationId: row.conversationId,
    ticketId: row.ticketId,
    payload: withoutExplanation((row.payload ?? {}) as Record<string, unknown>),
  };
}

// Prisma stores DateTime as UTC `timestamp(3)`; row_to_json in the NOTIFY trigger prints it
// without a zone, so a bare timestamp is read as UTC.
function toIsoTimestamp(value: Date | string): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`).toISOString();
}
