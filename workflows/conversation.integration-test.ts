// The conversation workflow on Temporal's time-skipping test server, with in-memory activities:
// SLA timers across nights and weekends, pauses while waiting on the customer, escalation, routing
// when seats free up, reopen and auto-close. Days pass in milliseconds.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PreparedConversation } from '../activities/conversation-activities.js';
import { localWeekdayTime, londonOffice, serverNow, skipTo as skipToLocal, startTimeSkippingServer } from '../test/support/time-skipping.js';
import { testWorkflowBundle } from '../test/support/workflow-bundle.js';
import { fakeConversationActivities, type FakeOptions } from '../test/support/fake-conversation-activities.js';
import {
  agentsAvailableSignal,
  botFeedbackUpdate,
  conversationWorkflowName,
  messagePostedSignal,
  resolveUpdate,
  snoozeUpdate,
  stateQuery,
  type ConversationWorkflowInput,
  type SlaPlan,
} from './conversation.messages.js';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleOption;

// A server per test: the time-skipping server sometimes stops skipping after some sequences
// (seen after a rejected update, and now and then after others), stalling every later timer test.
beforeAll(async () => {
  bundle = testWorkflowBundle();
});
beforeEach(async () => {
  env = await startTimeSkippingServer();
});
afterEach(() => env?.teardown());

const london = londonOffice;

const plan = (overrides: Partial<SlaPlan> = {}): SlaPlan => ({
  policyId: 'policy-normal',
  policyName: 'Normal priority',
  firstResponseMinutes: 120,
  nextResponseMinutes: 240,
  resolutionMinutes: 24 * 60,
  warningPercent: 80,
  escalation: [{ action: 'notify' }, { action: 'raise_priority' }, { action: 'move_to_expert' }],
  calendar: london,
  ...overrides,
});

const prepared = (createdAt: Date, overrides: Partial<PreparedConversation> = {}): PreparedConversation => ({
  status: 'queued',
  waitingOn: 'agent',
  priority: 'normal',
  tier: 'junior',
  assigneeId: null,
  teamId: null,
  skill: null,
  sla: plan(),
  settings: { reopenWindowHours: 72, maxHistoryEvents: 4000 },
  createdAt: createdAt.toISOString(),
  firstResponseAt: null,
  refineClassification: false,
  selfService: false,
  ...overrides,
});

const now = () => serverNow(env);

const skipTo = (weekday: number, time: string) => skipToLocal(env, weekday, time);

const local = localWeekdayTime;

/** Starts a conversation workflow with fake activities and runs `body` while its worker runs. */
type Fake = ReturnType<typeof fakeConversationActivities>;

