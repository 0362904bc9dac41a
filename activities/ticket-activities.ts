// Activities of the ticket workflow: every database write it asks for, each in one transaction
// with its event-log entry, and safe to retry (an operation id in the event marks a call done).
import { ApplicationFailure } from '@temporalio/common';
import { isEventType } from '../domain/events.js';
import { raisedPriority } from '../domain/priority.js';
import type { SlaMetric } from '../domain/sla-clock.js';
import type { Priority, RoutingTier, SlaState, TicketStatus } from '../domain/vocabulary.js';
import { alreadyRecorded, operationId } from './operations.js';
import { defaultHours, slaPlanOf } from './sla-plans.js';
import { changeTicket } from './ticket-writes.js';
import type { EscalationStep, SlaPlan } from '../domain/sla-plan.js';
import { ticketFailures, type TicketSettings, type TicketState } from '../workflows/ticket.messages.js';
import type { ActivityDeps } from './activity-deps.js';

const defaultTicketSettings: TicketSettings = { pendingReminderHours: 48, autoCloseDaysAfterSolved: 4 };
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PreparedTicket {
  status: TicketStatus;
  priority: Priority;
  tier: RoutingTier;
  assigneeId: string | null;
  teamId: string | null;
  sla: SlaPlan | null;
  settings: TicketSettings;
  createdAt: string;
  solvedAt: string | null;
}

/** The fields the workflow may change; written together with one event. */
export interface TicketChange {
  status?: TicketStatus;
  priority?: Priority;
  tier?: RoutingTier;
  assigneeId?: string | null;
  teamId?: string | null;
  solvedAt?: string | null;
  closedAt?: string | null;
}

export interface TicketSlaEventInput {
  metric: SlaMetric;
  kind: 'warning' | 'breached';
  dueAt: string;
}

export interface TicketEscalationResult {
  /** What changed, for the workflow to mirror. */
  state: Partial<Pick<TicketState, 'priority' | 'tier' | 'teamId' | 'assigneeId'>>;
}

export interface TicketActivities {
  /** Reads the stored ticket, picks its SLA policy and reads settings; safe to repeat. */
  prepareTicket(input: { ticketId: string }): Promise<PreparedTicket>;
  /** The SLA policy for this priority (and the ticket's team); records it on the ticket. */
  resolveTicketSlaPlan(input: { ticketId: string; priority: Priority }): Promise<SlaPlan | null>;
  /** Persists a lifecycle change chosen by the workflow, with its event. */
  applyTicketChange(input: {
    ticketId: string;
    change: TicketChange;
    event: { type: string; actorId: string | null; details: Record<string, unknown> };
  }): Promise<void>;
  /** Gives the ticket to an agent (its team follows the agent's), or unassigns it with null. */
  assignTicket(input: { ticketId: string; agentId: string | null; actorId: string }): Promise<{ teamId: string | null }>;
  /** Stores the SLA state and due date; with `event`, records a warning or breach. */
  saveTicketSla(input: { ticketId: string; slaState: SlaState; resolutionDueAt: string | null; event?: TicketSlaEventInput }): Promise<void>;
  /** Runs one step of the escalation ladder. */
  escalateTicket(input: { ticketId: string; step: EscalationStep; metric: SlaMetric }): Promise<TicketEscalationResult>;
}

const toDate = (value: string | null | undefined) => (value === undefined ? undefined : value && new Date(value));

