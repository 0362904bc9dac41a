// Timeouts and retry presets for activity calls, in one place.
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { actionCallAttempts } from '../domain/bot-actions.js';

/** Database reads and writes: quick, retried until they succeed (they are idempotent). */
export const shortActivity: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};

/**
 * The same database work run as local activities: executed by the worker inside the workflow
 * task, recorded as a marker, without a round trip through the server's task queues per call.
 * Routing a new conversation takes several of them in a row; this is what keeps it fast.
 */
export const localDbActivity: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};

/** Calls into the AI layer: a model may take seconds; a few tries, then the workflow goes on
 * without the bot (a person answers). */
export const aiActivity: ActivityOptions = {
  // Above one call's worst case: the client's own 3 tries of AI_TIMEOUT_MS (20 s) with back-off.
  startToCloseTimeout: '90 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
};

/**
 * The bot's answer when the AI layer runs in-process (the local fallback: lexical retrieval over
 * the cached knowledge index, no remote model): a local activity, no round trip through the task
 * queue. A few tries, like aiActivity, then a person answers.
 */
export const localAiActivity: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
};

/**
 * The bot's HTTP action (activities/bot-action-activities.ts): one call of at most 30 s (the
 * action's own timeout) and its records; a timeout or a 5xx is tried again, actionCallAttempts in
 * all, then the customer gets an apology and a person. Asking for an input is the same activity
 * kind's quick work.
 */
export const botActionActivity: ActivityOptions = {
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: actionCallAttempts },
};

/** An automation rule's action or its record: a few tries, then it is recorded as failed and the subject goes on. */
export const ruleActionActivity: ActivityOptions = { ...shortActivity, retry: { ...shortActivity.retry, maximumAttempts: 5 } };

/**
 * One poll of an email channel's IMAP mailbox (activities/mailbox-activities.ts): a login and up
 * to 50 messages through the inbound pipeline, with a heartbeat after each, so a worker that dies
 * mid-poll is noticed within the heartbeat timeout and the poll resumes on another from its
 * checkpoint. A server that is away is retried a few times with back-off; then the workflow
 * waits (its own back-off, cut short by a settings change).
 */
export const mailboxPollActivity: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 4 },
};

/**
 * One recalibration of the bot on the knowledge base (activities/calibration-activities.ts): the
 * published articles indexed a few times over, seconds for hundreds of articles. Retried with
 * back-off until it succeeds; a failing one holds back only the next calibration.
 */
export const calibrationActivity: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};
