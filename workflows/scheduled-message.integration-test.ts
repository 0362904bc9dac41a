// The scheduled message workflow on Temporal's time-skipping server with the real activities over a
// real database (cloned from the seeded template) and the real message path (the port the worker
// is given): days of waiting in seconds. The outbox relay is not here: the test signals the
// workflow itself where the API's relay would.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { agentReplyPort } from '../api/services/agent-reply-port.js';
import { cancelScheduledMessage } from '../api/services/scheduled-message-service.js';
import { createScheduledMessageActivities, type ScheduledMessageActivities } from '../activities/scheduled-message-activities.js';
import { scheduledFailures, type AgentReplyPort } from '../domain/scheduled-messages.js';
import { scheduledMessageWorkflowId } from '../domain/workflow-ids.js';
import { createDb, type Db, type Tx } from '../infra/db.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { serverNow, startOnOwnWorker, startTimeSkipping } from '../test/support/time-skipping.js';
import { testWorkflowBundle } from '../test/support/workflow-bundle.js';
import {
  scheduledMessageChangedSignal,
  scheduledMessageWorkflowName,
  type ScheduledMessageOutcome,
  type ScheduledMessageWorkflowInput,
} from './scheduled-message.messages.js';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleOption;
let db: Db;
let port: AgentReplyPort<Tx>;
let alex: { id: string; role: 'agent'; teamId: string | null };

const day = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  [{ env, bundle }, db] = await Promise.all([
    startTimeSkipping(testWorkflowBundle()),
    cloneTemplateDatabase(inject('postgresAdminUrl')).then((url) => createDb(url, { poolSize: 4 })),
  ]);
  port = agentReplyPort();
  const user = await db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
  alex = { id: user.id, role: 'agent', teamId: user.teamId };
});

afterAll(async () => {
  await env?.teardown();
  await db?.$disconnect();
});

const viewer = () => ({ kind: 'user' as const, userId: alex.id, role: alex.role, teamId: alex.teamId });
/** What the service needs besides the database: no relay here (the test signals in its place). */
const serviceDeps = () => ({ db, temporal: env.client, taskQueue: 'unused', log: () => {} });

/** An open conversation of no team (every agent may write in it) and Alex's reply scheduled `inMs` from the server's now. */
async function scheduled(inMs: number, body = 'Following up as promised') {
  const customer = await db.customer.findFirstOrThrow();
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const conversation = await db.conversation.create({
    data: { workflowId: `conversation-${randomUUID()}`, customerId: customer.id, channelId: channel.id, status: 'open', assigneeId: alex.id },
  });
  const sendAt = new Date((await serverNow(env)).getTime() + inMs);
  const row = await db.scheduledMessage.create({ data: { conversationId: conversation.id, authorId: alex.id, body, sendAt } });
  return { conversation, row };
}

/** Runs the workflow of `scheduledMessageId` on a worker with `activities`; returns its handle and the worker's run. */
const run = (scheduledMessageId: string, activities: ScheduledMessageActivities, options: { sticky?: false } = {}) =>
  startOnOwnWorker(
    { env, bundle },
    {
      type: scheduledMessageWorkflowName,
      id: scheduledMessageWorkflowId(scheduledMessageId),
      input: { scheduledMessageId } satisfies ScheduledMessageWorkflowInput,
    },
    activities,
    options,
  );

const realActivities = () => createScheduledMessageActivities({ db, agentReplies: port });
const messagesOf = (conversationId: string) => db.message.findMany({ where: { conversationId } });

