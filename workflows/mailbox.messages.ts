// The mailbox workflow's contract (`mailbox-<channelId>`, workflows/mailbox.ts): an email
// channel's IMAP poller. The API starts it (signal-with-start through the workflow outbox) when an
// admin saves IMAP settings with polling on, and signals it on every later change; the workflow
// reads the settings itself on each poll, so the signal only says "look again now".
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const mailboxWorkflowName = 'mailboxWorkflow';

export interface MailboxWorkflowInput {
  channelId: string;
  /** Polls that failed in a row, carried across continue-as-new (the back-off goes on). */
  failures?: number;
}

export interface MailboxChangedInput {
  /** Whether polling is on after the change (informational: the poll reads the stored settings). */
  enabled: boolean;
}
/** The channel's IMAP settings changed: poll now (or end, when polling was switched off). */
export const mailboxChangedSignal = defineSignal<[MailboxChangedInput]>('mailboxChanged');

export interface MailboxWorkflowState {
  channelId: string;
  polls: number;
  failures: number;
  /** What the last poll did: messages handed to the pipeline, whether more were left. */
  lastPoll: { delivered: number; more: boolean } | null;
}
/** For Temporal UI / CLI and tests: what the poller has done in this run. */
export const mailboxStateQuery = defineQuery<MailboxWorkflowState>('state');