async function withConversation(options: Omit<FakeOptions, 'serverTime'>, body: (ctx: { handle: WorkflowHandle; fake: Fake }) => Promise<void>) {
  const fake = fakeConversationActivities({ ...options, serverTime: () => env.currentTimeMs() });
  const taskQueue = `wf-test-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: fake.activities });
  const start = () =>
    env.client.workflow.start(conversationWorkflowName, {
      taskQueue,
      workflowId: `conversation-${randomUUID()}`,
      args: [{ conversationId: randomUUID() } satisfies ConversationWorkflowInput],
    });
  await worker.runUntil(async () => {
    const handle = await start();
    try {
      await body({ handle, fake });
    } finally {
      // A workflow left running would hold the shared server's clock for the next test.
      await handle.terminate('test finished').catch(() => undefined);
    }
  });
}

/** Resolves once the workflow has loaded its state and routed (its assignment has been written). */
const routed = (fake: Fake) => vi.waitFor(() => expect(fake.named('assignConversation').length).toBe(1), { timeout: 10_000 });

const slaEvents = (fake: Fake): { metric: string; kind: string; dueAt: string; at: number }[] =>
  fake.named('saveSla').flatMap((call) => (call.input.event ? [{ ...call.input.event, at: call.at }] : []));

describe('conversation workflow SLA timers', () => {
  it('warns at 80 % and breaches at 100 % of the first-response target in business hours, across a weekend', async () => {
    const createdAt = await skipTo(5, '17:00'); // Friday 17:00 in London: one business hour left
    await withConversation({ prepared: prepared(createdAt) }, async ({ handle, fake }) => {
      await env.sleep('4 days'); // to Tuesday 17:00
      const events = slaEvents(fake).filter((event) => event.metric === 'first_response');
      // 120 business minutes: 60 on Friday, 60 on Monday from 09:00; the warning at 96 minutes.
      expect(events.map((event) => [event.kind, local(event.dueAt)])).toEqual([
        ['warning', 'Mon 09:36'],
        ['breached', 'Mon 10:00'],
      ]);
      // Timers fired at the due instants, not before (recorded at the skipped server time).
      for (const event of events) expect(event.at).toBeGreaterThanOrEqual(Date.parse(event.dueAt));
      expect((await handle.query(stateQuery)).slaState).toBe('breached');
    });
  });

  it('runs the escalation ladder in the policy order on breach', async () => {
    const createdAt = await skipTo(2, '10:00');
    await withConversation({ prepared: prepared(createdAt, { sla: plan({ firstResponseMinutes: 30 }) }), available: [] }, async ({ handle, fake }) => {
      await env.sleep('1 hour');
      const steps = fake.named('escalate').map((call) => [call.input.step.action, call.input.metric]);
      expect(steps).toEqual([
        ['notify', 'first_response'],
        ['raise_priority', 'first_response'],
        ['move_to_expert', 'first_response'],
      ]);
      const state = await handle.query(stateQuery);
      expect(state).toMatchObject({ priority: 'high', tier: 'expert' });
      // The notify step also emails the assignee and the team lead.
      expect(fake.named('emailSlaBreach').map((call) => call.input.metric)).toEqual(['first_response']);
    });
  });

  it('pauses the resolution clock while waiting on the customer and resumes it when they write', async () => {
    const createdAt = await skipTo(3, '09:00');
    const sla = plan({ calendar: null, firstResponseMinutes: 600, resolutionMinutes: 60, escalation: [] });
    await withConversation({ prepared: prepared(createdAt, { sla }), available: ['agent-1'] }, async ({ handle, fake }) => {
      await env.sleep('10 minutes');
      const agentReplied = await now(); // about 10 minutes: the test server's clock also runs in real time
      await handle.signal(messagePostedSignal, { messageId: 'm1', authorKind: 'agent', at: agentReplied.toISOString() });
      await env.sleep('2 hours'); // the customer takes two hours to answer: no breach meanwhile
      expect(slaEvents(fake).filter((event) => event.metric === 'resolution')).toEqual([]);
      expect((await handle.query(stateQuery)).slaState).toBe('paused');

      const customerWrote = await now();
      await handle.signal(messagePostedSignal, { messageId: 'm2', authorKind: 'customer', at: customerWrote.toISOString() });
      await env.sleep('2 hours');
      const breach = slaEvents(fake).find((event) => event.metric === 'resolution' && event.kind === 'breached');
      // The time used before the pause counts; the rest of the hour runs from the customer's message.
      const usedBeforePause = agentReplied.getTime() - createdAt.getTime();
      expect(Date.parse(breach!.dueAt)).toBe(customerWrote.getTime() + 60 * 60_000 - usedBeforePause);
    });
  });
});

describe('conversation workflow lifecycle', () => {
  it('stays queued while nobody has a seat and is assigned as soon as capacity frees up', async () => {
    await withConversation({ prepared: prepared(await now(), { sla: null }) }, async ({ handle, fake }) => {
      await env.sleep('1 minute');
      expect((await handle.query(stateQuery)).status).toBe('queued');
      fake.setAvailable(['agent-7']);
      await handle.signal(agentsAvailableSignal, { reason: 'agent-7 resolved a conversation' });
      // A signal is handled on the worker's next workflow task, which skipped time does not wait for.
      await vi.waitFor(async () => expect(await handle.query(stateQuery)).toMatchObject({ status: 'open', assigneeId: 'agent-7' }), { timeout: 10_000 });
      expect(fake.named('findAssignee').length).toBe(2);
    });
  });

  it('wakes a snoozed conversation at the chosen time', async () => {
    await withConversation({ prepared: prepared(await now(), { sla: null }), available: ['agent-1'] }, async ({ handle, fake }) => {
      await routed(fake);
      const until = new Date((await env.currentTimeMs()) + 3 * 3_600_000).toISOString();
      expect((await handle.executeUpdate(snoozeUpdate, { args: [{ byUserId: 'agent-1', until }] })).status).toBe('snoozed');
      await env.sleep('2 hours');
      expect((await handle.query(stateQuery)).status).toBe('snoozed');
      await env.sleep('2 hours');
      expect((await handle.query(stateQuery)).status).toBe('open');
      const woken = fake.named('applyConversationChange').find((call) => call.input.event.type === 'conversation.unsnoozed');
      expect(woken!.at).toBeGreaterThanOrEqual(Date.parse(until));
    });
  });

  it('wakes a snoozed conversation when the customer writes, and records it', async () => {
    await withConversation({ prepared: prepared(await now(), { sla: null }), available: ['agent-1'] }, async ({ handle, fake }) => {
      await routed(fake);
      await handle.executeUpdate(snoozeUpdate, { args: [{ byUserId: 'agent-1', until: null }] });
      await handle.signal(messagePostedSignal, { messageId: 'm9', authorKind: 'customer', at: (await now()).toISOString() });
      await vi.waitFor(() => expect(fake.named('applyConversationChange').map((call) => call.input.event.type)).toContain('conversation.unsnoozed'), {
        timeout: 10_000,
      });
      const woken = fake.named('applyConversationChange').find((call) => call.input.event.type === 'conversation.unsnoozed')!;
      expect(woken.input.change).toEqual({ status: 'open', snoozedUntil: null });
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'open', waitingOn: 'agent' });
    });
  });

  it('ignores a message signal older than one it already had (a late delivery by the relay)', async () => {
    await withConversation({ prepared: prepared(await now(), { sla: null }), available: ['agent-1'] }, async ({ handle, fake }) => {
      await routed(fake);
      const agentReplied = await now();
      const customerWroteEarlier = new Date(agentReplied.getTime() - 60_000);
      await handle.signal(messagePostedSignal, { messageId: 'newer', authorKind: 'agent', at: agentReplied.toISOString() });
      await handle.signal(messagePostedSignal, { messageId: 'older', authorKind: 'customer', at: customerWroteEarlier.toISOString() });
      expect(await handle.query(stateQuery)).toMatchObject({ waitingOn: 'customer', lastMessageAt: agentReplied.toISOString() });
    });
  });

  it('takes a first agent reply that arrives after a newer customer message as the first response (no false breach)', async () => {
    const sla = plan({ calendar: null, firstResponseMinutes: 30, escalation: [] });
    await withConversation({ prepared: prepared(await now(), { sla }), available: ['agent-1'] }, async ({ handle, fake }) => {
      await routed(fake);
      const replied = await now();
      const wroteAgain = new Date(replied.getTime() + 1_000);
      // Delivered the wrong way round (a signal sent before the outbox ordered them).
      await handle.signal(messagePostedSignal, { messageId: 'later', authorKind: 'customer', at: wroteAgain.toISOString() });
      await handle.signal(messagePostedSignal, { messageId: 'first-reply', authorKind: 'agent', at: replied.toISOString() });
      const state = await handle.query(stateQuery);
      expect(state.waitingOn).toBe('agent'); // the newer message decides who it waits on
      expect(state.clocks.map((clock) => clock.metric)).not.toContain('first_response');
      await env.sleep('1 hour');
      expect(slaEvents(fake).filter((event) => event.metric === 'first_response')).toEqual([]);
    });
  });

  it("orders message signals by the outbox's seq rather than by the stored instant, and ignores a repeated one", async () => {
    await withConversation({ prepared: prepared(await now(), { sla: null }), available: ['agent-1'] }, async ({ handle, fake }) => {
      await routed(fake);
      const customerWrote = await now();
      // Stored in this order (seq), though the reply's instant reads a millisecond earlier
      // (each statement's instant is taken before it waits for the conversation's lock).
      await handle.signal(messagePostedSignal, { messageId: 'm1', authorKind: 'customer', at: customerWrote.toISOString(), seq: 41 });
      await handle.signal(messagePostedSignal, { messageId: 'm2', authorKind: 'agent', at: new Date(customerWrote.getTime() - 1).toISOString(), seq: 42 });
      expect(await handle.query(stateQuery)).toMatchObject({ waitingOn: 'customer', lastMessageSeq: 42 });
      // The relay delivered m1 again (its lease ran out before it could delete the row): no effect.
      await handle.signal(messagePostedSignal, { messageId: 'm1', authorKind: 'customer', at: customerWrote.toISOString(), seq: 41 });
      expect(await handle.query(stateQuery)).toMatchObject({ waitingOn: 'customer', lastMessageSeq: 42 });
    });
  });

  it('prepares, saves the SLA and routes in one local activity when routing is what comes next', async () => {
    // No rule listens to the first message (`watching`), no bot: routing comes next.
    await withConversation({ prepared: prepared(await now(), { watching: [] }), available: ['agent-1'] }, async ({ handle, fake }) => {
      await routed(fake);
      await vi.waitFor(async () => expect(await handle.query(stateQuery)).toMatchObject({ status: 'open', assigneeId: 'agent-1', slaState: 'ok' }));
      // The three steps in the order the workflow ran them, and the SLA saved once.
      expect(fake.calls.map((call) => call.name)).toEqual(['prepareConversation', 'saveSla', 'findAssignee', 'assignConversation']);
      const { events } = await handle.fetchHistory();
      const localActivities = events!.filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity');
      expect(localActivities.length).toBe(1);
    });
  });

  it('continues as new when its history grows long, carrying its state and clocks', async () => {
    const sla = plan({ calendar: null, escalation: [] });
    const options = { prepared: prepared(await now(), { sla, settings: { reopenWindowHours: 72, maxHistoryEvents: 20 } }), available: ['agent-1'] };
    await withConversation(options, async ({ handle, fake }) => {
      await routed(fake);
      const firstRun = (await handle.describe()).runId;
      // A long back-and-forth: every change of who waits is a signal in the history.
      for (let turn = 0; turn < 12; turn += 1) {
        const authorKind = turn % 2 === 0 ? 'agent' : 'customer';
        await handle.signal(messagePostedSignal, { messageId: `t${turn}`, authorKind, at: (await now()).toISOString() });
      }
      await vi.waitFor(async () => expect((await handle.describe()).runId).not.toBe(firstRun), { timeout: 15_000 });
      const state = await handle.query(stateQuery);
      expect(state).toMatchObject({ status: 'open', assigneeId: 'agent-1', waitingOn: 'agent' });
      expect(state.clocks.map((clock) => clock.metric).sort()).toEqual(['next_response', 'resolution']);
      // The new run did not prepare or route again: it carried the state over.
      expect(fake.named('prepareConversation').length).toBe(1);
      expect(fake.named('assignConversation').length).toBe(1);
    });
  });

  it('reopens when the customer writes within the window, and closes itself after the window', async () => {
    await withConversation({ prepared: prepared(await now(), { sla: null }), available: ['agent-1'] }, async ({ handle, fake }) => {
      // Prepared and routed first: the fake's preparation answers the same state whatever was
      // written before it (an update that came first would be overwritten by it, unlike the real one's).
      await routed(fake);
      await handle.executeUpdate(resolveUpdate, { args: [{ byUserId: 'agent-1' }] });
      await env.sleep('24 hours');
      await handle.signal(messagePostedSignal, { messageId: 'm3', authorKind: 'customer', at: (await now()).toISOString() });
      // A signal is handled on the worker's next workflow task, which skipped time does not wait for.
      await vi.waitFor(async () => expect(await handle.query(stateQuery)).toMatchObject({ status: 'open', assigneeId: 'agent-1', reopenCount: 1 }), {
        timeout: 10_000,
      });

      await handle.executeUpdate(resolveUpdate, { args: [{ byUserId: 'agent-1' }] });
      const result = await handle.result(); // time skips through the 72-hour window
      expect(result.status).toBe('closed');
      const closed = fake.named('applyConversationChange').find((call) => call.input.change.status === 'closed');
      const resolvedAt = Date.parse(
        result.resolvedAt ??
          fake
            .named('applyConversationChange')
            .filter((call) => call.input.change.status === 'resolved')
            .at(-1)!.input.change.resolvedAt,
      );
      expect(closed!.at - resolvedAt).toBeGreaterThanOrEqual(72 * 3_600_000);
    });
  });
});

describe('conversation workflow AI steps', () => {
  it("routes with a model's classification when one refines the rules", async () => {
    await withConversation({ prepared: prepared(await now(), { refineClassification: true }), available: ['agent-9'] }, async ({ fake }) => {
      await routed(fake);
      expect(fake.named('classifyWithModel').length).toBe(1);
      expect(fake.named('findAssignee')[0]!.input).toMatchObject({ tier: 'expert', skill: 'technical' });
    });
  });

  it('lets the bot hold the conversation, and counts silence after its answer as resolved', async () => {
    const options = { prepared: prepared(await now(), { selfService: true }), available: ['agent-1'], botIdleMinutes: 30 };
    await withConversation(options, async ({ handle, fake }) => {
      await vi.waitFor(() => expect(fake.named('answerWithBot').length).toBe(1), { timeout: 10_000 });
      await vi.waitFor(async () => expect((await handle.query(stateQuery)).status).toBe('bot'), { timeout: 10_000 });
      // Nobody is routed and no SLA clock runs while the bot serves.
      expect(fake.named('findAssignee')).toEqual([]);
      const held = await handle.query(stateQuery);
      expect(held.clocks).toEqual([]);
      const answeredAt = Date.parse(held.botAnsweredAt!);
      await env.sleep('45 minutes');
      const resolved = fake.named('applyConversationChange').find((call) => call.input.event.type === 'bot.assumed_resolved');
      expect(resolved?.input.change.status).toBe('resolved');
      expect(resolved!.at - answeredAt).toBeGreaterThanOrEqual(30 * 60_000);
      expect(fake.named('handOffToHuman')).toEqual([]);
    });
  });

  it('adopts the bot’s answer made in the preparation, without a step of its own', async () => {
    const bot = { answered: true as const, confidence: 0.9, idleMinutes: 30 };
    const options = { prepared: prepared(await now(), { selfService: true, botRunsLocally: true, watching: [], bot }), available: ['agent-1'] };
    await withConversation(options, async ({ handle, fake }) => {
      await vi.waitFor(async () => expect((await handle.query(stateQuery)).status).toBe('bot'), { timeout: 10_000 });
      expect(fake.named('prepareConversation')[0]!.input).toEqual({ conversationId: expect.any(String), answer: true });
      expect(fake.named('answerWithBot')).toEqual([]);
      expect(fake.named('findAssignee')).toEqual([]);
    });
  });

  it('hands off to a person when the customer asks, starting the SLA clocks then', async () => {
    const options = { prepared: prepared(await now(), { selfService: true }), available: ['agent-1'], botIdleMinutes: 30 };
    await withConversation(options, async ({ handle, fake }) => {
      await vi.waitFor(async () => expect((await handle.query(stateQuery)).status).toBe('bot'), { timeout: 10_000 });
      await env.sleep('10 minutes');
      const askedAt = await env.currentTimeMs();
      const state = await handle.executeUpdate(botFeedbackUpdate, { args: [{ outcome: 'wants_human' }] });
      expect(state.status).toBe('queued');
      expect(fake.named('handOffToHuman').map((call) => call.input.reason)).toEqual(['wants_human']);
      await routed(fake);
      const after = await handle.query(stateQuery);
      expect(after).toMatchObject({ status: 'open', assigneeId: 'agent-1' });
      const firstResponse = after.clocks.find((clock) => clock.metric === 'first_response');
      expect(Date.parse(firstResponse!.runningSince!)).toBeGreaterThanOrEqual(askedAt);
    });
  });

  it('resolves when the customer marks the answer helpful', async () => {
    const options = { prepared: prepared(await now(), { selfService: true }), available: ['agent-1'], botIdleMinutes: 30 };
    await withConversation(options, async ({ handle, fake }) => {
      await vi.waitFor(async () => expect((await handle.query(stateQuery)).status).toBe('bot'), { timeout: 10_000 });
      expect((await handle.executeUpdate(botFeedbackUpdate, { args: [{ outcome: 'helpful' }] })).status).toBe('resolved');
      expect(fake.named('applyConversationChange').map((call) => call.input.event.type)).toContain('bot.helpful');
      expect(fake.named('assignConversation')).toEqual([]);
    });
  });
});

// Rejected updates were the first sequence seen to stop the server skipping time; with a server
// per test they can no longer stall the others.
describe('conversation workflow update validators', () => {
  it('refuses a second resolve in its validator, before it reaches the history', async () => {
    await withConversation({ prepared: prepared(await now(), { sla: null }), available: ['agent-1'] }, async ({ handle, fake }) => {
      await routed(fake);
      const resolved = await handle.executeUpdate(resolveUpdate, { args: [{ byUserId: 'agent-1' }] });
      expect(resolved.status).toBe('resolved');
      const second = handle.executeUpdate(resolveUpdate, { args: [{ byUserId: 'agent-1' }] });
      await expect(second).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const history = await handle.fetchHistory();
      const accepted = history.events!.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes);
      expect(accepted.length).toBe(1);
    });
  });

  it('refuses to snooze until a time in the past', async () => {
    await withConversation({ prepared: prepared(await now(), { sla: null }), available: ['agent-1'] }, async ({ handle, fake }) => {
      await routed(fake);
      const past = new Date((await env.currentTimeMs()) - 60_000).toISOString();
      await expect(handle.executeUpdate(snoozeUpdate, { args: [{ byUserId: 'agent-1', until: past }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      expect((await handle.query(stateQuery)).status).toBe('open');
    });
  });
});

describe('conversation workflow automation rules', () => {
  it('sees routing as assigned + status_changed, and sleeps until a time rule is due', async () => {
    let dueAt: string | null = null;
    const matchRules: FakeOptions['matchRules'] = ({ event }) => {
      // A rule "30 minutes after assigned: escalate", as the matching activity would report it.
      if (event.on === 'assigned') dueAt = new Date(Date.now() + 30 * 60_000).toISOString();
      const due = event.on === 'time_elapsed';
      return { runs: due ? [{ ruleId: 'r1', version: 1, executionId: 'e1', actions: [{ type: 'escalate' }] }] : [], nextDueAt: due ? null : dueAt };
    };
    await withConversation({ prepared: prepared(await now()), available: ['agent-1'], matchRules }, async ({ fake }) => {
      await vi.waitFor(() => expect(fake.named('matchRules').map((call) => call.input.event.on)).toContain('assigned'), { timeout: 10_000 });
      const events = fake.named('matchRules').map((call) => call.input.event);
      expect(events.slice(0, 4)).toEqual([
        { on: 'conversation_created' },
        { on: 'message_received', from: 'customer' },
        { on: 'status_changed', to: 'open', depth: 0 },
        { on: 'assigned', depth: 0 },
      ]);
      expect(fake.named('runRuleAction')).toEqual([]);
      await env.sleep('1 hour');
      const [escalation] = fake.named('runRuleAction');
      expect(escalation?.input.action).toEqual({ type: 'escalate' });
      const tick = fake.named('matchRules').find((call) => call.input.event.on === 'time_elapsed')!;
      // The timer fired at the due instant, not before it, and the tick covered it.
      expect(tick.at).toBeGreaterThanOrEqual(Date.parse(dueAt!));
      expect(Date.parse(tick.input.event.to)).toBeGreaterThanOrEqual(Date.parse(dueAt!));
    });
  });

  it('matches only the first-message events an enabled rule listens to, as the preparation reports them', async () => {
    const options = { prepared: prepared(await now(), { watching: ['message_received'] }), available: ['agent-1'] };
    await withConversation(options, async ({ handle, fake }) => {
      await routed(fake);
      await vi.waitFor(async () => expect((await handle.query(stateQuery)).status).toBe('open'), { timeout: 10_000 });
      expect(fake.named('matchRules').map((call) => call.input.event)).toEqual([{ on: 'message_received', from: 'customer' }]);
    });
  });

  it('starts with the in-process bot and no matching at all when no enabled rule listens', async () => {
    const options = { prepared: prepared(await now(), { watching: [], selfService: true, botRunsLocally: true }), available: ['agent-1'] };
    await withConversation(options, async ({ handle, fake }) => {
      await routed(fake);
      await vi.waitFor(async () => expect((await handle.query(stateQuery)).status).toBe('open'), { timeout: 10_000 });
      // The bot declined (the fake's default), so routing took it; nothing was matched.
      expect(fake.named('answerWithBot')).toHaveLength(1);
      expect(fake.named('matchRules')).toEqual([]);
      expect(fake.named('findAssignee')).toHaveLength(1);
      // A local activity: no task went through the server's queue for it.
      const { events } = await handle.fetchHistory();
      expect(events?.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'answerWithBot')).toEqual([]);
    });
  });

  it('does not match events no enabled rule listens to (routing raises status_changed and assigned)', async () => {
    const matchRules: FakeOptions['matchRules'] = () => ({ runs: [], nextDueAt: null, watching: ['message_received'] });
    await withConversation({ prepared: prepared(await now()), available: ['agent-1'], matchRules }, async ({ handle, fake }) => {
      await vi.waitFor(async () => expect((await handle.query(stateQuery)).status).toBe('open'), { timeout: 10_000 });
      await handle.signal(messagePostedSignal, { messageId: 'm2', authorKind: 'agent', at: new Date().toISOString() });
      await vi.waitFor(() => expect(fake.named('matchRules').filter((call) => call.input.event.on === 'message_received')).toHaveLength(2), {
        timeout: 10_000,
      });
      expect(fake.named('matchRules').map((call) => call.input.event)).toEqual([
        { on: 'conversation_created' },
        { on: 'message_received', from: 'customer' },
        { on: 'message_received', from: 'agent' },
      ]);
    });
  });
});
