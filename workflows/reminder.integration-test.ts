// The reminder workflow on Temporal's time-skipping server with the real activities over a real
// database (cloned from the seeded template): a day of waiting in seconds. The conversation's own
// workflow is not here: a stand-in records the `reminderDue` update the reminder asks of it (the
// real update is tested on the running system, api/routes/reminder-routes.integration-test.ts),
// and the test signals the workflow itself where the API's outbox relay would.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cancelReminder } from '../api/services/reminder-service.js';
import { createReminderActivities, type ReminderActivities, type ReminderDeps } from '../activities/reminder-activities.js';
import { conversationWorkflowId, reminderWorkflowId } from '../domain/workflow-ids.js';
import { createDb, type Db } from '../infra/db.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { serverNow, startOnOwnWorker, startTimeSkipping } from '../test/support/time-skipping.js';
import { testWorkflowBundle } from '../test/support/workflow-bundle.js';
import { reminderChangedSignal, reminderWorkflowName, type ReminderOutcome, type ReminderWorkflowInput } from './reminder.messages.js';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleOption;
let db: Db;
let alex: { id: string; role: 'agent'; teamId: string | null };

const day = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  [{ env, bundle }, db] = await Promise.all([
    startTimeSkipping(testWorkflowBundle()),
    cloneTemplateDatabase(inject('postgresAdminUrl')).then((url) => createDb(url, { poolSize: 4 })),
  ]);
  const user = await db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
  alex = { id: user.id, role: 'agent', teamId: user.teamId };
});

afterAll(async () => {
  await env?.teardown();
  await db?.$disconnect();
});

const viewer = () => ({ kind: 'user' as const, userId: alex.id, role: alex.role, teamId: alex.teamId });
const serviceDeps = () => ({ db, temporal: env.client, taskQueue: 'unused', log: () => {} });

/** A snoozed conversation of no team and Alex's reminder on it, due `inMs` from the server's now. */
async function reminder(inMs: number) {
  const customer = await db.customer.findFirstOrThrow();
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const conversation = await db.conversation.create({
    data: { workflowId: `conversation-${randomUUID()}`, customerId: customer.id, channelId: channel.id, status: 'snoozed', assigneeId: alex.id },
  });
  const dueAt = new Date((await serverNow(env)).getTime() + inMs);
  const row = await db.reminder.create({ data: { conversationId: conversation.id, ownerId: alex.id, dueAt, note: 'Call the courier' } });
  return { conversation, row };
}

/** The conversation workflows asked to take a reminder back, as `workflow id → userId`. */
function conversationStandIn() {
  const asked: string[] = [];
  const temporal = {
    workflow: {
      getHandle: (workflowId: string) => ({
        executeUpdate: async (_update: unknown, options: { args: [{ userId: string }] }) => void asked.push(`${workflowId} → ${options.args[0].userId}`),
      }),
    },
  } as unknown as NonNullable<ReminderDeps['temporal']>;
  return { asked, temporal };
}

const run = (reminderId: string, activities: ReminderActivities, options: { sticky?: false } = {}) =>
  startOnOwnWorker(
    { env, bundle },
    { type: reminderWorkflowName, id: reminderWorkflowId(reminderId), input: { reminderId } satisfies ReminderWorkflowInput },
    activities,
    options,
  );

const dueEvents = (conversationId: string) => db.event.findMany({ where: { conversationId, type: 'reminder.due' } });

describe('reminderWorkflow', () => {
  it('fires once at its time, even when the worker dies after the fire committed and another worker retries it', async () => {
    const { conversation, row } = await reminder(1 * day);
    const { asked, temporal } = conversationStandIn();
    const real = createReminderActivities({ db, temporal });
    let committed!: () => void;
    const died = new Promise<void>((resolve) => (committed = resolve));
    const dying: ReminderActivities = {
      ...real,
      async fireReminder(input) {
        await real.fireReminder(input);
        committed();
        throw new Error('worker died');
      },
    };
    const first = await run(row.id, dying, { sticky: false });
    await first.worker.runUntil(async () => {
      await env.sleep(1 * day);
      await died;
    });
    expect(await dueEvents(conversation.id)).toHaveLength(1);
    expect(asked).toEqual([]);
    const second = await Worker.create({ connection: env.nativeConnection, taskQueue: first.taskQueue, workflowBundle: bundle, activities: real });
    const outcome = (await second.runUntil(first.handle.result())) as ReminderOutcome;

    expect(outcome).toEqual({ outcome: 'due' });
    const events = await dueEvents(conversation.id);
    expect(events).toHaveLength(1);
    // Addressed to its owner (the event's actor), never to the customer.
    expect(events[0]).toMatchObject({ actorKind: 'system', actorId: alex.id, internal: true });
    expect((await serverNow(env)).getTime()).toBeGreaterThanOrEqual(row.dueAt.getTime());
    expect(await db.reminder.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'due' });
    expect(asked).toEqual([`${conversationWorkflowId(conversation.id)} → ${alex.id}`]);
  });

  it('a cancel ends it: nothing fires and the conversation is left alone', async () => {
    const { conversation, row } = await reminder(1 * day);
    const { asked, temporal } = conversationStandIn();
    const { handle, worker } = await run(row.id, createReminderActivities({ db, temporal }));
    const outcome = await worker.runUntil(async () => {
      await cancelReminder(serviceDeps(), viewer(), row.id);
      await handle.signal(reminderChangedSignal);
      await env.sleep(2 * day);
      return handle.result();
    });
    expect(outcome).toEqual({ outcome: 'cancelled' });
    expect(await dueEvents(conversation.id)).toHaveLength(0);
    expect(await db.event.count({ where: { conversationId: conversation.id, type: 'reminder.cancelled', actorId: alex.id } })).toBe(1);
    expect((await db.reminder.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('cancelled');
    expect(asked).toEqual([]);
  });
});
