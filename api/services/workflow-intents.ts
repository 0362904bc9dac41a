// What the API can promise a workflow through the outbox (workflow-outbox.ts): each kind of row,
// the workflow it is for, and the Temporal call that keeps the promise. The relay delivers rows
// only through `deliverRow`, so every start and signal follows one policy: a start that finds its
// workflow already started (or already ended) has succeeded, and a signal to a workflow that has
// ended is dropped with a log line, since there is nothing left to tell.
//
// Kinds are stored in rows that may wait across a deploy: add kinds, never rename or drop one.
// Whatever a workflow does with a signal, it may get it twice (a holder that died after Temporal
// took a row, before deleting it): the workflows ignore repeats — messagePosted by `seq`,
// customerReplied by its `at`, the SLA re-plan is the same plan again, presence is a state.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { Presence } from '../../domain/vocabulary.js';
import {
  agentWorkflowId,
  callWorkflowId,
  conversationWorkflowId,
  emailDeliveryWorkflowId,
  followUpWorkflowId,
  reminderWorkflowId,
  knowledgeCalibrationWorkflowId,
  mailboxWorkflowId,
  scheduledMessageWorkflowId,
  ticketWorkflowId,
  webhookLaneWorkflowId,
} from '../../domain/workflow-ids.js';
import { callChangedSignal, callWorkflowName, type CallChange, type CallWorkflowInput } from '../../workflows/call.messages.js';
import { agentWorkflowName, presenceChangedSignal, seatsAddedSignal, type AgentWorkflowInput } from '../../workflows/agent.messages.js';
import {
  conversationWorkflowName,
  csatReceivedSignal,
  messagePostedSignal,
  requeueSignal,
  slaPolicyChangedSignal,
  tagsAddedSignal,
  type ConversationWorkflowInput,
  type MessagePostedInput,
} from '../../workflows/conversation.messages.js';
import { emailDeliveryWorkflowName, type EmailDeliveryWorkflowInput } from '../../workflows/email-delivery.messages.js';
import { followUpChangedSignal, followUpWorkflowName, type FollowUpWorkflowInput } from '../../workflows/follow-up.messages.js';
import { reminderChangedSignal, reminderWorkflowName, type ReminderWorkflowInput } from '../../workflows/reminder.messages.js';
import {
  knowledgeCalibrationWorkflowName,
  knowledgeChangedSignal,
  type CalibrationTrigger,
  type KnowledgeCalibrationInput,
} from '../../workflows/knowledge-calibration.messages.js';
import { mailboxChangedSignal, mailboxWorkflowName, type MailboxWorkflowInput } from '../../workflows/mailbox.messages.js';
import { scheduledMessageChangedSignal, scheduledMessageWorkflowName, type ScheduledMessageWorkflowInput } from '../../workflows/scheduled-message.messages.js';
import { customerRepliedSignal, ticketSlaPolicyChangedSignal, ticketWorkflowName, type TicketWorkflowInput } from '../../workflows/ticket.messages.js';
import { webhookLaneWorkflowName, webhookPendingSignal, type WebhookLaneWorkflowInput } from '../../workflows/webhook-lane.messages.js';

