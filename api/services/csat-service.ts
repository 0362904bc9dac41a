// Customer satisfaction ratings from the widget (domain/csat.ts). A rating is stored as a
// `csat.received` event of the conversation; the conversation's workflow is told afterwards so
// rules can react (trigger `csat_received`). One rating per conversation: the customer may change
// it a few times (maxCsatChanges), and sending the rating it already has writes nothing and tells
// no workflow, so a flood of re-ratings costs reads only. The workflow's signal is an outbox row
// written with the rating (workflow-gateway.ts): Temporal being away delays it, never loses it.
import { csatEventType, isRatable, type CsatPayload, type CsatScore } from '../../domain/csat.js';
import { appendEvent } from '../../infra/event-log.js';
import { conversationScope } from '../../infra/views.js';
import type { ApiDeps } from '../deps.js';
import { workflowGateway } from './workflow-gateway.js';
import { conflict, notFound } from '../http-error.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;

/** Changes a customer may make to a conversation's rating after the first: a change of mind, not a stream of votes. */
export const maxCsatChanges = 3;

export interface RecordCsatInput {
  conversationId: string;
  /** The visitor: only their own conversation may be rated (another customer's is "not found"). */
  customerId: string;
  score: CsatScore;
  comment?: string | undefined;
}

export interface CsatView {
  conversationId: string;
  score: CsatScore;
  comment: string | null;
  ratedAt: string;
  /** Whether this rating replaced an earlier one (the latest counts). */
  replaced: boolean;
  /** The conversation had exactly this rating already: nothing was written, no workflow told. */
  unchanged: boolean;
  eventId: string;
}

/**
 * Stores the customer's rating of a resolved or closed conversation (409 `not_resolved`
 * otherwise). Rating again replaces the earlier rating: a new event is appended and reports read
 * the latest, so the history of changes stays in the log — at most maxCsatChanges times (then 409
 * `csat_change_limit`). The same score and comment again is a no-op (`unchanged`).
 */
export async function recordCsat(deps: Deps, input: RecordCsatInput): Promise<CsatView> {
  const outbox = workflowGateway(deps).outbox();
  const view = await deps.db.$transaction(async (tx) => {
    // FOR SHARE: a reopen waits for this transaction, so a rating is never stored for a
    // conversation that was reopened between the check and the insert.
    const [row] = await tx.$queryRaw<{ id: string; status: string; customerId: string; teamId: string | null; assigneeId: string | null }[]>`
      SELECT id, status::text AS status, "customerId", "teamId", "assigneeId" FROM "Conversation"
      WHERE id = ${input.conversationId}::uuid AND "customerId" = ${input.customerId}::uuid
      FOR SHARE`;
    if (!row) throw notFound('Conversation');
    if (!isRatable(row.status)) throw conflict('not_resolved', 'A conversation can be rated once it is resolved.');
    // FOR SHARE lets ratings of one conversation run side by side: this lock makes them take
    // turns, so the count and the "same as before" check below see every earlier rating.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`csat:${row.id}`}, 0))`;
    const earlier = await tx.event.findMany({
      where: { conversationId: row.id, type: csatEventType },
      orderBy: { id: 'desc' },
      take: maxCsatChanges + 2,
      select: { id: true, occurredAt: true, payload: true },
    });
    const payload: CsatPayload = { score: input.score, comment: input.comment ? input.comment : null };
    const latest = earlier[0];
    const stored = latest?.payload as CsatPayload | undefined;
    if (latest && stored?.score === payload.score && stored.comment === payload.comment) {
      return {
        conversationId: row.id,
        ...payload,
        ratedAt: latest.occurredAt.toISOString(),
        replaced: earlier.length > 1,
        unchanged: true,
        eventId: String(latest.id),
      };
    }
    if (earlier.length > maxCsatChanges) {
      throw conflict('csat_change_limit', `This rating has been changed ${maxCsatChanges} times: it cannot be changed again.`);
    }
    const event = await appendEvent(tx, {
      type: csatEventType,
      actorKind: 'customer',
      actorId: input.customerId,
      conversationId: row.id,
      ...conversationScope(row),
      payload: { ...payload },
    });
    // Rules on csat_received run in the workflow, once it can read the rating (after the commit).
    // A conversation closed for good has no workflow any more: the rating stands, the row goes.
    await outbox.write(tx, [{ kind: 'conversation_csat_received', conversationId: row.id }]);
    return { conversationId: row.id, ...payload, ratedAt: event.occurredAt, replaced: earlier.length > 0, unchanged: false, eventId: event.id };
  });
  if (!view.unchanged) await outbox.deliver();
  return view;
}