describe('scheduledMessageWorkflow', () => {
  it('sends once at its time, even when the worker dies after the send committed and another worker retries it', async () => {
    const { conversation, row } = await scheduled(2 * day);
    const real = realActivities();
    let committed!: () => void;
    const died = new Promise<void>((resolve) => (committed = resolve));
    // The first worker's send commits (the message and the row's `sent`), then its worker dies before telling Temporal.
    const dying: ScheduledMessageActivities = {
      ...real,
      async sendScheduledMessage(input) {
        await real.sendScheduledMessage(input);
        committed();
        throw new Error('worker died');
      },
    };
    const first = await run(row.id, dying, { sticky: false });
    // Two days pass (skipped); the timer fires and the first try sends, then dies.
    await first.worker.runUntil(async () => {
      await env.sleep(2 * day);
      await died;
    });
    expect(await messagesOf(conversation.id)).toHaveLength(1);
    // The restarted worker picks up the retry.
    const second = await Worker.create({ connection: env.nativeConnection, taskQueue: first.taskQueue, workflowBundle: bundle, activities: real });
    const outcome = (await second.runUntil(first.handle.result())) as ScheduledMessageOutcome;

    const messages = await messagesOf(conversation.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ body: 'Following up as promised', authorKind: 'agent', authorUserId: alex.id, private: false });
    expect(outcome).toEqual({ outcome: 'sent', messageId: messages[0]!.id });
    expect(await db.scheduledMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'sent', messageId: messages[0]!.id });
    expect(await db.event.count({ where: { conversationId: conversation.id, type: 'scheduled_message.sent' } })).toBe(1);
    expect(await db.event.count({ where: { conversationId: conversation.id, type: 'message.created' } })).toBe(1);
  });

  it('a send that fails before its commit leaves nothing behind, and its retry sends it once', async () => {
    const { conversation, row } = await scheduled(1 * day);
    const real = realActivities();
    let tries = 0;
    // The first try's message statement runs, then the transaction fails: nothing of it stays.
    const failingOnce = createScheduledMessageActivities({
      db,
      agentReplies: {
        async post(tx, reply) {
          const posted = await port.post(tx, reply);
          tries += 1;
          if (tries === 1) throw new Error('connection lost before the commit');
          return posted;
        },
      },
    });
    const { handle, worker } = await run(row.id, { ...real, sendScheduledMessage: failingOnce.sendScheduledMessage });
    const outcome = (await worker.runUntil(handle.result())) as ScheduledMessageOutcome;
    expect(tries).toBe(2);
    const messages = await messagesOf(conversation.id);
    expect(messages).toHaveLength(1);
    expect(outcome).toEqual({ outcome: 'sent', messageId: messages[0]!.id });
  });

  it('an edit moves the timer and changes the text: nothing at the old time, the new text at the new time', async () => {
    const { conversation, row } = await scheduled(1 * day, 'First draft');
    const { handle, worker } = await run(row.id, realActivities());
    await worker.runUntil(async () => {
      const newTime = new Date((await serverNow(env)).getTime() + 3 * day).toISOString();
      // As the API's edit writes it (the server's skipped clock is days ahead of the API's: its own checks are tested on the running system).
      await db.scheduledMessage.update({ where: { id: row.id }, data: { body: 'Edited text', sendAt: new Date(newTime) } });
      await handle.signal(scheduledMessageChangedSignal);
      await env.sleep(2 * day);
      expect(await messagesOf(conversation.id)).toHaveLength(0);
      const outcome = (await handle.result()) as ScheduledMessageOutcome;
      expect(outcome.outcome).toBe('sent');
      expect((await serverNow(env)).getTime()).toBeGreaterThanOrEqual(Date.parse(newTime));
    });
    expect((await messagesOf(conversation.id)).map((message) => message.body)).toEqual(['Edited text']);
  });

  it('a cancel ends it: nothing is sent', async () => {
    const { conversation, row } = await scheduled(1 * day);
    const { handle, worker } = await run(row.id, realActivities());
    const outcome = await worker.runUntil(async () => {
      await cancelScheduledMessage(serviceDeps(), viewer(), row.id);
      await handle.signal(scheduledMessageChangedSignal);
      return handle.result();
    });
    expect(outcome).toEqual({ outcome: 'cancelled' });
    expect(await messagesOf(conversation.id)).toHaveLength(0);
    expect((await db.scheduledMessage.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('cancelled');
  });

  it('fails visibly when the conversation was closed meanwhile, or its author may no longer write in it', async () => {
    const closed = await scheduled(1 * day);
    await db.conversation.update({ where: { id: closed.conversation.id }, data: { status: 'closed' } });
    const moved = await scheduled(1 * day);
    // Moved to a team Alex is not in, and no longer his.
    const specialists = await db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    await db.conversation.update({ where: { id: moved.conversation.id }, data: { teamId: specialists.id, assigneeId: null } });
    // One after the other: two results awaited at once would let the server skip time while an activity runs.
    const outcomes = [];
    for (const { row } of [closed, moved]) {
      const { handle, worker } = await run(row.id, realActivities());
      outcomes.push(await worker.runUntil(handle.result()));
    }
    expect(outcomes).toEqual([
      { outcome: 'failed', reason: scheduledFailures.conversationClosed },
      { outcome: 'failed', reason: scheduledFailures.authorNotAllowed },
    ]);
    for (const { conversation, row } of [closed, moved]) {
      expect(await messagesOf(conversation.id)).toHaveLength(0);
      expect((await db.scheduledMessage.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('failed');
      expect(await db.event.count({ where: { conversationId: conversation.id, type: 'scheduled_message.failed' } })).toBe(1);
    }
  });
});
