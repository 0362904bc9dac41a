// The ticket workflow: one per ticket (`ticket-<id>`). It owns the lifecycle (new → open →
// pending / on hold → solved → closed, reopen), the resolution SLA clock with its warning and
// breach timers and escalation ladder, the pending reminder and the auto-close after solved.
// Every change it makes is written by an activity (database + event log); the workflow keeps
// the state that drives its timers.
import { ApplicationFailure, continueAsNew, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notification-activities.js';
import type { RuleActivities, TicketRuleActionResult } from '../activities/rule-activities.js';
import type { TicketActivities, TicketChange } from '../activities/ticket-activities.js';
import { canTransition, reopenedByCustomerReply } from '../domain/ticket-flow.js';
import { priorities, ticketStatuses, type TicketStatus } from '../domain/vocabulary.js';
import { ruleActionActivity, shortActivity } from './activity-options.js';
import { ruleEventsApply, ruleRunner } from './automation-rules.js';
import { publishChanges } from './publish-changes.js';
import { ticketSearchAttributes } from './search-attributes.js';
import { subjectRuntime } from './subject-runtime.js';
import { applyTicketPlan, dueTicketSlaEvents, nextTicketSlaInstant, resolutionDueAt, syncResolutionClock, ticketSlaStateAt } from './ticket-sla.js';
import {
  assignTicketUpdate,
  customerRepliedSignal,
  setTicketPriorityUpdate,
  setTicketStatusUpdate,
  ticketFailures,
  ticketSlaPolicyChangedSignal,
  ticketStateQuery,
  type TicketState,
  type TicketWorkflowInput,
} from './ticket.messages.js';

const activities = proxyActivities<TicketActivities>(shortActivity);
const notifications = proxyActivities<NotificationActivities>(shortActivity);
/** An automation rule's action: its own activity; one that keeps failing is recorded as failed. */
const ruleActions = proxyActivities<Pick<RuleActivities, 'runTicketRuleAction'>>(ruleActionActivity);

/** Histories stay small: a long-lived ticket starts a fresh run carrying its state. */
const maxHistoryEvents = 4000;
const hourMs = 3_600_000;

const refuse = (message: string, type: string = ticketFailures.invalidTransition) => ApplicationFailure.nonRetryable(message, type);

function requireUser(byUserId: unknown): void {
  if (typeof byUserId !== 'string' || byUserId.length === 0) throw refuse('byUserId is required', ticketFailures.invalidInput);
}

function requireTransition(state: TicketState, to: unknown): asserts to is TicketStatus {
  if (!ticketStatuses.includes(to as TicketStatus)) throw refuse(`Unknown status ${String(to)}`, ticketFailures.invalidInput);
  if (!canTransition(state.status, to as TicketStatus)) throw refuse(`Cannot move a ${state.status} ticket to ${String(to)}.`);
}

/** The check that needs no state: a status an agent may ask for at all. */
function requireSettable(to: unknown): void {
  if (!ticketStatuses.includes(to as TicketStatus)) throw refuse(`Unknown status ${String(to)}`, ticketFailures.invalidInput);
  if (to === 'closed') throw refuse('Only the workflow closes a ticket (after it has been solved).');
}

function requireNotClosed(state: TicketState, action: string): void {
  if (state.status === 'closed') throw refuse(`Cannot ${action} a closed ticket.`);
}

/** One durable workflow per ticket, id `ticket-<id>`. */
export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketState> {
  const { ticketId } = input;
  // Handlers are registered before the first activity: an update sent right after the start
  // would otherwise be rejected for want of a handler. Until the state is loaded their
  // validators check only the input, and the handlers wait (exclusive) for it.
  const state = (input.carried ?? {}) as TicketState;
  let ready = input.carried !== undefined;
  /** Actions that write run one at a time: a reopen never interleaves with an auto-close. */
  const runtime = subjectRuntime(() => ready);
  const { exclusive } = runtime;

  const now = () => new Date();

  const write = (change: TicketChange, type: string, actorId: string | null, details: Record<string, unknown> = {}) =>
    activities.applyTicketChange({ ticketId, change, event: { type, actorId, details } });

  const publishIfChanged = publishChanges((sla: { slaState: TicketState['slaState']; resolutionDueAt: string | null }) => activities.saveTicketSla({ ticketId, ...sla }));
  /** Writes the SLA state and due date, and the search attributes, when they changed. */
  const publish = () => {
    state.slaState = ticketSlaStateAt(state, now());
    return publishIfChanged(ticketSearchAttributes(state), { slaState: state.slaState, resolutionDueAt: resolutionDueAt(state) });
  };

  /** Writes a status change; the clock, the solved time and the pending period follow it. */
  const moveTo = async (status: TicketStatus, byUserId: string | null, details: Record<string, unknown> = {}) => {
    const from = state.status;
    const at = now();
    const change: TicketChange = { status };
    if (status === 'solved') change.solvedAt = at.toISOString();
    else if (from === 'solved') change.solvedAt = null;
    await write(change, 'ticket.status_changed', byUserId, { from, to: status, ...details });
    state.status = status;
    if (change.solvedAt !== undefined) state.solvedAt = change.solvedAt;
    state.pendingSince = status === 'pending' ? at.toISOString() : null;
    state.pendingReminded = false;
    syncResolutionClock(state, at);
  };

  /** Mirrors what a rule's action changed: a status move brings its clock and pending period along. */
  const mirrorRuleAction = async ({ state: changed, slaPlan }: TicketRuleActionResult) => {
    const { status, ...fields } = changed;
    Object.assign(state, fields);
    if (changed.priority) applyTicketPlan(state, await activities.resolveTicketSlaPlan({ ticketId, priority: changed.priority }), now());
    if (slaPlan) applyTicketPlan(state, slaPlan, now());
    if (status && status !== state.status) {
      state.status = status;
      state.pendingSince = status === 'pending' ? now().toISOString() : null;
      state.pendingReminded = false;
      syncResolutionClock(state, now());
    }
  };

  const rules = ruleRunner({
    subject: { ticketId },
    watched: () => ({ status: state.status, assigneeId: state.assigneeId, priority: state.priority }),
    clock: () => (state.ruleClock ??= { checkedUntil: now().toISOString(), nextDueAt: null }),
    runAction: (input) => ruleActions.runTicketRuleAction({ ticketId, ...input }),
    mirror: mirrorRuleAction,
  });
  /** A person changed the ticket: rules on "ticket updated" run from the main loop. */
  const updatedByPerson = () => {
    if (ruleEventsApply()) rules.push({ on: 'ticket_updated' });
  };

  setHandler(customerRepliedSignal, ({ at }) => {
    if (ready && !reopenedByCustomerReply.includes(state.status)) return;
    void exclusive(async () => {
      // The status may have changed while an earlier action held the lock.
      if (reopenedByCustomerReply.includes(state.status)) await moveTo('open', null, { reason: 'customer replied', customerRepliedAt: at });
    });
  });

  setHandler(ticketSlaPolicyChangedSignal, () => {
    void exclusive(async () => {
      if (state.status !== 'closed') applyTicketPlan(state, await activities.resolveTicketSlaPlan({ ticketId, priority: state.priority }), now());
    });
  });

  setHandler(
    setTicketStatusUpdate,
    ({ byUserId, status }) =>
      exclusive(async () => {
        requireTransition(state, status);
        await moveTo(status, byUserId);
        updatedByPerson();
        return state;
      }),
    { validator: ({ byUserId, status }) => (requireUser(byUserId), ready ? requireTransition(state, status) : requireSettable(status)) },
  );

  setHandler(
    assignTicketUpdate,
    ({ byUserId, assigneeId }) =>
      exclusive(async () => {
        requireNotClosed(state, 'assign');
        const result = await activities.assignTicket({ ticketId, agentId: assigneeId, actorId: byUserId });
        state.assigneeId = assigneeId;
        state.teamId = result.teamId;
        updatedByPerson();
        return state;
      }),
    {
      validator: ({ byUserId, assigneeId }) => {
        requireUser(byUserId);
        if (ready) requireNotClosed(state, 'assign');
        if (assigneeId !== null && (typeof assigneeId !== 'string' || assigneeId.length === 0)) {
          throw refuse('assigneeId must be a user id or null', ticketFailures.invalidInput);
        }
      },
    },
  );

  setHandler(
    setTicketPriorityUpdate,
    ({ byUserId, priority }) =>
      exclusive(async () => {
        requireNotClosed(state, 'change the priority of');
        await write({ priority }, 'ticket.priority_changed', byUserId, { from: state.priority, to: priority });
        state.priority = priority;
        applyTicketPlan(state, await activities.resolveTicketSlaPlan({ ticketId, priority }), now());
        updatedByPerson();
        return state;
      }),
    {
      validator: ({ byUserId, priority }) => {
        requireUser(byUserId);
        if (ready) requireNotClosed(state, 'change the priority of');
        if (!priorities.includes(priority)) throw refuse(`Unknown priority ${String(priority)}`, ticketFailures.invalidInput);
      },
    },
  );

  /** Timers that have come due: auto-close, the pending reminder, SLA warnings and breaches. */
  const onTime = async () => {
    const at = now();
    if (state.status === 'solved' && autoCloseAt(state) !== null && autoCloseAt(state)! <= at.getTime()) {
      const days = state.settings.autoCloseDaysAfterSolved;
      await write({ status: 'closed', closedAt: at.toISOString() }, 'ticket.closed', null, { from: 'solved', to: 'closed', reason: `solved ${days} days ago and not reopened` });
      state.status = 'closed';
      return;
    }
    const remindAt = pendingReminderAt(state);
    if (remindAt !== null && remindAt <= at.getTime()) {
      // Once per pending period: moving out of pending and back starts a new one.
      await write({}, 'ticket.pending_reminder', null, { pendingSince: state.pendingSince, hours: state.settings.pendingReminderHours });
      state.pendingReminded = true;
    }
    for (const event of dueTicketSlaEvents(state, at)) {
      state.reported = event.kind;
      state.slaState = ticketSlaStateAt(state, at);
      await activities.saveTicketSla({ ticketId, slaState: state.slaState, resolutionDueAt: resolutionDueAt(state), event });
      if (ruleEventsApply()) await rules.run({ on: event.kind === 'breached' ? 'sla_breach' : 'sla_warning' });
      if (event.kind === 'breached') {
        for (const step of state.sla?.escalation ?? []) {
          const result = await activities.escalateTicket({ ticketId, step, metric: event.metric });
          Object.assign(state, result.state);
          if (step.action === 'notify' && patched('sla-email')) await notifications.emailSlaBreach({ subject: { ticketId }, metric: event.metric });
        }
      }
    }
  };

  setHandler(ticketStateQuery, () => state);
  if (!ready) {
    Object.assign(state, await firstState(ticketId));
    ready = true;
    rules.baseline();
    if (ruleEventsApply()) await exclusive(() => rules.run({ on: 'ticket_created' }));
  }

  await runtime.run({
    rules,
    // Mid-way through a handler (its status written, its ticket_updated not yet queued) the
    // derived status_changed would jump the queue: the runtime notes changes between writers.
    notesRuleChanges: ruleEventsApply,
    // Read through a function: handlers change the status behind the compiler's narrowing.
    closed: () => state.status === 'closed',
    publish,
    nextWake: () => nextWake(state),
    onTime,
    continueAsNew: {
      maxHistoryEvents: () => maxHistoryEvents,
      unless: () => state.status === 'closed',
      start: () => continueAsNew<typeof ticketWorkflow>({ ticketId, carried: state }),
    },
  });
  return state;
}

/** When a solved ticket closes by itself; null unless solved. */
function autoCloseAt(state: TicketState): number | null {
  if (state.status !== 'solved' || !state.solvedAt) return null;
  return Date.parse(state.solvedAt) + state.settings.autoCloseDaysAfterSolved * 24 * hourMs;
}

/** When this pending period's reminder is due; null when not pending or already reminded. */
function pendingReminderAt(state: TicketState): number | null {
  if (state.status !== 'pending' || state.pendingReminded || !state.pendingSince) return null;
  return Date.parse(state.pendingSince) + state.settings.pendingReminderHours * hourMs;
}

/** The earliest instant something is due: an SLA event, the pending reminder or the auto-close. */
function nextWake(state: TicketState): number | null {
  const due = [nextTicketSlaInstant(state, new Date()), pendingReminderAt(state), autoCloseAt(state)].filter((value): value is number => value !== null);
  return due.length ? Math.min(...due) : null;
}

/** The first run: SLA policy and settings, from the stored ticket. */
async function firstState(ticketId: string): Promise<TicketState> {
  const prepared = await activities.prepareTicket({ ticketId });
  const state: TicketState = {
    ticketId,
    status: prepared.status,
    priority: prepared.priority,
    tier: prepared.tier,
    assigneeId: prepared.assigneeId,
    teamId: prepared.teamId,
    slaState: 'none',
    sla: null,
    resolution: null,
    reported: null,
    pendingSince: prepared.status === 'pending' ? new Date().toISOString() : null,
    pendingReminded: false,
    solvedAt: prepared.solvedAt,
    settings: prepared.settings,
  };
  // The clock counts from when the ticket was stored, paused at once if it is not being worked on.
  applyTicketPlan(state, prepared.sla, new Date(prepared.createdAt));
  return state;
}
