// The conversation workflow's contract: what callers send it and what they can ask. Every name
// here is stored in workflow histories: add new ones, never rename (use patching to change).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PendingBotAction } from '../activities/bot-action-activities.js';
import type { RuleClock } from '../domain/rules/rule-clock.js';
import type { BotFeedbackOutcome } from '../domain/self-service.js';
import type { SlaPlan } from '../domain/sla-plan.js';
import type { SlaClock, SlaMetric } from '../domain/sla-clock.js';
import type { ConversationStatus, Priority, RoutingTier, SlaState, WaitingOn } from '../domain/vocabulary.js';

export const conversationWorkflowName = 'conversationWorkflow';

export interface ConversationWorkflowInput {
  conversationId: string;
  /** State handed over by continue-as-new; absent on the first run. */
  carried?: ConversationState;
  /**
   * false: the first message must not be answered automatically — no bot answer, no rules on
   * conversation_created / message_received (an auto-reply, a bounce, or a sender past the hourly
   * limit of automatic answers; api/services/email/). Absent: it may be (every start before this).
   */
  autoAnswer?: boolean;
}

// The SLA plan is part of this contract (state and activity results carry it); it lives in
// domain/ so that tickets, activities and the API share it. Re-exported for existing callers.
export type { EscalationStep, SlaPlan } from '../domain/sla-plan.js';

/** Organisation settings the workflow needs; read once per run. */
export interface ConversationSettings {
  /** A customer message within this many hours of resolving reopens the conversation. */
  reopenWindowHours: number;
  /** History events after which the workflow continues as new, carrying its state. */
  maxHistoryEvents: number;
}

/** What the workflow knows; returned by the state query and by updates. */
export interface ConversationState {
  conversationId: string;
  status: ConversationStatus;
  waitingOn: WaitingOn | null;
  priority: Priority;
  tier: RoutingTier;
  assigneeId: string | null;
  teamId: string | null;
  /** Skill the conversation needs (from classification), preferred when choosing an agent. */
  skill: string | null;
  slaState: SlaState;
  sla: SlaPlan | null;
  clocks: SlaClock[];
  /** SLA events already recorded for the clock currently running per metric. */
  reported: Partial<Record<SlaMetric, 'warning' | 'breached'>>;
  snoozedUntil: string | null;
  resolvedAt: string | null;
  reopenCount: number;
  settings: ConversationSettings;
  /** While the bot's answer waits on the customer: when it was given, and how long the bot waits
   * before counting silence as resolved. Absent in states carried by older runs. */
  botAnsweredAt?: string | null;
  botIdleMinutes?: number;
  /** An HTTP action the bot is collecting inputs for (issue 20, item 6): the customer's next message answers its question. */
  botAction?: PendingBotAction;
  /** When the newest message the workflow was told of was stored (signals can arrive late). */
  lastMessageAt?: string;
  /** `seq` of the newest messagePosted signal taken (absent before signals carried one). */
  lastMessageSeq?: number;
  /** `seq` of the newest tagsAdded or csatReceived signal taken (absent before they carried one). */
  lastRuleSignalSeq?: number;
  /** Where the automation rules' time triggers stand (absent before time rules existed). */
  ruleClock?: RuleClock;
  /**
   * The conversation began with a mail nothing may answer automatically (an auto-reply, a bounce:
   * input.autoAnswer false, patch 'quiet-rule-actions'): on every later event too, rule actions that
   * write to the customer (send_reply, send_bot_message, send_email to the customer) are skipped.
   * Cleared when the customer writes a mail that may be answered.
   */
  quiet?: boolean;
}

export interface MessagePostedInput {
  messageId: string;
  authorKind: 'customer' | 'agent';
  /** The agent who wrote it (their reply takes a queued conversation); absent from older signals and for customers. */
  authorUserId?: string | null;
  /** When the message was stored: SLA clocks start and stop at this instant, not on arrival. */
  at: string;
  /**
   * Where the message stands among the conversation's signals: the API's outbox row id, which
   * grows in the order the messages were stored. The relay delivers a conversation's signals in
   * that order, so one at or below the last seen is a repeated delivery. Absent from signals sent
   * before the outbox numbered them.
   */
  seq?: number;
  /** false: nothing answers this message automatically (no rules on message_received); absent: it may be. */
  autoAnswer?: boolean;
}
/** A message changed who the conversation waits on, or was the first agent reply (sent only then). */
export const messagePostedSignal = defineSignal<[MessagePostedInput]>('messagePosted');

