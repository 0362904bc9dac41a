// The email delivery workflow on Temporal's time-skipping test server, with in-memory activities:
// how it retries, when it gives up, and what it records — days of back-off in seconds.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEmailRetry, type EmailActivities, type PreparedOutboundEmail } from '../activities/email-activities.js';
import { startTimeSkipping } from '../test/support/time-skipping.js';
import { emailDeliveryWorkflowName, emailFailures, type EmailDeliveryOutcome, type EmailDeliveryWorkflowInput } from './email-delivery.messages.js';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  ({ env, bundle } = await startTimeSkipping());
});

afterAll(async () => {
  await env?.teardown();
});

/** Runs one delivery with `send` as the SMTP try; returns the outcome, the calls (with the server's skipped time) and the tries. */
async function deliver(send: (attempt: number) => Promise<void>, prepared: PreparedOutboundEmail = { kind: 'send', retry: defaultEmailRetry }) {
  const calls: { name: keyof EmailActivities; input: unknown; at: number }[] = [];
  let attempts = 0;
  const activities: EmailActivities = {
    prepareOutboundEmail: async (input) => (calls.push({ name: 'prepareOutboundEmail', input, at: await env.currentTimeMs() }), prepared),
    sendOutboundEmail: async (input) => {
      calls.push({ name: 'sendOutboundEmail', input, at: await env.currentTimeMs() });
      attempts += 1;
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
  const outcome = await worker.runUntil(
    env.client.workflow.execute(emailDeliveryWorkflowName, {
      taskQueue,
      workflowId: `email-delivery-${messageId}`,
      args: [{ messageId } satisfies EmailDeliveryWorkflowInput],
    }) as Promise<EmailDeliveryOutcome>,
  );
  const named = (name: keyof EmailActivities) => calls.filter((call) => call.name === name);
  return { outcome, named, attempts };
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
    // Every half hour once the back-off is at its cap.
    expect(run.attempts).toBeGreaterThan(90);
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