export function createTicketActivities({ db }: ActivityDeps): TicketActivities {
  const slaPlanFor = async (ticketId: string, priority: Priority): Promise<SlaPlan | null> => {
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { team: { include: { businessHours: true } } } });
    // A ticket has no channel: channel-specific policies are for conversations. A policy for the
    // ticket's team wins over one for every team.
    const policies = await db.slaPolicy.findMany({
      where: { priority, enabled: true, channelKind: null, OR: [{ teamId: null }, ...(ticket.teamId ? [{ teamId: ticket.teamId }] : [])] },
      include: { businessHours: true },
    });
    const policy = policies.sort((a, b) => Number(Boolean(b.teamId)) - Number(Boolean(a.teamId)) || a.name.localeCompare(b.name))[0];
    await db.ticket.update({ where: { id: ticketId }, data: { slaPolicyId: policy?.id ?? null } });
    if (!policy) return null;
    // Business hours: the policy's own, else the ticket's team's, else the first team of its tier.
    return slaPlanOf(policy, policy.businessHours ? null : await defaultHours(db, ticket.team, ticket.tier));
  };

  return {
    async prepareTicket({ ticketId }) {
      const ticket = await db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
      const organization = await db.organization.findUnique({ where: { id: 1 } });
      const configured = (organization?.settings ?? {}) as Record<string, unknown>;
      return {
        status: ticket.status,
        priority: ticket.priority,
        tier: ticket.tier,
        assigneeId: ticket.assigneeId,
        teamId: ticket.teamId,
        sla: await slaPlanFor(ticketId, ticket.priority),
        settings: {
          pendingReminderHours: positive(configured.ticketPendingReminderHours, defaultTicketSettings.pendingReminderHours),
          autoCloseDaysAfterSolved: positive(configured.ticketAutoCloseDays, defaultTicketSettings.autoCloseDaysAfterSolved),
        },
        createdAt: ticket.createdAt.toISOString(),
        solvedAt: ticket.solvedAt?.toISOString() ?? null,
      };
    },

    resolveTicketSlaPlan: ({ ticketId, priority }) => slaPlanFor(ticketId, priority),

    async applyTicketChange({ ticketId, change, event }) {
      const { type } = event;
      // The workflow names the event as text; an unregistered type would reach no audience rule.
      if (!isEventType(type)) throw ApplicationFailure.nonRetryable(`Unknown event type ${type}.`, 'unknown_event_type');
      const operation = operationId();
      await db.$transaction(async (tx) => {
        if (await alreadyRecorded(tx, { ticketId }, operation)) return; // a retry after the commit
        const data = { ...change, solvedAt: toDate(change.solvedAt), closedAt: toDate(change.closedAt) };
        await changeTicket(tx, ticketId, data, { type, actorId: event.actorId, payload: { ...event.details, operation } });
      });
    },

    async assignTicket({ ticketId, agentId, actorId }) {
      const operation = operationId();
      return db.$transaction(async (tx) => {
        const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
        if (await alreadyRecorded(tx, { ticketId }, operation)) return { teamId: ticket.teamId };
        if (agentId === null) {
          await changeTicket(
            tx,
            ticketId,
            { assigneeId: null },
            { type: 'ticket.assigned', actorId, payload: { previousAssigneeId: ticket.assigneeId, operation } },
          );
          return { teamId: ticket.teamId };
        }
        const agent = uuidPattern.test(agentId) ? await tx.user.findUnique({ where: { id: agentId } }) : null;
        if (!agent) throw ApplicationFailure.nonRetryable(`User ${agentId} does not exist.`, ticketFailures.assignRefused);
        // A deactivated (or deleted) account is assigned nothing.
        if (agent.deactivatedAt) throw ApplicationFailure.nonRetryable(`${agent.name}'s account is deactivated.`, ticketFailures.assignRefused);
        const teamId = agent.teamId ?? ticket.teamId;
        await changeTicket(
          tx,
          ticketId,
          { assigneeId: agentId, teamId },
          { type: 'ticket.assigned', actorId, payload: { previousAssigneeId: ticket.assigneeId, operation } },
        );
        return { teamId };
      });
    },

    async saveTicketSla({ ticketId, slaState, resolutionDueAt, event }) {
      const operation = operationId();
      await db.$transaction(async (tx) => {
        const data = { slaState, resolutionDueAt: resolutionDueAt ? new Date(resolutionDueAt) : null };
        if (!event) {
          await tx.ticket.update({ where: { id: ticketId }, data });
          return;
        }
        if (await alreadyRecorded(tx, { ticketId }, operation)) return;
        // SLA events are for agents (internal): customers never see them.
        await changeTicket(tx, ticketId, data, { type: `sla.${event.kind}`, actorId: null, internal: true, payload: { ...event, operation } });
      });
    },

    async escalateTicket({ ticketId, step, metric }) {
      const operation = operationId();
      return db.$transaction(async (tx): Promise<TicketEscalationResult> => {
        const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { assignee: true, team: true } });
        const record = (change: Record<string, unknown>, details: Record<string, unknown> = {}) =>
          alreadyRecorded(tx, { ticketId }, operation).then((done) =>
            done
              ? undefined
              : changeTicket(tx, ticketId, change, {
                  type: 'sla.escalated',
                  actorId: null,
                  internal: true,
                  payload: { action: step.action, metric, operation, ...details },
                }),
          );
        switch (step.action) {
          case 'notify': {
            // Realtime: the event itself reaches the assignee and the team. Email: recorded here as
            // the hook the email channel sends from.
            const lead = ticket.team?.leadId ?? null;
            await record({}, { notify: [ticket.assigneeId, lead].filter(Boolean), channels: ['realtime', 'email'] });
            return { state: {} };
          }
          case 'raise_priority': {
            const priority = raisedPriority(ticket.priority);
            await record({ priority }, { from: ticket.priority, to: priority });
            return { state: { priority } };
          }
          case 'move_to_expert': {
            const expertTeam = await tx.team.findFirst({ where: { tier: 'expert' }, orderBy: { name: 'asc' } });
            const teamId = expertTeam?.id ?? null;
            // Tickets are not routed from a queue: an assignee who is not an expert lets go, so
            // the expert team sees it unassigned.
            const assigneeId = ticket.assignee?.tier === 'expert' ? ticket.assigneeId : null;
            await record({ tier: 'expert', teamId, assigneeId }, { teamId, previousAssigneeId: ticket.assigneeId });
            return { state: { tier: 'expert', teamId, assigneeId } };
          }
          case 'reassign_to_lead': {
            const leadId = ticket.team?.leadId ?? null;
            if (!leadId || leadId === ticket.assigneeId) {
              await record({}, { skipped: leadId ? 'already with the lead' : 'the team has no lead' });
              return { state: {} };
            }
            await record({ assigneeId: leadId }, { to: leadId });
            return { state: { assigneeId: leadId } };
          }
        }
      });
    },
  };
}

/** A positive number from free-form settings, else the default. */
function positive(value: unknown, fallback: number): number {
  const number = Number(value ?? fallback);
  return Number.isFinite(number) && number > 0 ? number : fallback;
}
