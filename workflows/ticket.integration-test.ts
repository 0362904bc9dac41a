// The ticket workflow on Temporal's time-skipping test server, with in-memory activities: the
// resolution SLA in business hours across a weekend, its pause while pending, the pending
// reminder, auto-close after solved, reopen on a customer reply, and validators refusing bad
// transitions before they reach the history. Days pass in milliseconds.
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NotificationActivities } from '../activities/notification-activities.js';
import type { RuleActivities, RuleMatch } from '../activities/rule-activities.js';
import type { PreparedTicket, TicketActivities } from '../activities/ticket-activities.js';
import { nextTimeTriggerDue, planRules, type PlannableRule, type RuleFacts } from '../domain/rules/matcher.js';
import type { TicketStatus } from '../domain/vocabulary.js';
import { localWeekdayTime, londonOffice, serverNow, skipTo as skipToLocal, startTimeSkipping } from '../test/support/time-skipping.js';
import { testWorkflowBundle } from '../test/support/workflow-bundle.js';
import type { SlaPlan } from '../domain/sla-plan.js';
import {
  assignTicketUpdate,
  customerRepliedSignal,
  setTicketStatusUpdate,
  ticketFailures,
  ticketStateQuery,
  ticketWorkflowName,
  type TicketWorkflowInput,
} from './ticket.messages.js';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleOption;

beforeAll(async () => {
  ({ env, bundle } = await startTimeSkipping(testWorkflowBundle()));
});
afterAll(() => env?.teardown());

const london = londonOffice;

const plan = (overrides: Partial<SlaPlan> = {}): SlaPlan => ({
  policyId: 'policy-normal',
  policyName: 'Normal priority',
  firstResponseMinutes: 120,
  nextResponseMinutes: 240,
  resolutionMinutes: 120,
  warningPercent: 80,
  escalation: [{ action: 'notify' }, { action: 'raise_priority' }],
  calendar: london,
  ...overrides,
});

const prepared = (createdAt: Date, overrides: Partial<PreparedTicket> = {}): PreparedTicket => ({
  status: 'new',
  priority: 'normal',
  tier: 'junior',
  assigneeId: null,
  teamId: null,
  sla: plan(),
  settings: { pendingReminderHours: 48, autoCloseDaysAfterSolved: 4 },
  createdAt: createdAt.toISOString(),
  solvedAt: null,
  ...overrides,
});

type Activities = TicketActivities & NotificationActivities & Pick<RuleActivities, 'matchRules' | 'runTicketRuleAction' | 'recordRuleActionFailure'>;

interface RecordedCall {
  name: keyof Activities;
  input: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted field by field
  /** Server time the activity was scheduled at (moves with time skipping). */
  at: number;
}

/** In-memory stand-ins for the ticket activities; each call is recorded with its server time. */
function fakeTicketActivities(ticket: PreparedTicket, matchRules?: Activities['matchRules']) {
  const calls: RecordedCall[] = [];
  const record = <T>(name: keyof Activities, input: unknown, result: T): T => {
    calls.push({ name, input, at: Context.current().info.scheduledTimestampMs });
    return result;
  };
  const activities: Activities = {
    prepareTicket: async (input) => record('prepareTicket', input, ticket),
    resolveTicketSlaPlan: async (input) => record('resolveTicketSlaPlan', input, ticket.sla),
    applyTicketChange: async (input) => record('applyTicketChange', input, undefined),
    assignTicket: async (input) => {
      if (input.agentId === 'nobody') throw ApplicationFailure.nonRetryable('User nobody does not exist.', ticketFailures.assignRefused);
      return record('assignTicket', input, { teamId: input.agentId ? 'team-frontline' : null });
    },
    saveTicketSla: async (input) => record('saveTicketSla', input, undefined),
    escalateTicket: async (input) => record('escalateTicket', input, { state: input.step.action === 'raise_priority' ? { priority: 'high' as const } : {} }),
    emailSlaBreach: async (input) => record('emailSlaBreach', input, undefined),
    // No rules unless a test gives its own matching.
    matchRules: async (input) => record('matchRules', input, matchRules ? await matchRules(input) : { runs: [], nextDueAt: null }),
    runTicketRuleAction: async (input) =>
      record(
        'runTicketRuleAction',
        input,
        input.action.type === 'set_status' && input.action.status === 'close'
          ? { state: { status: 'closed' as const }, freedSeatOf: null }
          : { state: {}, freedSeatOf: null },
      ),
    recordRuleActionFailure: async (input) => record('recordRuleActionFailure', input, undefined),
  };
  return { activities, calls, named: (name: keyof Activities) => calls.filter((call) => call.name === name) };
}
type Fake = ReturnType<typeof fakeTicketActivities>;

