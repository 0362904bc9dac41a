// The email delivery workflow on Temporal's time-skipping test server, with in-memory activities:
// how it retries, when it gives up, and what it records — days of back-off in seconds.
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultEmailRetry, type EmailActivities, type PreparedOutboundEmail } from '../activities/email-activities.js';
import { startTimeSkipping, testServerIgnoresDeadline } from '../test/support/time-skipping.js';
import { testWorkflowBundle } from '../test/support/workflow-bundle.js';
import { emailDeliveryWorkflowName, emailFailures, type EmailDeliveryOutcome, type EmailDeliveryWorkflowInput } from './email-delivery.messages.js';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleOption;

beforeAll(async () => {
  ({ env, bundle } = await startTimeSkipping(testWorkflowBundle()));
});

afterAll(async () => {
  await env?.teardown();
});

/** Deliveries still running, with their worker's end: a test that failed or timed out leaves them behind. */
const running = new Set<{ handle: WorkflowHandle; done: Promise<unknown> }>();

// A run left behind keeps its client's unlock of time skipping (the SDK relocks only when the
// result arrives): the next test's unlock then cancels a lock of the server's (an activity in
// flight, say) and the server skips time past that activity's start-to-close timeout, so it is
// retried. End such runs before the next test.
afterEach(async () => {
  for (const run of running) {
    await run.handle.terminate('the test ended').catch(() => {});
    await run.done.catch(() => {});
  }
  running.clear();
});

/** How many tries `retry` fits into its give-up time at most (each try taking no time). */
function mostTries(retry: typeof defaultEmailRetry): number {
  let tries = 1;
  for (let at = 0, interval = retry.initialIntervalMs; at + interval <= retry.giveUpAfterMs; tries += 1) {
    at += interval;
    interval = Math.min(interval * retry.backoffCoefficient, retry.maximumIntervalMs);
  }
  return tries;
}

/** Marks a try the test server let happen after the send's give-up time (scheduleToClose). */
const pastGiveUp = 'TestServerPastGiveUp';

/**
 * Runs one delivery with `send` as the SMTP try; returns the outcome, the calls (with the server's
 * skipped time) and the tries. Runs it again when the test server ignored the give-up time
 * (testServerIgnoresDeadline): that run says nothing about the workflow.
 */
async function deliver(send: (attempt: number) => Promise<void>, prepared: PreparedOutboundEmail = { kind: 'send', retry: defaultEmailRetry }) {
  for (let run = 1; ; run += 1) {
    const delivery = await deliverOnce(send, prepared);
    if (!delivery.serverIgnoredDeadline || run === 3) return delivery;
  }
}

