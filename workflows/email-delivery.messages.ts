// The email delivery workflow's contract (`email-delivery-<messageId>`, domain/workflow-ids.ts):
// one workflow per message that leaves as mail, started through the API's outbox (the
// `send_email` kind) in the transaction that stores the message. Names here are stored in
// workflow histories: add, never rename.

export const emailDeliveryWorkflowName = 'emailDeliveryWorkflow';

export interface EmailDeliveryWorkflowInput {
  messageId: string;
}

/** How the SMTP send is retried (the worker's options, activities/email-activities.ts): back-off, then give up. */
export interface EmailRetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** Transient failures are retried until this long after the first try; then the message is "not delivered". */
  giveUpAfterMs: number;
}

/** What became of the message. */
export type EmailDeliveryOutcome = { outcome: 'sent' } | { outcome: 'failed'; error: string } | { outcome: 'nothing_to_send'; reason: string };

/** Stable `type`s of the send activity's non-retryable failures: retrying would fail the same way. */
export const emailFailures = {
  /** The SMTP server refused the mail for good (a 5xx reply). */
  refused: 'smtp_refused',
  /** No SMTP server is configured (SMTP_URL). */
  notConfigured: 'smtp_not_configured',
} as const;