/** A start or a signal the API owes a workflow, written to the outbox with the change it is about. */
export type WorkflowIntent =
  /** A call rings (call-service.ts writes it with the Call row): its workflow's start, with the channel's ring time. */
  | { kind: 'start_call'; callId: string; ringTimeoutMs: number }
  /** A call was answered, transferred (it rings again) or ended: its workflow stops or restarts the ring timer. */
  | { kind: 'call_changed'; callId: string; change: CallChange }
  /** `autoAnswer: false`: its first message must not be answered automatically (an auto-reply, a bounce). */
  | { kind: 'start_conversation'; conversationId: string; autoAnswer?: false }
  | { kind: 'start_ticket'; ticketId: string }
  /** The customer wrote in a conversation linked to the ticket: `at` is when the message was stored. */
  | { kind: 'ticket_customer_replied'; ticketId: string; at: string }
  | { kind: 'conversation_tags_added'; conversationId: string; tags: string[] }
  | { kind: 'conversation_csat_received'; conversationId: string }
  | { kind: 'conversation_sla_policy_changed'; conversationId: string }
  | { kind: 'ticket_sla_policy_changed'; ticketId: string }
  | { kind: 'agent_presence_changed'; userId: string; presence: Presence }
  | { kind: 'agent_seats_added'; userId: string; reason: string }
  /** The assignee can no longer hold it (deactivated by an admin): route the conversation again, now. */
  | { kind: 'conversation_requeue'; conversationId: string; fromAgentId: string; reason: string }
  /** An email channel's IMAP settings changed: its poller starts (enabled) or looks again and ends (not). */
  | { kind: 'mailbox_changed'; channelId: string; enabled: boolean }
  /** A message that leaves as mail (message-store.ts writes it with the message): its delivery workflow's start. */
  | { kind: 'send_email'; messageId: string }
  /** Published articles changed, or an admin asked: the organisation's bot recalibrates (debounced for changes). */
  | { kind: 'knowledge_changed'; organizationId: number; trigger: CalibrationTrigger }
  /** An agent scheduled a message (scheduled-message-service.ts writes it with the row): its workflow's start. */
  | { kind: 'start_scheduled_message'; scheduledMessageId: string }
  /** A scheduled message was edited or cancelled: its workflow reads the row again. */
  | { kind: 'scheduled_message_changed'; scheduledMessageId: string }
  /**
   * A follow-up sequence was set (follow-up-service.ts writes it with the row; the rule action
   * `start_follow_up` writes the same row in the worker, activities/rule-activities.ts): its workflow's start.
   */
  | { kind: 'start_follow_up'; followUpId: string }
  /**
   * A follow-up may have ended: an agent cancelled it, or the customer wrote (the message insert's
   * trigger writes this row, migration 20261207143743_follow_ups): its workflow looks again.
   */
  | { kind: 'follow_up_changed'; followUpId: string }
  /** An agent set a reminder (reminder-service.ts writes it with the row): its workflow's start. */
  | { kind: 'start_reminder'; reminderId: string }
  /** A reminder was cancelled: its workflow reads the row again and ends. */
  | { kind: 'reminder_changed'; reminderId: string }
  /**
   * A delivery waits on a lane of an outgoing webhook endpoint: the Event insert trigger writes this
   * row with each delivery (migration 20261207111518_webhook_endpoints), the API with a redelivery,
   * a test event, or an endpoint turned on again.
   */
  | { kind: 'webhook_lane'; endpointId: string; lane: string };

/** Every kind a row can have: the intents, and the message signal the message statement writes itself (message-store.ts). */
export type OutboxKind = WorkflowIntent['kind'] | 'message_posted';

type Payloads = { [Intent in WorkflowIntent as Intent['kind']]: Omit<Intent, 'kind'> } & { message_posted: Omit<MessagePostedInput, 'seq'> };

/** The workflow a row is for: the rows of one workflow id are delivered one at a time, in order. */
export function workflowIdOf(intent: WorkflowIntent): string {
  if ('callId' in intent) return callWorkflowId(intent.callId);
  if ('scheduledMessageId' in intent) return scheduledMessageWorkflowId(intent.scheduledMessageId);
  if ('followUpId' in intent) return followUpWorkflowId(intent.followUpId);
  if ('reminderId' in intent) return reminderWorkflowId(intent.reminderId);
  if ('conversationId' in intent) return conversationWorkflowId(intent.conversationId);
  if ('ticketId' in intent) return ticketWorkflowId(intent.ticketId);
  if ('channelId' in intent) return mailboxWorkflowId(intent.channelId);
  if ('messageId' in intent) return emailDeliveryWorkflowId(intent.messageId);
  if ('organizationId' in intent) return knowledgeCalibrationWorkflowId(intent.organizationId);
  if ('endpointId' in intent) return webhookLaneWorkflowId(intent.endpointId, intent.lane);
  return agentWorkflowId(intent.userId);
}

/** The row's payload: the intent without its kind. */
export function payloadOf(intent: WorkflowIntent): Record<string, unknown> {
  const { kind: _kind, ...payload } = intent;
  return payload;
}

