// The ticket workflow's contract: what callers send it and what they can ask. Every name here is
// stored in workflow histories: add new ones, never rename (use patching to change).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RuleClock } from '../domain/rules/rule-clock.js';
import type { SlaClock } from '../domain/sla-clock.js';
import type { SlaPlan } from '../domain/sla-plan.js';
import type { Priority, RoutingTier, SlaState, TicketStatus } from '../domain/vocabulary.js';

export const ticketWorkflowName = 'ticketWorkflow';

export interface TicketWorkflowInput {
  ticketId: string;
  /** State handed over by continue-as-new; absent on the first run. */
  carried?: TicketState;
}

/** Organisation settings the workflow needs; read once per run. */
export interface TicketSettings {
  /** A ticket pending this long gets one `ticket.pending_reminder` (default 48). */
  pendingReminderHours: number;
  /** A solved ticket not reopened within this many days is closed (default 4). */
  autoCloseDaysAfterSolved: number;
}

/** What the workflow knows; returned by the state query and by updates. */
export interface TicketState {
  ticketId: string;
  status: TicketStatus;
  priority: Priority;
  tier: RoutingTier;
  assigneeId: string | null;
  teamId: string | null;
  slaState: SlaState;
  sla: SlaPlan | null;
  /** Business time towards the resolution target: runs in new/open, paused otherwise; null without a plan. */
  resolution: SlaClock | null;
  /** The furthest SLA event already recorded for the resolution clock (kept across reopen, like its time). */
  reported: 'warning' | 'breached' | null;
  /** When the current pending period began; null unless pending. */
  pendingSince: string | null;
  /** Whether this pending period's reminder was recorded. */
  pendingReminded: boolean;
  solvedAt: string | null;
  settings: TicketSettings;
  /** Where the automation rules' time triggers stand (absent before time rules existed). */
  ruleClock?: RuleClock;
}

export interface SetTicketStatusInput {
  byUserId: string;
  /** Any status but `closed`, reachable from the current one (domain/ticket-flow.ts). */
  status: TicketStatus;
}
/** An agent moves the ticket (open, pending, on hold, solved, or reopen a solved one). */
export const setTicketStatusUpdate = defineUpdate<TicketState, [SetTicketStatusInput]>('setTicketStatus');

export interface AssignTicketInput {
  byUserId: string;
  /** The agent to hold the ticket; null unassigns it. */
  assigneeId: string | null;
}
/** Gives the ticket to an agent (its team follows the agent's) or takes it back. */
export const assignTicketUpdate = defineUpdate<TicketState, [AssignTicketInput]>('assignTicket');

export interface SetTicketPriorityInput {
  byUserId: string;
  priority: Priority;
}
/** Changes the priority; the SLA policy of the new priority applies, time already used is kept. */
export const setTicketPriorityUpdate = defineUpdate<TicketState, [SetTicketPriorityInput]>('setTicketPriority');

export interface CustomerRepliedInput {
  /** When the customer's message was stored. */
  at: string;
}
/** The customer wrote in a linked conversation: a pending or solved ticket goes back to open. */
export const customerRepliedSignal = defineSignal<[CustomerRepliedInput]>('customerReplied');

/** An admin changed the SLA policy this ticket is measured against: plan again, keeping the time used. */
export const ticketSlaPolicyChangedSignal = defineSignal('slaPolicyChanged');

export const ticketStateQuery = defineQuery<TicketState>('ticketState');

/** Stable `type`s of the ApplicationFailures the updates throw; the API maps them to 409/400. */
export const ticketFailures = {
  invalidInput: 'InvalidInput',
  invalidTransition: 'InvalidTransition',
  assignRefused: 'AssignRefused',
} as const;
