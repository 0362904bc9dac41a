// Where a conversation waiting for a person stands in the queue, for its customer (the widget's
// "you are number 3 in line, about 4 minutes"). Read from the queue itself on every ask, so it
// moves as the queue does: the conversations routing would serve first (activities' offer goes
// to the oldest queued ones of a tier) and how fast people took conversations from that tier.
import type { QueuePlaceView } from '../../contract/views.js';
import type { Db } from '../../infra/db.js';

/** The window the queue's pace is measured over. */
export const queuePaceWindowMinutes = 60;

/** The place of `conversationId` (waiting: false, no place, once a person has it or it no longer waits for one). */
export async function findQueuePlace(db: Db, conversationId: string, now: Date = new Date()): Promise<QueuePlaceView> {
  const since = new Date(now.getTime() - queuePaceWindowMinutes * 60_000);
  // One statement: the conversation, those of its tier waiting since before it (ties by id, as a
  // keyset), and the tier's conversations assigned in the window (Event(type, occurredAt) index).
  // It waits when queued, or when the bot still holds it but its action's call failed: the customer
  // reads the apology, written with the failed call, a moment before the hand-off queues it (the
  // bot's latest event, Event(conversationId, id) index).
  const [row] = await db.$queryRaw<{ waiting: boolean; ahead: number; taken: number }[]>`
    SELECT me."assigneeId" IS NULL AND (me.status = 'queued' OR (me.status = 'bot' AND coalesce(
        (SELECT e.type = 'bot.action_called' AND e.payload->>'ok' = 'false' FROM "Event" e
          WHERE e."conversationId" = me.id AND e.type LIKE 'bot.%' ORDER BY e.id DESC LIMIT 1), false))) AS waiting,
      (SELECT count(*)::int FROM "Conversation" c
        WHERE c.status = 'queued' AND c."assigneeId" IS NULL AND c.tier = me.tier
          AND (c."createdAt", c.id) < (me."createdAt", me.id)) AS ahead,
      (SELECT count(*)::int FROM "Event" e JOIN "Conversation" c ON c.id = e."conversationId"
        WHERE e.type = 'conversation.assigned' AND e."occurredAt" > ${since} AND c.tier = me.tier) AS taken
    FROM "Conversation" me WHERE me.id = ${conversationId}::uuid`;
  if (!row?.waiting) return { waiting: false, position: null, expectedWaitMinutes: null };
  const position = row.ahead + 1;
  const perMinute = row.taken / queuePaceWindowMinutes;
  return { waiting: true, position, expectedWaitMinutes: perMinute > 0 ? Math.max(1, Math.ceil(position / perMinute)) : null };
}
