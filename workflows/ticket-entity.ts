// The ticket as an entity: its state and the steps that change it (status moves, assignment,
// priority, rule actions, timers). workflows/ticket.ts registers the handlers and runs the shared
// main loop (subject-runtime.ts); the steps reach Temporal only through the ports they are given,
// so ticket-entity.test.ts runs them with fake activities. Which status may follow which is
// domain/ticket-flow.ts.
//
// Every change is written by an activity (database + event log) before the state mirrors it.
// The order of the activity calls in each step is part of the recorded histories: change it only
// behind `patched()`.
import { ApplicationFailure } from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notification-activities.js';
import type { TicketRuleActionResult } from '../activities/rule-activities.js';
import type { TicketActivities, TicketChange } from '../activities/ticket-activities.js';
import type { RuleEvent } from '../domain/rules/matcher.js';
import { canTransition, reopenedByCustomerReply } from '../domain/ticket-flow.js';
import { priorities, ticketStatuses, type TicketStatus } from '../domain/vocabulary.js';
import { ruleEventsPatch } from './automation-rules.js';

/** Runs before it reopened on any customerReplied, however old the reply (histories replay so). */
const customerReplyOncePatch = 'customer-reply-once';
import { applyTicketPlan, dueTicketSlaEvents, nextTicketSlaInstant, resolutionDueAt, syncResolutionClock, ticketSlaStateAt } from './ticket-sla.js';
import { ticketFailures, type AssignTicketInput, type SetTicketPriorityInput, type SetTicketStatusInput, type TicketState } from './ticket.messages.js';

/** What the entity asks of the outside world; the workflow passes Temporal's, tests pass fakes. */
export interface TicketPorts {
  db: TicketActivities;
  notifications: NotificationActivities;
  /** The automation rules: events handlers queue, and events run at once (SLA events). */
  rules: { push(event: RuleEvent): void; run(event: RuleEvent): Promise<void> };
  /** Runs a step once no other writer runs and the ticket is loaded (workflows/subject-runtime.ts). */
  exclusive<T>(action: () => Promise<T>): Promise<T>;
  /** Temporal's `patched` (runs started before a change replay without it). */
  patched(patchId: string): boolean;
  now(): Date;
}

const hourMs = 3_600_000;

const refuse = (message: string, type: string = ticketFailures.invalidTransition) => ApplicationFailure.nonRetryable(message, type);

function requireUser(byUserId: unknown): void {
  if (typeof byUserId !== 'string' || byUserId.length === 0) throw refuse('byUserId is required', ticketFailures.invalidInput);
}

/** The check that needs no state: a status an agent may ask for at all. */
function requireSettable(to: unknown): void {
  if (!ticketStatuses.includes(to as TicketStatus)) throw refuse(`Unknown status ${String(to)}`, ticketFailures.invalidInput);
  if (to === 'closed') throw refuse('Only the workflow closes a ticket (after it has been solved).');
}

export class TicketEntity {
  /**
   * Whether the state is loaded. Handlers are registered before the first activity (an update
   * sent right after the start would otherwise be refused for want of a handler); until then
   * their validators check only the input, and the writers wait for it.
   */
  ready: boolean;

  constructor(
    readonly ticketId: string,
    readonly state: TicketState,
    private readonly ports: TicketPorts,
    { loaded }: { loaded: boolean },
  ) {
    this.ready = loaded;
  }

  /** Runs started before derived events and time rules existed replay without them. */
  private ruleEventsApply(): boolean {
    return this.ports.patched(ruleEventsPatch);
  }

  private write(change: TicketChange, type: string, actorId: string | null, details: Record<string, unknown> = {}) {
    return this.ports.db.applyTicketChange({ ticketId: this.ticketId, change, event: { type, actorId, details } });
  }

