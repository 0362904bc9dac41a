// The ticket workflow: one per ticket (`ticket-<id>`). It owns the lifecycle (new → open →
// pending / on hold → solved → closed, reopen; the rules are in domain/ticket-flow.ts), the
// resolution SLA clock with its warning and breach timers and escalation ladder, the pending
// reminder and the auto-close after solved.
//
// This file registers the handlers and runs the main loop (workflows/subject-runtime.ts, shared
// with conversations); the state and the steps are the TicketEntity (ticket-entity.ts).
import { continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notification-activities.js';
import type { RuleActivities } from '../activities/rule-activities.js';
import type { TicketActivities } from '../activities/ticket-activities.js';
import { ruleActionActivity, shortActivity } from './activity-options.js';
import { ruleEventsApply, ruleRunner } from './automation-rules.js';
import { patched, startBaseline, ticketBaseline } from './patches.js';
import { publishChanges } from './publish-changes.js';
import { ticketSearchAttributes } from './search-attributes.js';
import { subjectRuntime } from './subject-runtime.js';
import { TicketEntity } from './ticket-entity.js';
import { resolutionDueAt, ticketSlaStateAt } from './ticket-sla.js';
import {
  assignTicketUpdate,
  customerRepliedSignal,
  setTicketPriorityUpdate,
  setTicketStatusUpdate,
  ticketSlaPolicyChangedSignal,
  ticketStateQuery,
  type TicketState,
  type TicketWorkflowInput,
} from './ticket.messages.js';

const db = proxyActivities<TicketActivities>(shortActivity);
const notifications = proxyActivities<NotificationActivities>(shortActivity);
/** An automation rule's action: its own activity; one that keeps failing is recorded as failed. */
const ruleActions = proxyActivities<Pick<RuleActivities, 'runTicketRuleAction'>>(ruleActionActivity);

/** Histories stay small: a long-lived ticket starts a fresh run carrying its state. */
const maxHistoryEvents = 4000;

/** One durable workflow per ticket, id `ticket-<id>`. */
export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketState> {
  // One marker for every patch up to the baseline (workflows/patches.ts): before any other command.
  startBaseline(ticketBaseline);
  const { ticketId } = input;
  const now = () => new Date();
  // Handlers are registered before the first activity: until the state is loaded their
  // validators check only the input, and the writers wait for it (see TicketEntity.ready).
  /** Actions that write run one at a time: a reopen never interleaves with an auto-close. */
  const runtime = subjectRuntime(() => ticket.ready);
  const { exclusive } = runtime;
  const ticket: TicketEntity = new TicketEntity(
    ticketId,
    (input.carried ?? {}) as TicketState,
    { db, notifications, rules: { push: (event) => rules.push(event), run: (event) => rules.run(event) }, exclusive, patched, now },
    { loaded: input.carried !== undefined },
  );
  const { state } = ticket;

  const rules = ruleRunner({
    subject: { ticketId },
    watched: () => ({ status: state.status, assigneeId: state.assigneeId, priority: state.priority }),
    clock: () => (state.ruleClock ??= { checkedUntil: now().toISOString(), nextDueAt: null }),
    runAction: (action) => ruleActions.runTicketRuleAction({ ticketId, ...action }),
    mirror: (result) => ticket.mirrorRuleAction(result),
  });

  const publishIfChanged = publishChanges((sla: { slaState: TicketState['slaState']; resolutionDueAt: string | null }) =>
    db.saveTicketSla({ ticketId, ...sla }),
  );
  /** Writes the SLA state and due date, and the search attributes, when they changed. */
  const publish = () => {
    state.slaState = ticketSlaStateAt(state, now());
    return publishIfChanged(ticketSearchAttributes(state), { slaState: state.slaState, resolutionDueAt: resolutionDueAt(state) });
  };

  setHandler(customerRepliedSignal, ({ at }) => ticket.customerReplied(at));

  setHandler(ticketSlaPolicyChangedSignal, () => void exclusive(() => ticket.replanSla()));

  setHandler(setTicketStatusUpdate, (change) => exclusive(() => ticket.setStatus(change)), { validator: (change) => ticket.validateSetStatus(change) });

  setHandler(assignTicketUpdate, (assignment) => exclusive(() => ticket.assign(assignment)), { validator: (assignment) => ticket.validateAssign(assignment) });

  setHandler(setTicketPriorityUpdate, (change) => exclusive(() => ticket.setPriority(change)), { validator: (change) => ticket.validateSetPriority(change) });

  setHandler(ticketStateQuery, () => state);
  if (!ticket.ready) {
    await ticket.load();
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
    nextWake: () => ticket.nextWake(),
    onTime: () => ticket.onTime(),
    continueAsNew: {
      maxHistoryEvents: () => maxHistoryEvents,
      unless: () => state.status === 'closed',
      start: () => continueAsNew<typeof ticketWorkflow>({ ticketId, carried: state }),
    },
  });
  return state;
}
