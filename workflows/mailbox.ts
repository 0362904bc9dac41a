// `mailbox-<channelId>`: an email channel's IMAP poller, durable. It polls (an activity that reads
// everything after the stored checkpoint into the inbound pipeline), sleeps the poll interval on a
// Temporal timer, and again — until a poll finds polling switched off. A settings change (signal)
// cuts the sleep short. Failures back off: the activity's own retries first, then a wait here that
// doubles (up to 30 minutes) while polls keep failing, recorded as the channel's health by the
// activity. The history is kept short by continuing as new.
// IDLE (patch 'mailbox-idle'): each poll, once it has read to the end, holds an IMAP IDLE for up to
// `idleSeconds` and returns when new mail arrives; the next poll then starts at once, so mail is
// read within seconds. A server without IDLE answers a plain poll, and the interval applies.
import { ActivityFailure, condition, continueAsNew, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { MailboxActivities } from '../activities/mailbox-activities.js';
import { mailboxPollActivity } from './activity-options.js';
import { mailboxChangedSignal, mailboxStateQuery, type MailboxWorkflowInput, type MailboxWorkflowState } from './mailbox.messages.js';

const activities = proxyActivities<MailboxActivities>(mailboxPollActivity);

/** Polls per run before continuing as new: each is a handful of events, so a run stays well under Temporal's limits. */
const pollsPerRun = 200;
/** Until the first poll says otherwise (it reads the channel's setting). */
const defaultIntervalMs = 60_000;
const maxBackoffMs = 30 * 60_000;
/** How long one poll holds an IDLE: within the activity's 10 minutes, well under the 29 minutes RFC 2177 allows. */
export const idleSeconds = 5 * 60;

/** The wait after `failures` failed polls in a row: the interval, doubled per failure, at most 30 minutes. */
export const backoffMs = (intervalMs: number, failures: number): number => Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(failures - 1, 16));

/** Polls the channel's mailbox while its IMAP polling is on; returns once it is off. */
export async function mailboxWorkflow({ channelId, failures: carriedFailures = 0 }: MailboxWorkflowInput): Promise<void> {
  const state: MailboxWorkflowState = { channelId, polls: 0, failures: carriedFailures, lastPoll: null };
  let changes = 0;
  setHandler(mailboxChangedSignal, () => void (changes += 1));
  setHandler(mailboxStateQuery, () => state);
  let intervalMs = defaultIntervalMs;
  const idles = patched('mailbox-idle');

  while (state.polls < pollsPerRun) {
    const seen = changes;
    state.polls += 1;
    let wait: number;
    try {
      const result = await activities.pollMailbox(idles ? { channelId, idleSeconds } : { channelId });
      if (result.kind === 'disabled') {
        // Switched on again while this poll looked: poll once more instead of ending.
        if (changes === seen) return;
        continue;
      }
      state.failures = 0;
      state.lastPoll = { delivered: result.delivered, more: result.more };
      intervalMs = result.intervalMs;
      // A backlog is read in bounded polls, one right after the other; after an IDLE, at once too.
      wait = result.more || result.idle ? 0 : intervalMs;
    } catch (error) {
      // The activity recorded the failure as the channel's health; retrying did not help (or cannot).
      if (!(error instanceof ActivityFailure)) throw error;
      state.failures += 1;
      wait = backoffMs(intervalMs, state.failures);
    }
    if (wait > 0) await condition(() => changes !== seen, wait);
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await continueAsNew<typeof mailboxWorkflow>({ channelId, failures: state.failures });
}
