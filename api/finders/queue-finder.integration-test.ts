// A customer's place in the queue and the expected wait, read from the queue (issue 21 item 11):
// the conversations of the same tier waiting longer are ahead, the place moves up as they are
// taken, and the wait follows how many people were taken from that tier in the last hour; a
// conversation whose bot action failed waits from the apology on.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../infra/db.js';
import { cloneTemplateDatabase } from '../../test/support/test-database.js';
import { findQueuePlace, queuePaceWindowMinutes } from './queue-finder.js';

let db: Db;
/** "Now" for the finder: an hour of its own, after everything the seed wrote. */
const now = new Date('2031-03-02T10:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
  // The seed's queued conversations are people's work elsewhere: this file's queue starts empty.
  await db.conversation.updateMany({ where: { status: 'queued' }, data: { status: 'open' } });
});
afterAll(() => db?.$disconnect());

async function queued(tier: 'junior' | 'expert', createdMinutesAgo: number) {
  const customer = await db.customer.findFirstOrThrow();
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const conversation = await db.conversation.create({
    data: {
      workflowId: `conversation-${randomUUID()}`,
      customerId: customer.id,
      channelId: channel.id,
      status: 'queued',
      tier,
      createdAt: minutesAgo(createdMinutesAgo),
    },
  });
  return conversation.id;
}

/** A conversation of `tier` that a person took `minutes` ago (its conversation.assigned event). */
async function taken(tier: 'junior' | 'expert', minutes: number) {
  const conversationId = await queued(tier, minutes + 5);
  await db.conversation.update({ where: { id: conversationId }, data: { status: 'open' } });
  await db.event.create({ data: { type: 'conversation.assigned', actorKind: 'system', conversationId, occurredAt: minutesAgo(minutes) } });
}

describe('findQueuePlace', () => {
  it('counts the conversations of the same tier waiting longer, moves up as they are taken, and estimates the wait from the last hour', async () => {
    const first = await queued('junior', 30);
    const second = await queued('junior', 20);
    const third = await queued('junior', 10);
    await queued('expert', 40); // another tier's queue is served by other people

    // Nobody was taken from the junior queue in the last hour: a place, no estimate.
    await taken('junior', queuePaceWindowMinutes + 5);
    await taken('expert', 5);
    expect(await findQueuePlace(db, third, now)).toEqual({ waiting: true, position: 3, expectedWaitMinutes: null });

    // Six taken in the hour: one every ten minutes, so third in line waits about 30 minutes.
    for (const minutes of [5, 15, 25, 35, 45, 55]) await taken('junior', minutes);
    expect(await findQueuePlace(db, first, now)).toEqual({ waiting: true, position: 1, expectedWaitMinutes: 10 });
    expect(await findQueuePlace(db, third, now)).toEqual({ waiting: true, position: 3, expectedWaitMinutes: 30 });

    // The first is taken: the others move up.
    await db.conversation.update({
      where: { id: first },
      data: { status: 'open', assigneeId: (await db.user.findFirstOrThrow({ where: { role: 'agent' } })).id },
    });
    expect(await findQueuePlace(db, second, now)).toMatchObject({ position: 1 });
    expect(await findQueuePlace(db, third, now)).toMatchObject({ position: 2 });
    // Taken itself: no place any more.
    expect(await findQueuePlace(db, first, now)).toEqual({ waiting: false, position: null, expectedWaitMinutes: null });
  });

  it('counts a conversation the bot holds as waiting once its action failed, before the hand-off queues it', async () => {
    const ahead = await queued('expert', 50);
    const conversationId = await queued('expert', 45);
    await db.conversation.update({ where: { id: conversationId }, data: { status: 'bot' } });
    const botEvent = (type: string, payload: object) => db.event.create({ data: { type, actorKind: 'bot', conversationId, internal: true, payload } });

    // The bot serves it, asking for an input: nobody to wait for.
    await botEvent('bot.action_asked', { action: 'order_status' });
    expect(await findQueuePlace(db, conversationId, now)).toMatchObject({ waiting: false, position: null });
    // The call succeeded: the bot still serves it.
    await botEvent('bot.action_called', { action: 'order_status', ok: true });
    expect(await findQueuePlace(db, conversationId, now)).toMatchObject({ waiting: false });
    // The call failed: a person takes over, in the place it will have once queued.
    await botEvent('bot.action_called', { action: 'order_status', ok: false });
    expect(await findQueuePlace(db, conversationId, now)).toMatchObject({ waiting: true, position: 2 });
    await db.conversation.update({ where: { id: ahead }, data: { status: 'open' } });
    expect(await findQueuePlace(db, conversationId, now)).toMatchObject({ waiting: true, position: 1 });
  });
});