export interface AgentsAvailableInput {
  reason: string;
}
/** Capacity may have freed up: a queued conversation should try routing again. */
export const agentsAvailableSignal = defineSignal<[AgentsAvailableInput]>('agentsAvailable');

export interface RequeueInput {
  reason: string;
  /** Only requeue when this agent still holds the conversation (the signal may be late). */
  fromAgentId: string;
}
/** The assignee went away (offline past the grace period): route the conversation again. */
export const requeueSignal = defineSignal<[RequeueInput]>('requeue');

export interface TagsAddedInput {
  tags: string[];
  /** The API's outbox row id (see MessagePostedInput.seq): one at or below the last taken is a repeat. */
  seq?: number;
}
/** A person tagged the conversation (the API stored the tags): rules on tag_added run. */
export const tagsAddedSignal = defineSignal<[TagsAddedInput]>('tagsAdded');

export interface CsatReceivedInput {
  /** The API's outbox row id (see MessagePostedInput.seq); absent from signals sent before it did. */
  seq?: number;
}
/** The customer rated the conversation (CSAT): rules on csat_received run. The input is optional: older signals carry none. */
export const csatReceivedSignal = defineSignal<[CsatReceivedInput?]>('csatReceived');

export interface CallMissedInput {
  callId: string;
}
/** A call in the conversation rang out unanswered (workflows/call.ts): rules on call_missed run. */
export const callMissedSignal = defineSignal<[CallMissedInput]>('callMissed');

/** An admin changed the SLA policy this conversation is measured against: plan again, keeping the time used. */
export const slaPolicyChangedSignal = defineSignal('slaPolicyChanged');

export interface ResolveInput {
  byUserId: string;
}
/** An agent resolves the conversation; refused when it is already resolved or closed. */
export const resolveUpdate = defineUpdate<ConversationState, [ResolveInput]>('resolve');

export interface ReopenInput {
  byUserId: string;
}
/** An agent reopens a resolved conversation (a customer reply reopens it by itself). */
export const reopenUpdate = defineUpdate<ConversationState, [ReopenInput]>('reopen');

export interface SnoozeInput {
  byUserId: string;
  /** ISO instant to wake at; null snoozes until the customer's next message. */
  until: string | null;
}
/** Puts an open conversation aside (its SLA clocks pause) until a time or the customer writes. */
export const snoozeUpdate = defineUpdate<ConversationState, [SnoozeInput]>('snooze');

export interface TransferInput {
  byUserId: string;
  /** Exactly one of the two. */
  toAgentId?: string;
  toTeamId?: string;
}
/** Hands the conversation to an agent (assigned at once) or to a team (routed within it). */
export const transferUpdate = defineUpdate<ConversationState, [TransferInput]>('transfer');

export interface SetPriorityInput {
  byUserId: string;
  priority: Priority;
}
/** Changes the priority; the SLA policy of the new priority applies, time already used is kept. */
export const setPriorityUpdate = defineUpdate<ConversationState, [SetPriorityInput]>('setPriority');

export interface MergeInput {
  byUserId: string;
  intoConversationId: string;
}
/** Moves this conversation's messages into another of the same customer and closes this one. */
export const mergeUpdate = defineUpdate<ConversationState, [MergeInput]>('merge');

export interface ReminderDueInput {
  /** The agent whose reminder came due (workflows/reminder.ts). */
  userId: string;
}
/** An agent's reminder on this conversation came due: it comes back to their inbox (ConversationEntity.reminderDue). */
export const reminderDueUpdate = defineUpdate<ConversationState, [ReminderDueInput]>('reminderDue');

export const stateQuery = defineQuery<ConversationState>('state');

/** Stable `type`s of the ApplicationFailures the updates throw; the API maps them to 409/400. */
export const conversationFailures = {
  invalidInput: 'InvalidInput',
  invalidTransition: 'InvalidTransition',
  mergeRefused: 'MergeRefused',
  transferRefused: 'TransferRefused',
} as const;

export interface BotFeedbackInput {
  outcome: BotFeedbackOutcome;
}
/** The customer's verdict on the bot's answer: helpful resolves it; otherwise a person takes over. */
export const botFeedbackUpdate = defineUpdate<ConversationState, [BotFeedbackInput]>('botFeedback');
