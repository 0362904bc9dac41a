// The mailbox workflow on Temporal's time-skipping test server, with a scripted poll activity:
// when it polls (the interval on a timer, at once while a backlog is left or after a settings
// change), how it backs off while polls fail, that it ends once polling is off, and that it
// continues as new with its failure count. Minutes pass in milliseconds.
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxActivities, PollMailboxInput, PollMailboxResult } from '../activities/mailbox-activities.js';
import { startTimeSkipping } from '../test/support/time-skipping.js';
import { testWorkflowBundle } from '../test/support/workflow-bundle.js';
import { backoffMs, idleSeconds } from './mailbox.js';
import { mailboxChangedSignal, mailboxStateQuery, mailboxWorkflowName, type MailboxWorkflowInput } from './mailbox.messages.js';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleOption;

beforeAll(async () => {
  ({ env, bundle } = await startTimeSkipping(testWorkflowBundle()));
});
afterAll(() => env?.teardown());

const polled = (changes: Partial<Extract<PollMailboxResult, { kind: 'polled' }>> = {}): PollMailboxResult => ({
  kind: 'polled',
  delivered: 1,
  duplicates: 0,
  refused: 0,
  oversize: 0,
  more: false,
  intervalMs: 60_000,
  ...changes,
});
const authFailed = () => ApplicationFailure.nonRetryable('Authentication failed', 'imap_lasting_error', { code: 'auth_failed' });

/** A poll activity answering from a script (a function: answer n, 0-based), recording the server time and run of each call. */
function scripted(answer: (n: number) => PollMailboxResult | Error | Promise<PollMailboxResult | Error>) {
  const calls: { at: number; runId: string; input: PollMailboxInput }[] = [];
  const listeners: (() => void)[] = [];
  const activities: MailboxActivities = {
    async pollMailbox(input) {
      const n = calls.length;
      calls.push({ at: await env.currentTimeMs(), runId: Context.current().info.workflowExecution!.runId, input });
      for (const listener of listeners.splice(0)) listener();
      const result = await answer(n);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  /** Resolves once the activity has been called `count` times in all. */
  const called = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (calls.length >= count ? resolve() : listeners.push(check));
      check();
    });
  return { activities, calls, called };
}

