// `email-delivery-<messageId>`: one message of an email conversation on its way to the customer.
// The send is an activity with a retry policy: transient SMTP failures (a refused connection, a
// 4xx reply, a timeout) are retried with back-off until the worker's give-up time; a permanent
// refusal (5xx) or a missing SMTP configuration ends it at once (non-retryable). Either end is
// written to the message's OutboundEmail row with an event the agents receive, so a reply is
// never silently lost.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { EmailActivities } from '../activities/email-activities.js';
import { shortActivity } from './activity-options.js';
import { emailFailures, type EmailDeliveryOutcome, type EmailDeliveryWorkflowInput } from './email-delivery.messages.js';

const bookkeeping = proxyActivities<EmailActivities>(shortActivity);

const giveUpAtOnce: readonly string[] = [emailFailures.refused, emailFailures.notConfigured];

/**
 * Why the send ended: a permanent refusal's own message; null when the retries ran out (the
 * server then fails it with the last transient error, or a timeout) — the activity that records
 * it says how many tries and the last error, which the OutboundEmail row holds.
 */
function failureReason(error: unknown): string | null {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && giveUpAtOnce.includes(error.cause.type ?? ''))
    return error.cause.message;
  return null;
}

/** Sends one message as mail, retried durably; records sent or "not delivered". */
export async function emailDeliveryWorkflow({ messageId }: EmailDeliveryWorkflowInput): Promise<EmailDeliveryOutcome> {
  const prepared = await bookkeeping.prepareOutboundEmail({ messageId });
  if (prepared.kind === 'nothing_to_send') return { outcome: 'nothing_to_send', reason: prepared.reason };
  if (prepared.kind === 'undeliverable') {
    await bookkeeping.recordOutboundEmailFailed({ messageId, error: prepared.error });
    return { outcome: 'failed', error: prepared.error };
  }
  const { retry } = prepared;
  const smtp = proxyActivities<EmailActivities>({
    // One SMTP conversation; nodemailer's own socket timeouts end a stuck one well before this.
    startToCloseTimeout: '3 minutes',
    scheduleToCloseTimeout: retry.giveUpAfterMs,
    retry: {
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      nonRetryableErrorTypes: [...giveUpAtOnce],
    },
  });
  try {
    await smtp.sendOutboundEmail({ messageId });
  } catch (error) {
    const recorded = await bookkeeping.recordOutboundEmailFailed({ messageId, error: failureReason(error) });
    return { outcome: 'failed', error: recorded.error };
  }
  await bookkeeping.recordOutboundEmailSent({ messageId });
  return { outcome: 'sent' };
}