  /** The first run: SLA policy and settings, from the stored ticket. */
  async load(): Promise<void> {
    const prepared = await this.ports.db.prepareTicket({ ticketId: this.ticketId });
    const first: TicketState = {
      ticketId: this.ticketId,
      status: prepared.status,
      priority: prepared.priority,
      tier: prepared.tier,
      assigneeId: prepared.assigneeId,
      teamId: prepared.teamId,
      slaState: 'none',
      sla: null,
      resolution: null,
      reported: null,
      pendingSince: prepared.status === 'pending' ? this.ports.now().toISOString() : null,
      pendingReminded: false,
      solvedAt: prepared.solvedAt,
      settings: prepared.settings,
    };
    // The clock counts from when the ticket was stored, paused at once if it is not being worked on.
    applyTicketPlan(first, prepared.sla, new Date(prepared.createdAt));
    Object.assign(this.state, first);
    this.ready = true;
  }

  requireTransition(to: unknown): asserts to is TicketStatus {
    if (!ticketStatuses.includes(to as TicketStatus)) throw refuse(`Unknown status ${String(to)}`, ticketFailures.invalidInput);
    if (!canTransition(this.state.status, to as TicketStatus)) throw refuse(`Cannot move a ${this.state.status} ticket to ${String(to)}.`);
  }

  private requireNotClosed(action: string): void {
    if (this.state.status === 'closed') throw refuse(`Cannot ${action} a closed ticket.`);
  }

  /** A person changed the ticket: rules on "ticket updated" run from the main loop. */
  private updatedByPerson(): void {
    if (this.ruleEventsApply()) this.ports.rules.push({ on: 'ticket_updated' });
  }

  /** Writes a status change; the clock, the solved time and the pending period follow it. */
  private async moveTo(status: TicketStatus, byUserId: string | null, details: Record<string, unknown> = {}): Promise<void> {
    const { state } = this;
    const from = state.status;
    const at = this.ports.now();
    const change: TicketChange = { status };
    if (status === 'solved') change.solvedAt = at.toISOString();
    else if (from === 'solved') change.solvedAt = null;
    await this.write(change, 'ticket.status_changed', byUserId, { from, to: status, ...details });
    state.status = status;
    if (change.solvedAt !== undefined) state.solvedAt = change.solvedAt;
    state.pendingSince = status === 'pending' ? at.toISOString() : null;
    state.pendingReminded = false;
    syncResolutionClock(state, at);
  }

  /** Mirrors what a rule's action changed: a status move brings its clock and pending period along. */
  async mirrorRuleAction({ state: changed, slaPlan }: TicketRuleActionResult): Promise<void> {
    const { state, ports } = this;
    const { status, ...fields } = changed;
    Object.assign(state, fields);
    if (changed.priority) applyTicketPlan(state, await ports.db.resolveTicketSlaPlan({ ticketId: this.ticketId, priority: changed.priority }), ports.now());
    if (slaPlan) applyTicketPlan(state, slaPlan, ports.now());
    if (status && status !== state.status) {
      state.status = status;
      state.pendingSince = status === 'pending' ? ports.now().toISOString() : null;
      state.pendingReminded = false;
      syncResolutionClock(state, ports.now());
    }
  }

  /** The customer wrote in a linked conversation: a pending or solved ticket goes back to open. */
  customerReplied(at: string): void {
    if (this.ready && !reopenedByCustomerReply.includes(this.state.status)) return;
    void this.ports.exclusive(async () => {
      // The status may have changed while an earlier action held the lock.
      if (!reopenedByCustomerReply.includes(this.state.status)) return;
      // A reply stored before the ticket began to wait is not news: the API's outbox delivers at
      // least once, so this is a repeat arriving after an agent moved the ticket on.
      if (this.repliedBeforeWaiting(at) && this.ports.patched(customerReplyOncePatch)) return;
      await this.moveTo('open', null, { reason: 'customer replied', customerRepliedAt: at });
    });
  }

  private repliedBeforeWaiting(at: string): boolean {
    const since = this.state.status === 'pending' ? this.state.pendingSince : this.state.solvedAt;
    return since !== null && Date.parse(at) < Date.parse(since);
  }

  /** An admin changed the SLA policy: plan again, keeping the time used. */
  async replanSla(): Promise<void> {
    const { state, ports } = this;
    if (state.status !== 'closed')
      applyTicketPlan(state, await ports.db.resolveTicketSlaPlan({ ticketId: this.ticketId, priority: state.priority }), ports.now());
  }