/** One call to Temporal. */
type Operation =
  | { op: 'start'; workflowType: string; args: unknown[] }
  | { op: 'signal'; signal: SignalDefinition<unknown[]>; args: unknown[] }
  | { op: 'signalWithStart'; workflowType: string; args: unknown[]; signal: SignalDefinition<unknown[]>; signalArgs: unknown[] };

const startOp = <Input>(workflowType: string, input: Input): Operation => ({ op: 'start', workflowType, args: [input] });
const signalOp = <Args extends unknown[]>(signal: SignalDefinition<Args>, args: Args): Operation => ({
  op: 'signal',
  signal: signal as SignalDefinition<unknown[]>,
  args,
});
/** Agents' workflows run for as long as the agent exists; the first signal starts one. */
const agentSignalOp = <Args extends unknown[]>(userId: string, signal: SignalDefinition<Args>, args: Args): Operation => ({
  op: 'signalWithStart',
  workflowType: agentWorkflowName,
  args: [{ userId } satisfies AgentWorkflowInput],
  signal: signal as SignalDefinition<unknown[]>,
  signalArgs: args,
});

/** Each kind's call, from its payload and its row id (`seq`: the order among the workflow's rows). */
const operations: { [Kind in OutboxKind]: (payload: Payloads[Kind], seq: number) => Operation } = {
  start_call: ({ callId, ringTimeoutMs }) => startOp<CallWorkflowInput>(callWorkflowName, { callId, ringTimeoutMs }),
  // A call whose workflow has ended (missed) has nothing left to time: the signal is dropped.
  call_changed: ({ change }) => signalOp(callChangedSignal, [{ change }]),
  start_conversation: ({ conversationId, autoAnswer }) =>
    startOp<ConversationWorkflowInput>(conversationWorkflowName, autoAnswer === false ? { conversationId, autoAnswer } : { conversationId }),
  // `seq` orders the conversation's message signals: the workflow ignores one it has already had.
  message_posted: (payload, seq) => signalOp(messagePostedSignal, [{ ...payload, seq }]),
  start_ticket: ({ ticketId }) => startOp<TicketWorkflowInput>(ticketWorkflowName, { ticketId }),
  ticket_customer_replied: ({ at }) => signalOp(customerRepliedSignal, [{ at }]),
  // The same `seq`: the workflow runs the rules on a tag or a rating once, however often it is delivered.
  conversation_tags_added: ({ tags }, seq) => signalOp(tagsAddedSignal, [{ tags, seq }]),
  conversation_csat_received: (_payload, seq) => signalOp(csatReceivedSignal, [{ seq }]),
  conversation_sla_policy_changed: () => signalOp(slaPolicyChangedSignal, []),
  // The workflow ignores it unless `fromAgentId` still holds the conversation (a late or repeated row).
  conversation_requeue: ({ fromAgentId, reason }) => signalOp(requeueSignal, [{ fromAgentId, reason }]),
  ticket_sla_policy_changed: () => signalOp(ticketSlaPolicyChangedSignal, []),
  agent_presence_changed: ({ userId, presence }) => agentSignalOp(userId, presenceChangedSignal, [{ presence }]),
  agent_seats_added: ({ userId, reason }) => agentSignalOp(userId, seatsAddedSignal, [{ reason }]),
  // Started once per message (REJECT_DUPLICATE): a repeated row never sends the mail twice.
  send_email: ({ messageId }) => startOp<EmailDeliveryWorkflowInput>(emailDeliveryWorkflowName, { messageId }),
  // Polling on: signal-with-start (a poller that ended when it was last switched off starts again).
  // Off: only a signal, so it looks now and ends; dropped when none runs.
  mailbox_changed: ({ channelId, enabled }) =>
    enabled
      ? {
          op: 'signalWithStart',
          workflowType: mailboxWorkflowName,
          args: [{ channelId } satisfies MailboxWorkflowInput],
          signal: mailboxChangedSignal as SignalDefinition<unknown[]>,
          signalArgs: [{ enabled }],
        }
      : signalOp(mailboxChangedSignal, [{ enabled }]),
  // Started once per scheduled message (REJECT_DUPLICATE); a change is a signal, dropped once it has ended (sent, cancelled).
  start_scheduled_message: ({ scheduledMessageId }) => startOp<ScheduledMessageWorkflowInput>(scheduledMessageWorkflowName, { scheduledMessageId }),
  scheduled_message_changed: () => signalOp(scheduledMessageChangedSignal, []),
  // Started once per follow-up; a change is a signal, dropped once it has ended.
  start_follow_up: ({ followUpId }) => startOp<FollowUpWorkflowInput>(followUpWorkflowName, { followUpId }),
  follow_up_changed: () => signalOp(followUpChangedSignal, []),
  // Started once per reminder; a cancel is a signal, dropped once it has ended.
  start_reminder: ({ reminderId }) => startOp<ReminderWorkflowInput>(reminderWorkflowName, { reminderId }),
  reminder_changed: () => signalOp(reminderChangedSignal, []),
  // A lane's workflow ends once the lane is empty: signal-with-start wakes it, or starts it again.
  webhook_lane: ({ endpointId, lane }) => ({
    op: 'signalWithStart',
    workflowType: webhookLaneWorkflowName,
    args: [{ endpointId, lane } satisfies WebhookLaneWorkflowInput],
    signal: webhookPendingSignal as SignalDefinition<unknown[]>,
    signalArgs: [],
  }),
  // The organisation's calibration workflow runs for as long as it exists; the first change starts it.
  knowledge_changed: ({ organizationId, trigger }) => ({
    op: 'signalWithStart',
    workflowType: knowledgeCalibrationWorkflowName,
    args: [{ organizationId } satisfies KnowledgeCalibrationInput],
    signal: knowledgeChangedSignal as SignalDefinition<unknown[]>,
    signalArgs: [{ trigger }],
  }),
};