const now = () => serverNow(env);

const skipTo = (weekday: number, time: string) => skipToLocal(env, weekday, time);

const local = localWeekdayTime;

/** Starts a ticket workflow with fake activities and runs `body` while its worker runs. */
async function withTicket(ticket: PreparedTicket, body: (ctx: { handle: WorkflowHandle; fake: Fake }) => Promise<void>, matchRules?: Activities['matchRules']) {
  const fake = fakeTicketActivities(ticket, matchRules);
  const taskQueue = `wf-test-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: fake.activities });
  const ticketId = randomUUID();
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(ticketWorkflowName, {
      taskQueue,
      workflowId: `ticket-${ticketId}`,
      args: [{ ticketId } satisfies TicketWorkflowInput],
    });
    try {
      // Once the preparation is under way it holds the writer, so an update the body sends waits for
      // it; one that came before would be overwritten by the fake's fixed answer (the real one reads it).
      await vi.waitFor(() => expect(fake.named('prepareTicket').length).toBe(1), { timeout: 10_000 });
      await body({ handle, fake });
    } finally {
      // A workflow left running would hold the shared server's clock for the next test.
      await handle.terminate('test finished').catch(() => undefined);
    }
  });
}

const setStatus = (handle: WorkflowHandle, status: TicketStatus, byUserId = 'agent-1') =>
  handle.executeUpdate(setTicketStatusUpdate, { args: [{ byUserId, status }] });

const slaEvents = (fake: Fake): { metric: string; kind: string; dueAt: string; at: number }[] =>
  fake.named('saveTicketSla').flatMap((call) => (call.input.event ? [{ ...call.input.event, at: call.at }] : []));

const eventsOfType = (fake: Fake, type: string) => fake.named('applyTicketChange').filter((call) => call.input.event.type === type);

describe('ticket workflow resolution SLA', () => {
  it('warns at 80 % and breaches the resolution target in business hours across a weekend, then escalates', async () => {
    const createdAt = await skipTo(5, '17:00'); // Friday 17:00 in London: one business hour left
    await withTicket(prepared(createdAt), async ({ handle, fake }) => {
      await env.sleep('4 days'); // to Tuesday 17:00
      const events = slaEvents(fake);
      // 120 business minutes: 60 on Friday, 60 on Monday from 09:00; the warning at 96 minutes.
      expect(events.map((event) => [event.metric, event.kind, local(event.dueAt)])).toEqual([
        ['resolution', 'warning', 'Mon 09:36'],
        ['resolution', 'breached', 'Mon 10:00'],
      ]);
      // Timers fired at the due instants, not before (recorded at the skipped server time).
      for (const event of events) expect(event.at).toBeGreaterThanOrEqual(Date.parse(event.dueAt));
      expect(fake.named('escalateTicket').map((call) => call.input.step.action)).toEqual(['notify', 'raise_priority']);
      expect(fake.named('emailSlaBreach').map((call) => call.input)).toEqual([{ subject: { ticketId: expect.any(String) }, metric: 'resolution' }]);
      expect(await handle.query(ticketStateQuery)).toMatchObject({ slaState: 'breached', priority: 'high', reported: 'breached' });
    });
  });

  it('pauses the resolution clock while pending or on hold and resumes it with the time already used', async () => {
    const sla = plan({ calendar: null, resolutionMinutes: 60, escalation: [] });
    await withTicket(prepared(await now(), { sla }), async ({ handle, fake }) => {
      await env.sleep('10 minutes');
      expect((await setStatus(handle, 'pending')).status).toBe('pending');
      await env.sleep('2 hours'); // waiting on the customer: no warning, no breach
      expect((await setStatus(handle, 'on_hold')).slaState).toBe('paused');
      await env.sleep('2 hours');
      expect(slaEvents(fake)).toEqual([]);
      expect((await handle.query(ticketStateQuery)).slaState).toBe('paused');

      const resumedAt = await now();
      await setStatus(handle, 'open');
      await env.sleep('2 hours');
      const breach = slaEvents(fake).find((event) => event.kind === 'breached');
      // 10 minutes used before the pause; the remaining 50 count from the reopen (within a
      // second or two of scheduling slack).
      expect(Math.abs(Date.parse(breach!.dueAt) - (resumedAt.getTime() + 50 * 60_000))).toBeLessThan(5_000);
    });
  });
});

describe('ticket workflow lifecycle', () => {
  it('records one pending reminder after 48 hours pending, and one more for the next pending period', async () => {
    await withTicket(prepared(await now(), { sla: null }), async ({ handle, fake }) => {
      await setStatus(handle, 'pending');
      const pendingSince = Date.parse((await handle.query(ticketStateQuery)).pendingSince!);
      await env.sleep('47 hours');
      expect(eventsOfType(fake, 'ticket.pending_reminder')).toEqual([]);
      await env.sleep('2 hours');
      const [reminder] = eventsOfType(fake, 'ticket.pending_reminder');
      expect(reminder!.at).toBeGreaterThanOrEqual(pendingSince + 48 * 3_600_000);
      await env.sleep('3 days');
      expect(eventsOfType(fake, 'ticket.pending_reminder').length).toBe(1);

      await setStatus(handle, 'open');
      await setStatus(handle, 'pending');
      await env.sleep('49 hours');
      expect(eventsOfType(fake, 'ticket.pending_reminder').length).toBe(2);
    });
  });

  it('closes a solved ticket by itself after the auto-close days and completes', async () => {
    await withTicket(prepared(await now(), { sla: null }), async ({ handle, fake }) => {
      const solved = await setStatus(handle, 'solved');
      expect(solved.status).toBe('solved');
      const result = await handle.result(); // time skips through the 4 days
      expect(result.status).toBe('closed');
      const [closed] = eventsOfType(fake, 'ticket.closed');
      expect(closed!.input.change).toMatchObject({ status: 'closed' });
      expect(closed!.at - Date.parse(solved.solvedAt!)).toBeGreaterThanOrEqual(4 * 24 * 3_600_000);
    });
  });

  it('reopens a solved ticket when the customer replies before the auto-close, keeping the resolution time used', async () => {
    const sla = plan({ calendar: null, resolutionMinutes: 30 * 24 * 60, escalation: [] });
    await withTicket(prepared(await now(), { sla }), async ({ handle, fake }) => {
      await env.sleep('1 hour');
      const solved = await setStatus(handle, 'solved');
      expect(solved.resolution!.runningSince).toBeNull(); // stopped while solved
      await env.sleep('2 days');
      await handle.signal(customerRepliedSignal, { at: (await now()).toISOString() });
      // A signal is handled on the worker's next workflow task, which skipped time does not wait for.
      await vi.waitFor(async () => expect(await handle.query(ticketStateQuery)).toMatchObject({ status: 'open', solvedAt: null }), { timeout: 10_000 });
      const reopened = await handle.query(ticketStateQuery);
      expect(reopened.resolution!.runningSince).not.toBeNull();
      expect(reopened.resolution!.consumedMinutes).toBeGreaterThanOrEqual(60); // the hour before solving, not the 2 days after
      expect(reopened.resolution!.consumedMinutes).toBeLessThan(62);
      const changed = eventsOfType(fake, 'ticket.status_changed').at(-1)!;
      expect(changed.input).toMatchObject({
        change: { status: 'open', solvedAt: null },
        event: { actorId: null, details: { from: 'solved', to: 'open', reason: 'customer replied' } },
      });

      await env.sleep('5 days'); // past the 4 days the solved ticket would have had
      expect((await handle.query(ticketStateQuery)).status).toBe('open');
      expect(eventsOfType(fake, 'ticket.closed')).toEqual([]);
    });
  });

  it('ignores a customer reply while the ticket is open or on hold', async () => {
    await withTicket(prepared(await now(), { sla: null }), async ({ handle, fake }) => {
      await setStatus(handle, 'on_hold');
      await handle.signal(customerRepliedSignal, { at: (await now()).toISOString() });
      await env.sleep('1 second');
      expect((await handle.query(ticketStateQuery)).status).toBe('on_hold');
      expect(eventsOfType(fake, 'ticket.status_changed').length).toBe(1);
    });
  });

  it('assigns and unassigns, the team following the agent', async () => {
    await withTicket(prepared(await now(), { sla: null }), async ({ handle }) => {
      expect(await handle.executeUpdate(assignTicketUpdate, { args: [{ byUserId: 'agent-1', assigneeId: 'agent-2' }] })).toMatchObject({
        assigneeId: 'agent-2',
        teamId: 'team-frontline',
      });
      const refused = handle.executeUpdate(assignTicketUpdate, { args: [{ byUserId: 'agent-1', assigneeId: 'nobody' }] });
      await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      expect((await handle.query(ticketStateQuery)).assigneeId).toBe('agent-2');
      expect(await handle.executeUpdate(assignTicketUpdate, { args: [{ byUserId: 'agent-1', assigneeId: null }] })).toMatchObject({ assigneeId: null });
    });
  });

  it('refuses invalid transitions in the validator, before they reach the history', async () => {
    await withTicket(prepared(await now(), { sla: null }), async ({ handle, fake }) => {
      // Its first SLA save comes after the state is loaded: from then on validators see the status.
      await vi.waitFor(() => expect(fake.named('saveTicketSla').length).toBeGreaterThan(0), { timeout: 10_000 });
      const failureOf = async (status: string) => {
        const error = await setStatus(handle, status as TicketStatus).then(
          () => null,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
        return ((error as WorkflowUpdateFailedError).cause as ApplicationFailure).type;
      };
      expect(await failureOf('closed')).toBe(ticketFailures.invalidTransition); // only the workflow closes
      expect(await failureOf('new')).toBe(ticketFailures.invalidTransition); // no change is no transition
      expect(await failureOf('lost')).toBe(ticketFailures.invalidInput);
      expect((await setStatus(handle, 'solved')).status).toBe('solved');
      expect(await failureOf('pending')).toBe(ticketFailures.invalidTransition); // solved only reopens

      const history = await handle.fetchHistory();
      const accepted = history.events!.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes);
      expect(accepted.length).toBe(1);
      expect(eventsOfType(fake, 'ticket.status_changed').map((call) => call.input.event.details.to)).toEqual(['solved']);
      expect((await handle.query(ticketStateQuery)).status).toBe('solved');
    });
  });
});

describe('ticket workflow automation rules', () => {
  /** "Pending for 16 business hours: remind; for 24: close" — the pending → remind → auto-close. */
  const pendingRules: PlannableRule[] = [
    { on: 16, actions: [{ type: 'add_note' as const, text: 'Still waiting on the customer: reminded.' }] },
    { on: 24, actions: [{ type: 'set_status' as const, status: 'close' as const }] },
  ].map(({ on, actions }, index) => ({
    id: `rule-${on}`,
    version: 1,
    position: index,
    enabled: true,
    scope: 'ticket',
    trigger: { on: 'time_elapsed', since: 'status_changed', after: { amount: on, unit: 'business_hours' } },
    conditions: { all: [{ field: 'status', op: 'eq', value: 'pending' }] },
    actions,
  }));

  /**
   * Matching as the real activity does it (the pure planner over the ticket's facts), with the
   * facts kept from what the workflow wrote: its status and when it last changed.
   */
  function realMatching() {
    const facts: RuleFacts = {
      subject: 'ticket',
      id: 't1',
      channel: null,
      status: 'new',
      priority: 'normal',
      tier: 'junior',
      teamId: null,
      assigneeId: null,
      tags: [],
      customer: { vip: false, language: 'en', attributes: {} },
      message: null,
      counts: { messages: 0, reopens: 0 },
      times: {
        created: new Date(0).toISOString(),
        status_changed: new Date(0).toISOString(),
        last_customer_message: null,
        last_agent_message: null,
        assigned: null,
      },
      calendar: london,
    };
    let executions = 0;
    const matchRules = async ({ event, dueAfter }: Parameters<Activities['matchRules']>[0]): Promise<RuleMatch> => {
      const at = await now();
      const runs = planRules(pendingRules, event, facts, at)
        .filter((plan) => plan.matched)
        .map((plan) => ({ ruleId: plan.ruleId, version: plan.version, executionId: `execution-${++executions}`, actions: plan.actions }));
      return { runs, nextDueAt: nextTimeTriggerDue(pendingRules, facts, new Date(dueAfter))?.toISOString() ?? null };
    };
    const statusChanged = async (status: TicketStatus) => {
      facts.status = status;
      facts.times = { ...facts.times, status_changed: (await now()).toISOString() };
    };
    return { matchRules, statusChanged };
  }

  it('reminds after 16 business hours pending and closes after 24, on timers across a weekend', async () => {
    const matching = realMatching();
    await skipTo(5, '16:00'); // Friday 16:00 in London
    await withTicket(
      prepared(await now(), { sla: null }),
      async ({ handle, fake }) => {
        await matching.statusChanged('pending');
        await setStatus(handle, 'pending');
        // 16 business hours (09:00-18:00) from Friday 16:00: Friday 2, Monday 9, Tuesday 5 → Tuesday 14:00.
        await env.sleep('93 hours'); // to Tuesday 13:00
        expect(fake.named('runTicketRuleAction')).toEqual([]);
        await env.sleep('2 hours'); // to Tuesday 15:00
        const [remind] = fake.named('runTicketRuleAction');
        expect(remind?.input.action).toEqual({ type: 'add_note', text: 'Still waiting on the customer: reminded.' });
        expect(local(new Date(remind!.at).toISOString())).toBe('Tue 14:00');
        // The tick that fired it covered the due instant.
        const tick = fake.named('matchRules').find((call) => call.input.event.on === 'time_elapsed');
        expect(local(tick!.input.event.to)).toBe('Tue 14:00');

        // 24 business hours: Tuesday 4 more, Wednesday 4 → Wednesday 13:00; the ticket closes.
        expect(await handle.result()).toMatchObject({ status: 'closed' });
        const close = fake.named('runTicketRuleAction')[1]!;
        expect(close.input.action).toEqual({ type: 'set_status', status: 'close' });
        expect(local(new Date(close.at).toISOString())).toBe('Wed 13:00');
      },
      matching.matchRules,
    );
  });

  it('does not act when the condition no longer holds at the due time', async () => {
    const matching = realMatching();
    await skipTo(1, '09:00'); // Monday 09:00
    await withTicket(
      prepared(await now(), { sla: null }),
      async ({ handle, fake }) => {
        await matching.statusChanged('pending');
        await setStatus(handle, 'pending');
        await env.sleep('1 day'); // Tuesday 09:00: the customer answered, back to open
        await matching.statusChanged('open');
        await setStatus(handle, 'open');
        await env.sleep('3 days');
        expect(fake.named('runTicketRuleAction')).toEqual([]);
        // It still looked when 16 business hours had passed (Tuesday 16:00) and found the ticket open.
        const ticks = fake.named('matchRules').filter((call) => call.input.event.on === 'time_elapsed');
        expect(ticks.length).toBeGreaterThanOrEqual(1);
        expect((await handle.query(ticketStateQuery)).status).toBe('open');
      },
      matching.matchRules,
    );
  });

  it("lets rules see a person's change: ticket_updated and the derived status_changed", async () => {
    await withTicket(prepared(await now(), { sla: null }), async ({ handle, fake }) => {
      await setStatus(handle, 'open');
      await vi.waitFor(
        () =>
          expect(fake.named('matchRules').map((call) => call.input.event)).toEqual([
            { on: 'ticket_created' },
            { on: 'ticket_updated' },
            { on: 'status_changed', to: 'open', depth: 0 },
          ]),
        { timeout: 10_000 },
      );
    });
  });
});