async function deliverOnce(send: (attempt: number) => Promise<void>, prepared: PreparedOutboundEmail) {
  const calls: { name: keyof EmailActivities; input: unknown; at: number }[] = [];
  let attempts = 0;
  let serverIgnoredDeadline = false;
  const activities: EmailActivities = {
    prepareOutboundEmail: async (input) => (calls.push({ name: 'prepareOutboundEmail', input, at: await env.currentTimeMs() }), prepared),
    sendOutboundEmail: async (input) => {
      calls.push({ name: 'sendOutboundEmail', input, at: await env.currentTimeMs() });
      attempts += 1;
      // More tries than the retry policy fits into its give-up time: the server did not end the
      // retries at the scheduleToClose timeout. End the run here (rather than retrying every half
      // hour of skipped time until the test times out) with an error the assertions show.
      if (prepared.kind === 'send' && attempts > mostTries(prepared.retry)) {
        serverIgnoredDeadline = testServerIgnoresDeadline(Context.current().info.scheduledTimestampMs, prepared.retry.giveUpAfterMs);
        throw ApplicationFailure.nonRetryable(`Tried ${attempts} times, past the give-up time`, pastGiveUp);
      }
      await send(attempts);
    },
    recordOutboundEmailSent: async (input) => void calls.push({ name: 'recordOutboundEmailSent', input, at: await env.currentTimeMs() }),
    recordOutboundEmailFailed: async (input) => {
      calls.push({ name: 'recordOutboundEmailFailed', input, at: await env.currentTimeMs() });
      return { error: input.error ?? `Gave up after ${attempts} attempts: connect ECONNREFUSED` };
    },
  };
  const taskQueue = `wf-test-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
  const messageId = randomUUID();
  const handle = await env.client.workflow.start(emailDeliveryWorkflowName, {
    taskQueue,
    workflowId: `email-delivery-${messageId}`,
    args: [{ messageId } satisfies EmailDeliveryWorkflowInput],
  });
  const done = worker.runUntil(handle.result() as Promise<EmailDeliveryOutcome>);
  const run = { handle, done };
  running.add(run);
  const outcome = await done;
  running.delete(run);
  const named = (name: keyof EmailActivities) => calls.filter((call) => call.name === name);
  return { outcome, named, attempts, serverIgnoredDeadline };
}

const refused = () => new Error('SMTP: connect ECONNREFUSED 127.0.0.1:25');

describe('emailDeliveryWorkflow', () => {
  it('retries a transient failure with back-off and records the mail sent once a try succeeds', async () => {
    const run = await deliver(async (attempt) => {
      if (attempt < 4) throw refused();
    });
    expect(run.outcome).toEqual({ outcome: 'sent' });
    expect(run.attempts).toBe(4);
    // 30 s, 60 s, 120 s between the tries.
    const gaps = run.named('sendOutboundEmail').map((call, index, all) => (index === 0 ? 0 : call.at - all[index - 1]!.at));
    expect(gaps.slice(1).map((gap) => Math.round(gap / 1000))).toEqual([30, 60, 120]);
    expect(run.named('recordOutboundEmailSent')).toHaveLength(1);
    expect(run.named('recordOutboundEmailFailed')).toHaveLength(0);
  });

  it('keeps trying a server that stays down for two days, then records the message not delivered with the last error', async () => {
    const run = await deliver(async () => {
      throw refused();
    });
    expect(run.outcome).toEqual({ outcome: 'failed', error: expect.stringMatching(/^Gave up after \d+ attempts/) });
    const tries = run.named('sendOutboundEmail');
    const trying = tries.at(-1)!.at - tries[0]!.at;
    expect(trying).toBeGreaterThanOrEqual(defaultEmailRetry.giveUpAfterMs - defaultEmailRetry.maximumIntervalMs);
    expect(trying).toBeLessThanOrEqual(defaultEmailRetry.giveUpAfterMs);
    // Every half hour once the back-off is at its cap, and no try after the give-up time.
    expect(run.attempts).toBeGreaterThan(90);
    expect(run.attempts).toBeLessThanOrEqual(mostTries(defaultEmailRetry));
    expect(run.named('recordOutboundEmailFailed').map((call) => call.input)).toEqual([{ messageId: expect.any(String), error: null }]);
    expect(run.named('recordOutboundEmailSent')).toHaveLength(0);
  });

  it('gives up at the first permanent refusal (5xx), recording its reply', async () => {
    const run = await deliver(async () => {
      throw ApplicationFailure.nonRetryable('550 5.1.1 Mailbox unavailable', emailFailures.refused);
    });
    expect(run.outcome).toEqual({ outcome: 'failed', error: '550 5.1.1 Mailbox unavailable' });
    expect(run.attempts).toBe(1);
    expect(run.named('recordOutboundEmailFailed').map((call) => call.input)).toEqual([
      { messageId: expect.any(String), error: '550 5.1.1 Mailbox unavailable' },
    ]);
  });

  it('records an undeliverable message at once without trying, and does nothing for one that is not mail', async () => {
    const undeliverable = await deliver(
      async () => {
        throw new Error('must not be called');
      },
      { kind: 'undeliverable', error: 'The customer has no email address.' },
    );
    expect(undeliverable.outcome).toEqual({ outcome: 'failed', error: 'The customer has no email address.' });
    expect(undeliverable.attempts).toBe(0);
    expect(undeliverable.named('recordOutboundEmailFailed')).toHaveLength(1);

    const nothing = await deliver(
      async () => {
        throw new Error('must not be called');
      },
      { kind: 'nothing_to_send', reason: 'already sent' },
    );
    expect(nothing.outcome).toEqual({ outcome: 'nothing_to_send', reason: 'already sent' });
    expect(nothing.named('recordOutboundEmailFailed')).toHaveLength(0);
  });
});