  validateSetStatus({ byUserId, status }: SetTicketStatusInput): void {
    requireUser(byUserId);
    if (this.ready) this.requireTransition(status);
    else requireSettable(status);
  }

  async setStatus({ byUserId, status }: SetTicketStatusInput): Promise<TicketState> {
    this.requireTransition(status);
    await this.moveTo(status, byUserId);
    this.updatedByPerson();
    return this.state;
  }

  validateAssign({ byUserId, assigneeId }: AssignTicketInput): void {
    requireUser(byUserId);
    if (this.ready) this.requireNotClosed('assign');
    if (assigneeId !== null && (typeof assigneeId !== 'string' || assigneeId.length === 0)) {
      throw refuse('assigneeId must be a user id or null', ticketFailures.invalidInput);
    }
  }

  async assign({ byUserId, assigneeId }: AssignTicketInput): Promise<TicketState> {
    this.requireNotClosed('assign');
    const result = await this.ports.db.assignTicket({ ticketId: this.ticketId, agentId: assigneeId, actorId: byUserId });
    this.state.assigneeId = assigneeId;
    this.state.teamId = result.teamId;
    this.updatedByPerson();
    return this.state;
  }

  validateSetPriority({ byUserId, priority }: SetTicketPriorityInput): void {
    requireUser(byUserId);
    if (this.ready) this.requireNotClosed('change the priority of');
    if (!priorities.includes(priority)) throw refuse(`Unknown priority ${String(priority)}`, ticketFailures.invalidInput);
  }

  async setPriority({ byUserId, priority }: SetTicketPriorityInput): Promise<TicketState> {
    const { state, ports } = this;
    this.requireNotClosed('change the priority of');
    await this.write({ priority }, 'ticket.priority_changed', byUserId, { from: state.priority, to: priority });
    state.priority = priority;
    applyTicketPlan(state, await ports.db.resolveTicketSlaPlan({ ticketId: this.ticketId, priority }), ports.now());
    this.updatedByPerson();
    return state;
  }

  /** Timers that have come due: auto-close, the pending reminder, SLA warnings and breaches. */
  async onTime(): Promise<void> {
    const { state, ports, ticketId } = this;
    const at = ports.now();
    if (state.status === 'solved' && autoCloseAt(state) !== null && autoCloseAt(state)! <= at.getTime()) {
      const days = state.settings.autoCloseDaysAfterSolved;
      await this.write({ status: 'closed', closedAt: at.toISOString() }, 'ticket.closed', null, {
        from: 'solved',
        to: 'closed',
        reason: `solved ${days} days ago and not reopened`,
      });
      state.status = 'closed';
      return;
    }
    const remindAt = pendingReminderAt(state);
    if (remindAt !== null && remindAt <= at.getTime()) {
      // Once per pending period: moving out of pending and back starts a new one.
      await this.write({}, 'ticket.pending_reminder', null, { pendingSince: state.pendingSince, hours: state.settings.pendingReminderHours });
      state.pendingReminded = true;
    }
    for (const event of dueTicketSlaEvents(state, at)) {
      state.reported = event.kind;
      state.slaState = ticketSlaStateAt(state, at);
      await ports.db.saveTicketSla({ ticketId, slaState: state.slaState, resolutionDueAt: resolutionDueAt(state), event });
      if (this.ruleEventsApply()) await ports.rules.run({ on: event.kind === 'breached' ? 'sla_breach' : 'sla_warning' });
      if (event.kind === 'breached') {
        for (const step of state.sla?.escalation ?? []) {
          const result = await ports.db.escalateTicket({ ticketId, step, metric: event.metric });
          Object.assign(state, result.state);
          if (step.action === 'notify' && ports.patched('sla-email')) await ports.notifications.emailSlaBreach({ subject: { ticketId }, metric: event.metric });
        }
      }
    }
  }

  /** The earliest instant something is due: an SLA event, the pending reminder or the auto-close. */
  nextWake(): number | null {
    const { state } = this;
    const due = [nextTicketSlaInstant(state, this.ports.now()), pendingReminderAt(state), autoCloseAt(state)].filter(
      (value): value is number => value !== null,
    );
    return due.length ? Math.min(...due) : null;
  }
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