async function run<T>(activities: MailboxActivities, work: (start: () => ReturnType<typeof env.client.workflow.start>) => Promise<T>): Promise<T> {
  const taskQueue = `mailbox-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
  return worker.runUntil(() =>
    work(() =>
      env.client.workflow.start(mailboxWorkflowName, {
        taskQueue,
        workflowId: `mailbox-${randomUUID()}`,
        args: [{ channelId: randomUUID() } satisfies MailboxWorkflowInput],
      }),
    ),
  );
}

const gaps = (calls: { at: number }[]) => calls.slice(1).map((call, i) => call.at - calls[i]!.at);

describe('mailboxWorkflow', () => {
  it('sleeps the interval between polls, polls again at once while a backlog is left, and ends once polling is off', async () => {
    const script = [polled({ more: true }), polled(), polled({ intervalMs: 120_000 }), polled(), { kind: 'disabled' } as const];
    const fake = scripted((n) => script[n]!);
    await run(fake.activities, async (start) => {
      const handle = await start();
      await expect(handle.result()).resolves.toBeUndefined();
    });
    expect(fake.calls).toHaveLength(5);
    const [backlog, first, second, third] = gaps(fake.calls);
    expect(backlog).toBeLessThan(1_000);
    expect(first).toBeGreaterThanOrEqual(60_000);
    expect(first).toBeLessThan(61_000);
    // The interval each poll read (an admin changed it) applies to the sleep after it.
    expect(second).toBeGreaterThanOrEqual(120_000);
    expect(second).toBeLessThan(121_000);
    expect(third).toBeGreaterThanOrEqual(60_000);
    expect(third).toBeLessThan(61_000);
  });

  it('asks each poll to idle, and polls again at once after a poll that idled (new mail announced, or the IDLE time up); a server without IDLE gets the interval', async () => {
    const script = [polled({ idle: 'new-mail' }), polled({ idle: 'ended' }), polled(), polled(), { kind: 'disabled' } as const];
    const fake = scripted((n) => script[n]!);
    await run(fake.activities, async (start) => {
      const handle = await start();
      await expect(handle.result()).resolves.toBeUndefined();
    });
    expect(fake.calls.map((call) => call.input.idleSeconds)).toEqual(Array(5).fill(idleSeconds));
    const [afterNewMail, afterIdleTime, afterPlainPoll] = gaps(fake.calls);
    expect(afterNewMail).toBeLessThan(1_000);
    expect(afterIdleTime).toBeLessThan(1_000);
    expect(afterPlainPoll).toBeGreaterThanOrEqual(60_000);
  });

  it('backs off while polls fail: the interval doubled per failure, at most 30 minutes', async () => {
    expect([1, 2, 3, 6, 20].map((failures) => backoffMs(60_000, failures))).toEqual([60_000, 120_000, 240_000, 1_800_000, 1_800_000]);
    const fake = scripted((n) => (n < 3 ? authFailed() : n === 3 ? polled() : { kind: 'disabled' }));
    await run(fake.activities, async (start) => {
      const handle = await start();
      await expect(handle.result()).resolves.toBeUndefined();
    });
    const [afterFirst, afterSecond, afterThird, afterSuccess] = gaps(fake.calls);
    expect(afterFirst).toBeGreaterThanOrEqual(60_000);
    expect(afterFirst).toBeLessThan(61_000);
    expect(afterSecond).toBeGreaterThanOrEqual(120_000);
    expect(afterSecond).toBeLessThan(121_000);
    expect(afterThird).toBeGreaterThanOrEqual(240_000);
    expect(afterThird).toBeLessThan(241_000);
    // A poll that works resets the back-off.
    expect(afterSuccess).toBeLessThan(61_000);
  });

  it('polls at once when the settings change, cutting its sleep short', async () => {
    const fake = scripted((n) => (n < 2 ? polled({ intervalMs: 3_600_000 }) : { kind: 'disabled' }));
    await run(fake.activities, async (start) => {
      const handle = await start();
      await fake.called(1);
      // Ten minutes into its hour of sleep nothing has happened; then an admin saves the settings.
      await env.sleep(600_000);
      expect(fake.calls).toHaveLength(1);
      await handle.signal(mailboxChangedSignal, { enabled: true });
      await fake.called(2);
      await expect(handle.result()).resolves.toBeUndefined();
    });
    const [afterSignal] = gaps(fake.calls);
    expect(afterSignal).toBeGreaterThanOrEqual(600_000);
    expect(afterSignal).toBeLessThan(3_600_000);
  });

  it('continues as new after a run of polls, carrying the failures', async () => {
    // 200 polls in a backlog (no sleep), the 200th failing; the next run starts with that failure counted.
    let state: unknown;
    const fake = scripted(async (n) => {
      if (n < 199) return polled({ more: true });
      if (n === 199) return authFailed();
      // The new run, asked while its first poll runs.
      state = await env.client.workflow.getHandle(Context.current().info.workflowExecution!.workflowId).query(mailboxStateQuery);
      return { kind: 'disabled' };
    });
    await run(fake.activities, async (start) => {
      const handle = await start();
      await expect(handle.result()).resolves.toBeUndefined();
    });
    expect(fake.calls).toHaveLength(201);
    expect(new Set(fake.calls.slice(0, 200).map((call) => call.runId)).size).toBe(1);
    expect(fake.calls[200]!.runId).not.toBe(fake.calls[0]!.runId);
    expect(state).toMatchObject({ polls: 1, failures: 1 });
  });
});
