// The follow-up workflow on Temporal's time-skipping server with the real activities over a real
// database (cloned from the seeded template) and the real message path: days of waiting in
// seconds. The outbox relay is not here: the test signals the workflow where the relay would (the
// message insert's trigger writes that row; api/routes/follow-up-routes.integration-test.ts runs
// the whole path).
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { agentReplyPort } from '../api/services/agent-reply-port.js';
import { createFollowUpActivities, type FollowUpActivities } from '../activities/follow-up-activities.js';
import type { FollowUpStep } from '../contract/follow-ups.js';
import { followUpWorkflowId } from '../domain/workflow-ids.js';
import { createDb, type Db } from '../infra/db.js';
import { startFollowUp } from '../infra/follow-up-start.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { serverNow, startTimeSkipping } from '../test/support/time-skipping.js';
import { followUpChangedSignal, followUpWorkflowName, type FollowUpOutcome, type FollowUpWorkflowInput } from './follow-up.messages.js';

let env: TestWorkflowEnvironment;
let bundle: Awaited<ReturnType<typeof startTimeSkipping>>['bundle'];
let db: Db;
let alexId: string;

const day = 24 * 60 * 60 * 1000;
const minutes = (ms: number) => ms / 60_000;

beforeAll(async () => {
  [{ env, bundle }, db] = await Promise.all([
    startTimeSkipping(),
    cloneTemplateDatabase(inject('postgresAdminUrl')).then((url) => createDb(url, { poolSize: 4 })),
  ]);
  alexId = (await db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
});

afterAll(async () => {
  await env?.teardown();
  await db?.$disconnect();
});

/** A customer's message stored at `at` (server time: the skipped clock is days ahead of the database's). */
async function customerWrites(conversationId: string, customerId: string, at: Date, body = 'Hello?') {
  await db.message.create({ data: { conversationId, authorKind: 'customer', customerId, body, private: false, createdAt: at } });
  await db.conversation.update({ where: { id: conversationId }, data: { lastMessageAt: at } });
}

/** An open conversation of no team, assigned to Alex, whose customer wrote just now (server time), and a follow-up on it. */
async function followUp(steps: FollowUpStep[], authorId: string | null) {
  const customer = await db.customer.create({ data: { name: 'Wang Fang', email: `fang-${randomUUID()}@example.com` } });
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const conversation = await db.conversation.create({
    data: { workflowId: `conversation-${randomUUID()}`, customerId: customer.id, channelId: channel.id, status: 'open', assigneeId: alexId },
  });
  await customerWrites(conversation.id, customer.id, await serverNow(env), 'My order has not arrived');
  const started = await db.$transaction((tx) => startFollowUp(tx, { conversationId: conversation.id, authorId, ruleId: null, steps }, async () => {}));
  if (started.outcome !== 'started') throw new Error(started.outcome);
  return { conversation, customer, followUpId: started.followUp.id };
}

/** Runs the workflow on a worker with `activities` (not sticky: a worker shut down leaves no cached run behind). */
async function run(followUpId: string, activities: FollowUpActivities) {
  const taskQueue = `wf-test-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities, maxCachedWorkflows: 0 });
  const handle = await env.client.workflow.start(followUpWorkflowName, {
    taskQueue,
    workflowId: followUpWorkflowId(followUpId),
    args: [{ followUpId } satisfies FollowUpWorkflowInput],
  });
  return { handle, taskQueue, worker };
}

/** The conversation workflow's resolve, as the activity calls it: recorded, not run. */
function recordingTemporal() {
  const resolved: { workflowId: string; byUserId: string }[] = [];
  const temporal = {
    workflow: {
      getHandle: (workflowId: string) => ({
        executeUpdate: async (_update: unknown, options: { args: [{ byUserId: string }] }) => {
          resolved.push({ workflowId, byUserId: options.args[0].byUserId });
        },
      }),
    },
  };
  return { resolved, temporal: temporal as unknown as NonNullable<Parameters<typeof createFollowUpActivities>[0]['temporal']> };
}

const real = (temporal?: ReturnType<typeof recordingTemporal>['temporal']) => createFollowUpActivities({ db, agentReplies: agentReplyPort(), temporal });
const sentBy = (conversationId: string) =>
  db.message.findMany({ where: { conversationId, authorKind: { not: 'customer' } }, orderBy: { createdAt: 'asc' }, select: { body: true, authorKind: true } });
const eventsOf = (conversationId: string) =>
  db.event.findMany({ where: { conversationId, type: { startsWith: 'follow_up.' } }, orderBy: { id: 'asc' }, select: { type: true, payload: true } });

describe('followUpWorkflow', () => {
  it("a customer's reply cancels the steps left: the first goes after two days, the second never", async () => {
    const steps = [
      { afterMinutes: minutes(2 * day), text: 'Hi {{contact.name}}, did the parcel arrive?' },
      { afterMinutes: minutes(3 * day), text: 'Closing this for now.', then: 'resolve' as const },
    ];
    const { conversation, customer, followUpId } = await followUp(steps, alexId);
    const { handle, worker } = await run(followUpId, real());
    const outcome = await worker.runUntil(async () => {
      await env.sleep(2 * day + 60_000);
      expect(await sentBy(conversation.id)).toEqual([{ body: 'Hi Wang Fang, did the parcel arrive?', authorKind: 'agent' }]);
      // The customer answers a day later; the relay signals the workflow (the insert's trigger wrote its row).
      await customerWrites(conversation.id, customer.id, new Date((await serverNow(env)).getTime() + day), 'Yes, thanks!');
      await handle.signal(followUpChangedSignal);
      return handle.result();
    });
    expect(outcome).toEqual({ status: 'cancelled', sentSteps: 1 } satisfies FollowUpOutcome);
    expect(await sentBy(conversation.id)).toHaveLength(1);
    expect((await eventsOf(conversation.id)).map((event) => event.type)).toEqual(['follow_up.started', 'follow_up.step_sent', 'follow_up.cancelled']);
    expect((await eventsOf(conversation.id)).at(-1)?.payload).toMatchObject({ reason: 'customer_replied' });
    expect(await db.followUp.findUniqueOrThrow({ where: { id: followUpId } })).toMatchObject({
      status: 'cancelled',
      endReason: 'customer_replied',
      sentSteps: 1,
    });
  });

  it('a step whose timer fires after the customer wrote does not send, though no signal came', async () => {
    const { conversation, customer, followUpId } = await followUp([{ afterMinutes: minutes(day), text: 'Still there?' }], null);
    const { handle, worker } = await run(followUpId, real());
    const outcome = await worker.runUntil(async () => {
      // The workflow is on its timer when the customer's message is stored; its wake-up is still in the outbox.
      await env.sleep(60_000);
      await customerWrites(conversation.id, customer.id, await serverNow(env), 'Sorry, was away');
      return handle.result();
    });
    expect(outcome).toEqual({ status: 'cancelled', sentSteps: 0 });
    expect(await sentBy(conversation.id)).toEqual([]);
    expect((await eventsOf(conversation.id)).map((event) => event.type)).toEqual(['follow_up.started', 'follow_up.cancelled']);
  });

  it('each step is sent once, even when the worker dies after a send committed; the last resolves in the author’s name', async () => {
    const steps = [
      { afterMinutes: minutes(day), text: 'Any news?' },
      { afterMinutes: minutes(day), text: 'Closing this, {{contact.name}}.', then: 'resolve' as const },
    ];
    const { conversation, followUpId } = await followUp(steps, alexId);
    const { resolved, temporal } = recordingTemporal();
    const activities = real(temporal);
    let committed!: () => void;
    const died = new Promise<void>((resolve) => (committed = resolve));
    // The first step's send commits (its message and the count), then the worker dies before telling Temporal.
    const dying: FollowUpActivities = {
      ...activities,
      async sendFollowUpStep(input) {
        await activities.sendFollowUpStep(input);
        committed();
        throw new Error('worker died');
      },
    };
    const first = await run(followUpId, dying);
    await first.worker.runUntil(async () => {
      await env.sleep(day);
      await died;
    });
    expect(await sentBy(conversation.id)).toHaveLength(1);
    const second = await Worker.create({ connection: env.nativeConnection, taskQueue: first.taskQueue, workflowBundle: bundle, activities });
    const outcome = await second.runUntil(first.handle.result());

    expect(outcome).toEqual({ status: 'completed', sentSteps: 2 });
    expect(await sentBy(conversation.id)).toEqual([
      { body: 'Any news?', authorKind: 'agent' },
      { body: 'Closing this, Wang Fang.', authorKind: 'agent' },
    ]);
    expect((await eventsOf(conversation.id)).map((event) => event.type)).toEqual([
      'follow_up.started',
      'follow_up.step_sent',
      'follow_up.step_sent',
      'follow_up.completed',
    ]);
    expect(resolved).toEqual([{ workflowId: `conversation-${conversation.id}`, byUserId: alexId }]);
  });
});