const isKind = (kind: string): kind is OutboxKind => Object.hasOwn(operations, kind);

/** An outbox row as the relay hands it over. */
export interface DeliverableRow {
  id: bigint;
  kind: string;
  workflowId: string;
  payload: unknown;
}

/** Whether the workflow has completed (or does not exist at all); false while it runs. */
async function hasEnded(handle: WorkflowHandle): Promise<boolean> {
  try {
    return (await handle.describe()).status.name !== 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError && !/namespace/i.test(error.message)) return true;
    throw error;
  }
}

/** Hands one row to Temporal; throws when Temporal did not take it (the row stays and is retried). */
export async function deliverRow(temporal: Client, taskQueue: string, row: DeliverableRow, log: (message: string) => void): Promise<void> {
  // A row of a kind this process does not know (written by a newer version) waits for one that does.
  if (!isKind(row.kind)) throw new Error(`unknown outbox kind '${row.kind}'`);
  const operation = (operations[row.kind] as (payload: unknown, seq: number) => Operation)(row.payload ?? {}, Number(row.id));
  const { workflowId } = row;
  switch (operation.op) {
    case 'start':
      try {
        // Started once: a repeated delivery must not start again a workflow that has completed
        // (a closed conversation or ticket); it is refused like one that runs.
        await temporal.workflow.start(operation.workflowType, { taskQueue, workflowId, args: operation.args, workflowIdReusePolicy: 'REJECT_DUPLICATE' });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      return;
    case 'signalWithStart':
      await temporal.workflow.signalWithStart(operation.workflowType, {
        taskQueue,
        workflowId,
        args: operation.args,
        signal: operation.signal,
        signalArgs: operation.signalArgs,
      });
      return;
    case 'signal': {
      const handle = temporal.workflow.getHandle(workflowId);
      try {
        await handle.signal(operation.signal, ...operation.args);
      } catch (error) {
        // A workflow that has ended (closed conversation or ticket) has nothing left to learn. But
        // NOT_FOUND is not proof of that (a server may answer it for a namespace it has not loaded
        // yet): the row is dropped only once the workflow is seen ended, or never started.
        if (!(error instanceof WorkflowNotFoundError) || !(await hasEnded(handle))) throw error;
        log(`${workflowId} has ended: ${row.kind} (outbox row ${row.id}) is not signalled`);
      }
      return;
    }
  }
}
