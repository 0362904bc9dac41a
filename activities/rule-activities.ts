// Automation rules inside the conversation and ticket workflows: loading the enabled rules and
// matching them against the subject's snapshot (the pure planner of domain/rules, shared with
// the API's dry-run), then running each matched action as its own activity. Every evaluation of
// a fired rule is a RuleExecution row; each action's outcome is written into it, and each change
// an action makes carries `payload.rule` in the event log (the subject's timeline). Matching also
// says when the next time rule is due, so the workflow sleeps on a timer instead of polling.
//
// Actions that leave the product (email, webhook) or start another workflow (create_ticket) run
// outside the database transaction and are at least once: a retry after the send but before the
// record sends again (webhooks carry an event id for receivers to drop the repeat).
//
// A webhook action carries its secret's id only (workflow histories never hold the secret): the
// activity opens the sealed secret itself, and sends through the outbound guard. A refused URL
// (an internal address) or a secret that cannot be read is recorded as a failed action with the
// reason, without retries: neither gets better by trying again.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { parseBusinessCalendar } from '../domain/business-hours.js';
import { classifyMessage } from '../domain/classification.js';
import { conversationAllows, holdsSeat } from '../domain/conversation-lifecycle.js';
import type { EventType } from '../domain/events.js';
import { raisedPriority } from '../domain/priority.js';
import { subjectFrom } from '../domain/ticket-flow.js';
import { nextTimeTriggerDue, planRules, type PlannableRule, type RuleEvent, type RuleFacts } from '../domain/rules/matcher.js';
import { traceConditions } from '../domain/rules/condition-trace.js';
import type { RuleExplanation } from '../domain/explanation.js';
import type { RunnableAction } from '../domain/rules/rule-schema.js';
import { ruleStepOf } from '../domain/rules/rule-steps.js';
import type { Priority, RoutingTier, TicketStatus } from '../domain/vocabulary.js';
import { ticketWorkflowId } from '../domain/workflow-ids.js';
import type { Db, Tx } from '../infra/db.js';
import { appendEvent, appendEventOfAnyType } from '../infra/event-log.js';
import { conversationScope, ticketInclude, ticketScope, toTicketView } from '../infra/views.js';
import { startFollowUp } from '../infra/follow-up-start.js';
import { OutboundRefusedError, outboundPolicyOf } from '../infra/outbound/outbound-guard.js';
import { SecretUnreadableError } from '../infra/secrets/secret-box.js';
import { actionsWithoutSecrets, readWebhookSecret } from '../infra/secrets/webhook-secrets.js';
import { postSignedWebhook } from '../infra/webhooks/signed-webhook.js';
import type { Prisma } from '../prisma/generated/client.js';
import type { SlaPlan } from '../domain/sla-plan.js';
import type { ConversationState } from '../workflows/conversation.messages.js';
import { ticketWorkflowName, type TicketState, type TicketWorkflowInput } from '../workflows/ticket.messages.js';
import type { ActivityDeps } from './activity-deps.js';
import { addSystemMessage, changeConversation } from './conversation-writes.js';
import { writeFollowUpStart } from './follow-up-activities.js';
import { defaultHours, slaPlanOf } from './sla-plans.js';
import { changeTicket } from './ticket-writes.js';

/** What a rule acts on. */
export type RuleSubjectRef = { conversationId: string } | { ticketId: string };

/** A matched rule's actions, with the execution row their outcomes go to. */
export interface RuleRun {
  ruleId: string;
  version: number;
  executionId: string;
  actions: RunnableAction[];
}

export interface RuleMatch {
  runs: RuleRun[];
  /** When the next time rule of this subject is due (after `dueAfter`); null: none will be. */
  nextDueAt: string | null;
  /** The triggers the enabled rules of this subject's kind listen to now (the workflow skips other events). */
  watching?: string[];
}

/** What every action's result may carry besides the subject's own fields. */
interface ActionEffects {
  /** A seat this agent held is free now (the rule resolved or closed the conversation). */
  freedSeatOf: string | null;
  /** The SLA plan an apply_sla_policy action chose. */
  slaPlan?: SlaPlan;
  /** A tag the action added (a tag_added event for the rules). */
  tagAdded?: string;
}

export interface RuleActionResult extends ActionEffects {
  /** What changed, for the workflow to mirror. */
  state: Partial<Pick<ConversationState, 'priority' | 'tier' | 'teamId' | 'assigneeId' | 'status' | 'resolvedAt' | 'waitingOn' | 'snoozedUntil'>>;
  /** The holder no longer fits (tier or team changed): route again. */
  requeue: boolean;
}

export interface TicketRuleActionResult extends ActionEffects {
  state: Partial<Pick<TicketState, 'priority' | 'tier' | 'teamId' | 'assigneeId' | 'status' | 'solvedAt'>>;
}

type ActionInput = { executionId: string; index: number; action: RunnableAction; rule: { id: string; version: number } };

export interface RuleActivities {
  /** Matching for one conversation event, as runs before time rules asked for it (their replays). */
  evaluateRules(input: { conversationId: string; event: RuleEvent }): Promise<RuleRun[]>;
  /** Matches the enabled rules against the subject for this event and records each fired rule. */
  matchRules(input: { subject: RuleSubjectRef; event: RuleEvent; dueAfter: string }): Promise<RuleMatch>;
  /** Runs one action of a matched rule on a conversation and records its outcome. */
  /** `quiet`: the conversation began with an auto-reply or a bounce (its workflow state): an action that writes to the customer is skipped. */
  runRuleAction(input: ActionInput & { conversationId: string; quiet?: boolean }): Promise<RuleActionResult>;
  /** Runs one action of a matched rule on a ticket and records its outcome. */
  runTicketRuleAction(input: ActionInput & { ticketId: string }): Promise<TicketRuleActionResult>;
  /** Records an action that failed after its retries (the others still run). */
  recordRuleActionFailure(input: { executionId: string; index: number; error: string }): Promise<void>;
}

type Outcome = { type: string; status: 'done' | 'failed' | 'skipped' | 'pending'; note?: string };

/** An action that does not fit the subject or its state now: recorded as skipped, with why. */
class Skipped {
  constructor(readonly reason: string) {}
}

/** An action that cannot succeed however often it is tried: recorded as failed, with why, at once. */
class Failed {
  constructor(readonly reason: string) {}
}

const noChange: RuleActionResult = { state: {}, requeue: false, freedSeatOf: null };

/** Actions whose words reach the customer: never for a conversation an auto-reply or a bounce began (its workflow passes `quiet`). */
const writesToCustomer = (action: RunnableAction): boolean =>
  action.type === 'send_reply' ||
  action.type === 'send_bot_message' ||
  action.type === 'start_follow_up' ||
  (action.type === 'send_email' && action.to === 'customer');
const quietConversationNote = 'The conversation began with an auto-reply or a bounce: nothing is sent to the customer automatically.';
const noTicketChange: TicketRuleActionResult = { state: {}, freedSeatOf: null };

const webhookTimeoutMs = 10_000;

export function createRuleActivities({
  db,
  temporal,
  mailer,
  webhookSecrets,
  outboundAllowedHosts,
}: Pick<ActivityDeps, 'db' | 'temporal' | 'mailer' | 'webhookSecrets' | 'outboundAllowedHosts'>): RuleActivities {
  const outbound = outboundPolicyOf(outboundAllowedHosts);
  const setOutcome = async (tx: Tx | Db, executionId: string, index: number, outcome: Omit<Outcome, 'type'>) => {
    const execution = await tx.ruleExecution.findUniqueOrThrow({ where: { id: executionId } });
    const outcomes = execution.actions as Outcome[];
    outcomes[index] = { ...outcomes[index]!, ...outcome };
    await tx.ruleExecution.update({ where: { id: executionId }, data: { actions: outcomes as Prisma.InputJsonValue } });
  };

  /** An enabled rule as stored: what the matcher plans with, and its name for the timeline. */
  type StoredRule = PlannableRule & { name: string };
  const enabledRules = async (subject: 'conversation' | 'ticket'): Promise<StoredRule[]> => {
    const stored = await db.automationRule.findMany({ where: { enabled: true, scope: { in: [subject, 'both'] } } });
    // A plaintext secret left in a rule from before secrets were write-only never enters a history.
    return stored.map(
      (rule) => ({ ...rule, trigger: rule.trigger, conditions: rule.conditions, actions: actionsWithoutSecrets(rule.actions) }) as unknown as StoredRule,
    );
  };

  const calendarOf = (team: { businessHours: { timeZone: string; weekly: unknown; holidays: unknown } | null } | null) =>
    team?.businessHours
      ? parseBusinessCalendar({ timeZone: team.businessHours.timeZone, weekly: team.businessHours.weekly, holidays: team.businessHours.holidays })
      : null;

  const conversationFacts = async (conversationId: string, event: RuleEvent): Promise<RuleFacts> => {
    const conversation = await db.conversation.findUniqueOrThrow({
      where: { id: conversationId },
      include: { customer: true, channel: true, team: { include: { businessHours: true } } },
    });
    const lastBy = (authorKind: 'customer' | 'agent') =>
      db.message.findFirst({ where: { conversationId, authorKind, private: false }, orderBy: { createdAt: 'desc' } });
    const [messages, lastCustomer, lastAgent, assigned] = await Promise.all([
      db.message.count({ where: { conversationId, private: false } }),
      lastBy('customer'),
      lastBy('agent'),
      db.event.findFirst({ where: { conversationId, type: 'conversation.assigned' }, orderBy: { id: 'desc' }, select: { occurredAt: true } }),
    ]);
    const trigger =
      event.on === 'message_received' ? (event.from === 'customer' ? lastCustomer : lastAgent) : event.on === 'conversation_created' ? lastCustomer : null;
    const classified = trigger ? classifyMessage(trigger.body, conversation.customer) : null;
    return {
      subject: 'conversation',
      id: conversationId,
      channel: conversation.channel.kind,
      status: conversation.status,
      priority: conversation.priority,
      tier: conversation.tier,
      teamId: conversation.teamId,
      assigneeId: conversation.assigneeId,
      tags: conversation.tags,
      customer: {
        vip: conversation.customer.vip,
        language: conversation.language ?? conversation.customer.locale,
        attributes: (conversation.customer.attributes ?? {}) as Record<string, unknown>,
      },
      message:
        trigger && classified ? { authorKind: trigger.authorKind, text: trigger.body, intent: classified.intent, sentiment: classified.sentiment } : null,
      counts: { messages, reopens: conversation.reopenCount },
      times: {
        created: conversation.createdAt.toISOString(),
        status_changed: conversation.updatedAt.toISOString(),
        last_customer_message: lastCustomer?.createdAt.toISOString() ?? null,
        last_agent_message: lastAgent?.createdAt.toISOString() ?? null,
        assigned: assigned?.occurredAt.toISOString() ?? null,
      },
      calendar: calendarOf(conversation.team),
    };
  };

  const ticketFacts = async (ticketId: string): Promise<RuleFacts> => {
    const ticket = await db.ticket.findUniqueOrThrow({
      where: { id: ticketId },
      include: {
        customer: true,
        team: { include: { businessHours: true } },
        conversations: { include: { conversation: { include: { channel: true } } }, orderBy: { createdAt: 'asc' }, take: 1 },
      },
    });
    const last = (type: string) => db.event.findFirst({ where: { ticketId, type }, orderBy: { id: 'desc' }, select: { occurredAt: true } });
    const [statusChanged, assigned, reopens] = await Promise.all([
      last('ticket.status_changed'),
      last('ticket.assigned'),
      db.event.count({ where: { ticketId, type: 'ticket.status_changed', payload: { path: ['from'], equals: 'solved' } } }),
    ]);
    return {
      subject: 'ticket',
      id: ticketId,
      channel: ticket.conversations[0]?.conversation.channel.kind ?? null,
      status: ticket.status,
      priority: ticket.priority,
      tier: ticket.tier,
      teamId: ticket.teamId,
      assigneeId: ticket.assigneeId,
      tags: ticket.tags,
      customer: { vip: ticket.customer.vip, language: ticket.customer.locale, attributes: (ticket.customer.attributes ?? {}) as Record<string, unknown> },
      message: null,
      counts: { messages: 0, reopens },
      times: {
        created: ticket.createdAt.toISOString(),
        status_changed: (statusChanged?.occurredAt ?? ticket.createdAt).toISOString(),
        last_customer_message: null,
        last_agent_message: null,
        assigned: assigned?.occurredAt.toISOString() ?? null,
      },
      calendar: calendarOf(ticket.team),
    };
  };

  /** Where an event about the subject is visible: its customer, team and assignee. */
  const scopeOf = async (tx: Tx | Db, subject: RuleSubjectRef) => {
    const row =
      'conversationId' in subject
        ? await tx.conversation.findUniqueOrThrow({ where: { id: subject.conversationId } })
        : await tx.ticket.findUniqueOrThrow({ where: { id: subject.ticketId } });
    return { ...subject, ...conversationScope(row) };
  };

  /**
   * One RuleExecution per fired rule (matched or not); a matched one also goes to the timeline,
   * named (`names`: each rule's name by id) so the journey shows it rather than an id.
   */
  const record = async (
    subject: RuleSubjectRef,
    event: RuleEvent,
    plans: ReturnType<typeof planRules>,
    names: ReadonlyMap<string, string>,
    explain: (ruleId: string) => RuleExplanation | undefined,
  ): Promise<RuleRun[]> => {
    const runs: RuleRun[] = [];
    for (const plan of plans) {
      const outcomes: Outcome[] = plan.actions.map((action) => ({ type: action.type, status: 'pending' }));
      const execution = await db.$transaction(async (tx) => {
        const row = await tx.ruleExecution.create({
          data: {
            ruleId: plan.ruleId,
            version: plan.version,
            trigger: event.on,
            ...subject,
            matched: plan.matched,
            actions: outcomes as Prisma.InputJsonValue,
            depth: event.depth ?? 0,
          },
        });
        if (plan.matched) {
          await appendEvent(tx, {
            type: 'rule.matched',
            actorKind: 'system',
            internal: true,
            ...(await scopeOf(tx, subject)),
            payload: {
              rule: { id: plan.ruleId, version: plan.version, name: names.get(plan.ruleId) ?? '' },
              executionId: row.id,
              trigger: event.on,
              actions: outcomes.map((outcome) => outcome.type),
              steps: plan.actions.map(ruleStepOf),
              explanation: explain(plan.ruleId),
            },
          });
        }
        return row;
      });
      if (plan.matched) runs.push({ ruleId: plan.ruleId, version: plan.version, executionId: execution.id, actions: plan.actions });
    }
    return runs;
  };

  /** One action's write on a conversation, with its event carrying the rule that caused it. */
  const performOnConversation = async (
    tx: Tx,
    conversationId: string,
    action: RunnableAction,
    rule: { id: string; version: number },
  ): Promise<RuleActionResult | Skipped> => {
    const conversation = await tx.conversation.findUniqueOrThrow({
      where: { id: conversationId },
      include: { assignee: true, team: { include: { businessHours: true } } },
    });
    const event = (type: EventType, payload: Record<string, unknown> = {}, internal = false) => ({
      actorKind: 'system' as const,
      actorId: null,
      type,
      internal,
      payload: { ...payload, rule },
    });
    const holder = holdsSeat(conversation.status) ? conversation.assigneeId : null;
    switch (action.type) {
      case 'set_priority':
      case 'escalate': {
        const priority: Priority = action.type === 'set_priority' ? action.priority : raisedPriority(conversation.priority);
        await changeConversation(
          tx,
          conversationId,
          { priority },
          event(action.type === 'escalate' ? 'conversation.escalated' : 'conversation.priority_changed', { from: conversation.priority, to: priority }),
        );
        return { ...noChange, state: { priority } };
      }
      case 'assign_tier': {
        const tier: RoutingTier = action.tier;
        await changeConversation(tx, conversationId, { tier }, event('conversation.tier_changed', { from: conversation.tier, to: tier }));
        const holderFits = !conversation.assignee || conversation.assignee.tier === tier || tier === 'junior';
        return { ...noChange, state: { tier }, requeue: !holderFits };
      }
      case 'assign_team': {
        const team = await tx.team.findUnique({ where: { id: action.teamId } });
        if (!team) throw ApplicationFailure.nonRetryable(`Team ${action.teamId} does not exist.`, 'RuleActionRefused');
        await changeConversation(
          tx,
          conversationId,
          { teamId: team.id, tier: team.tier },
          event('conversation.team_changed', { teamId: team.id, teamName: team.name }),
        );
        const holderFits = !conversation.assignee || conversation.assignee.teamId === team.id;
        return { ...noChange, state: { teamId: team.id, tier: team.tier }, requeue: !holderFits };
      }
      case 'assign_agent': {
        const agent = await tx.user.findUnique({ where: { id: action.agentId } });
        if (!agent || agent.role !== 'agent') throw ApplicationFailure.nonRetryable(`Agent ${action.agentId} does not exist.`, 'RuleActionRefused');
        const status = conversation.status === 'queued' || conversation.status === 'bot' ? 'open' : conversation.status;
        await changeConversation(
          tx,
          conversationId,
          { assigneeId: agent.id, teamId: agent.teamId ?? conversation.teamId, status },
          event('conversation.assigned', { previousAssigneeId: conversation.assigneeId }),
        );
        return { ...noChange, state: { assigneeId: agent.id, teamId: agent.teamId ?? conversation.teamId, status } };
      }
      case 'add_tag':
      case 'remove_tag': {
        const added = action.type === 'add_tag' && !conversation.tags.includes(action.tag);
        const tags = action.type === 'add_tag' ? [...new Set([...conversation.tags, action.tag])] : conversation.tags.filter((tag) => tag !== action.tag);
        await changeConversation(
          tx,
          conversationId,
          { tags },
          event(action.type === 'add_tag' ? 'conversation.tag_added' : 'conversation.tag_removed', { tag: action.tag }),
        );
        return added ? { ...noChange, tagAdded: action.tag } : noChange;
      }
      case 'add_note':
      case 'send_reply':
      case 'send_bot_message': {
        const isNote = action.type === 'add_note';
        await addSystemMessage(tx, conversationId, {
          authorKind: action.type === 'send_bot_message' ? 'bot' : 'system',
          body: action.text,
          private: isNote,
          metadata: { kind: 'rule_message', rule },
        });
        return noChange;
      }
      case 'set_status': {
        if (action.status === 'resolve') {
          if (!conversationAllows('resolve', conversation.status)) return new Skipped(`the conversation is ${conversation.status}`);
          const resolvedAt = new Date();
          await changeConversation(tx, conversationId, { status: 'resolved', waitingOn: null, snoozedUntil: null, resolvedAt }, event('conversation.resolved'));
          return { ...noChange, state: { status: 'resolved', waitingOn: null, snoozedUntil: null, resolvedAt: resolvedAt.toISOString() }, freedSeatOf: holder };
        }
        if (action.status === 'snooze') {
          // Without a time: until the customer writes again (the workflow unsnoozes on it).
          if (!conversationAllows('snooze', conversation.status))
            return new Skipped(`only an open conversation can be snoozed; this one is ${conversation.status}`);
          await changeConversation(tx, conversationId, { status: 'snoozed', snoozedUntil: null }, event('conversation.snoozed', { until: null }));
          return { ...noChange, state: { status: 'snoozed', snoozedUntil: null } };
        }
        if (conversation.status === 'closed') return new Skipped('the conversation is closed already');
        await changeConversation(
          tx,
          conversationId,
          { status: 'closed', waitingOn: null, snoozedUntil: null },
          event('conversation.closed', { reason: 'automation rule' }),
        );
        return { ...noChange, state: { status: 'closed', waitingOn: null, snoozedUntil: null }, freedSeatOf: holder };
      }
      case 'apply_sla_policy': {
        const slaPlan = await policyPlan(tx, action.policyId, conversation.team, conversation.tier);
        if (slaPlan instanceof Skipped) return slaPlan;
        await changeConversation(
          tx,
          conversationId,
          { slaPolicyId: slaPlan.policyId },
          event('conversation.sla_policy_applied', { policyId: slaPlan.policyId, policyName: slaPlan.policyName }, true),
        );
        return { ...noChange, slaPlan };
      }
      case 'start_follow_up': {
        const started = await startFollowUp(tx, { conversationId, authorId: null, ruleId: rule.id, steps: action.steps }, writeFollowUpStart);
        if (started.outcome === 'closed') return new Skipped('the conversation is closed');
        if (started.outcome === 'active') return new Skipped('the conversation has an active follow-up already');
        return noChange;
      }
      case 'create_ticket':
      case 'send_email':
      case 'call_webhook':
        throw new Error(`${action.type} runs outside the transaction`);
    }
  };

  /** One action's write on a ticket, with its event carrying the rule that caused it. */
  const performOnTicket = async (
    tx: Tx,
    ticketId: string,
    action: RunnableAction,
    rule: { id: string; version: number },
  ): Promise<TicketRuleActionResult | Skipped> => {
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { team: { include: { businessHours: true } } } });
    const event = (type: EventType, payload: Record<string, unknown> = {}, internal = false) => ({
      actorId: null,
      type,
      internal,
      payload: { ...payload, rule },
    });
    if (ticket.status === 'closed') return new Skipped('the ticket is closed');
    switch (action.type) {
      case 'set_priority':
      case 'escalate': {
        const priority: Priority = action.type === 'set_priority' ? action.priority : raisedPriority(ticket.priority);
        await changeTicket(
          tx,
          ticketId,
          { priority },
          event(action.type === 'escalate' ? 'ticket.escalated' : 'ticket.priority_changed', { from: ticket.priority, to: priority }),
        );
        return { ...noTicketChange, state: { priority } };
      }
      case 'assign_tier':
        await changeTicket(tx, ticketId, { tier: action.tier }, event('ticket.tier_changed', { from: ticket.tier, to: action.tier }));
        return { ...noTicketChange, state: { tier: action.tier } };
      case 'assign_team': {
        const team = await tx.team.findUnique({ where: { id: action.teamId } });
        if (!team) throw ApplicationFailure.nonRetryable(`Team ${action.teamId} does not exist.`, 'RuleActionRefused');
        await changeTicket(tx, ticketId, { teamId: team.id, tier: team.tier }, event('ticket.team_changed', { teamId: team.id, teamName: team.name }));
        return { ...noTicketChange, state: { teamId: team.id, tier: team.tier } };
      }
      case 'assign_agent': {
        const agent = await tx.user.findUnique({ where: { id: action.agentId } });
        if (!agent || agent.role !== 'agent') throw ApplicationFailure.nonRetryable(`Agent ${action.agentId} does not exist.`, 'RuleActionRefused');
        const teamId = agent.teamId ?? ticket.teamId;
        await changeTicket(tx, ticketId, { assigneeId: agent.id, teamId }, event('ticket.assigned', { previousAssigneeId: ticket.assigneeId }));
        return { ...noTicketChange, state: { assigneeId: agent.id, teamId } };
      }
      case 'add_tag':
      case 'remove_tag': {
        const added = action.type === 'add_tag' && !ticket.tags.includes(action.tag);
        const tags = action.type === 'add_tag' ? [...new Set([...ticket.tags, action.tag])] : ticket.tags.filter((tag) => tag !== action.tag);
        await changeTicket(tx, ticketId, { tags }, event(action.type === 'add_tag' ? 'ticket.tag_added' : 'ticket.tag_removed', { tag: action.tag }));
        return added ? { ...noTicketChange, tagAdded: action.tag } : noTicketChange;
      }
      case 'add_note':
        await changeTicket(tx, ticketId, {}, event('ticket.note_added', { text: action.text }, true));
        return noTicketChange;
      case 'send_reply':
      case 'send_bot_message':
        return new Skipped('a ticket has no chat: send_email writes to its customer');
      case 'set_status': {
        const to: TicketStatus = action.status === 'resolve' ? 'solved' : action.status === 'snooze' ? 'pending' : 'closed';
        if (ticket.status === to) return new Skipped(`the ticket is ${to} already`);
        const at = new Date();
        const solvedAt = to === 'solved' ? at : ticket.status === 'solved' ? null : undefined;
        await changeTicket(
          tx,
          ticketId,
          { status: to, solvedAt, closedAt: to === 'closed' ? at : undefined },
          event(to === 'closed' ? 'ticket.closed' : 'ticket.status_changed', { from: ticket.status, to }),
        );
        return { ...noTicketChange, state: { status: to, ...(solvedAt !== undefined ? { solvedAt: solvedAt?.toISOString() ?? null } : {}) } };
      }
      case 'apply_sla_policy': {
        const slaPlan = await policyPlan(tx, action.policyId, ticket.team, ticket.tier);
        if (slaPlan instanceof Skipped) return slaPlan;
        await changeTicket(
          tx,
          ticketId,
          { slaPolicyId: slaPlan.policyId },
          event('ticket.sla_policy_applied', { policyId: slaPlan.policyId, policyName: slaPlan.policyName }, true),
        );
        return { ...noTicketChange, slaPlan };
      }
      case 'create_ticket':
        return new Skipped('a ticket cannot raise another ticket');
      case 'start_follow_up':
        return new Skipped('a follow-up is sent in a conversation, not a ticket');
      case 'send_email':
      case 'call_webhook':
        throw new Error(`${action.type} runs outside the transaction`);
    }
  };

  /** The plan of a named policy; its business hours, else the subject's team's (or tier's). */
  const policyPlan = async (tx: Tx, policyId: string, team: Parameters<typeof defaultHours>[1], tier: RoutingTier): Promise<SlaPlan | Skipped> => {
    const policy = await tx.slaPolicy.findUnique({ where: { id: policyId }, include: { businessHours: true } });
    if (!policy) throw ApplicationFailure.nonRetryable(`SLA policy ${policyId} does not exist.`, 'RuleActionRefused');
    if (!policy.enabled) return new Skipped(`SLA policy ${policy.name} is disabled`);
    return slaPlanOf(policy, policy.businessHours ? null : await defaultHours(tx, team, tier));
  };

  /**
   * The webhook's secret, opened from RuleSecret by the action's id. An action scheduled before
   * secrets were write-only still carries the plaintext in its input (its history holds it
   * already): that one is used as it is.
   */
  const webhookSecretOf = async (action: Extract<RunnableAction, { type: 'call_webhook' }>): Promise<string | Failed> => {
    const legacy = (action as { secret?: unknown }).secret;
    if (typeof legacy === 'string') return legacy;
    try {
      const secret = action.secretId ? await readWebhookSecret(db, webhookSecrets, action.secretId) : null;
      return secret ?? new Failed('the webhook has no stored secret (its rule was changed or deleted since): set the secret in the rule again');
    } catch (error) {
      if (error instanceof SecretUnreadableError) return new Failed(error.message);
      throw error;
    }
  };

  /** Email, webhook, a new ticket: effects outside this database transaction. */
  const performOutside = async (subject: RuleSubjectRef, { executionId, index, action, rule }: ActionInput): Promise<Skipped | Failed | undefined> => {
    const people = { customer: true, assignee: true } as const;
    const row =
      'conversationId' in subject
        ? await db.conversation.findUniqueOrThrow({ where: { id: subject.conversationId }, include: people })
        : await db.ticket.findUniqueOrThrow({ where: { id: subject.ticketId }, include: people });
    const recordEvent = (type: EventType, payload: Record<string, unknown>) =>
      db.$transaction(async (tx) =>
        appendEventOfAnyType(tx, { type, actorKind: 'system', internal: true, ...(await scopeOf(tx, subject)), payload: { ...payload, rule } }),
      );
    switch (action.type) {
      case 'send_email': {
        const to = action.to === 'customer' ? row.customer.email : action.to === 'assignee' ? row.assignee?.email : action.address;
        if (!to) return new Skipped(`the ${action.to} has no email address`);
        const result = await mailer.send({ to: [to], subject: action.subject, text: action.body });
        await recordEvent(result.sent ? 'notification.emailed' : 'notification.email_skipped', {
          to: [to],
          subject: action.subject,
          ...(result.sent ? {} : { reason: result.reason }),
        });
        return result.sent ? undefined : new Skipped(result.reason === 'not_configured' ? 'no SMTP server is configured (SMTP_URL)' : 'no recipient');
      }
      case 'call_webhook': {
        const kind = 'conversationId' in subject ? 'conversation' : 'ticket';
        const eventId = `${executionId}:${index}`;
        const payload = {
          id: eventId,
          type: 'rule.webhook',
          occurredAt: new Date().toISOString(),
          rule,
          [kind]: {
            id: row.id,
            number: row.number,
            status: row.status,
            priority: row.priority,
            tier: row.tier,
            teamId: row.teamId,
            assigneeId: row.assigneeId,
            tags: row.tags,
            customerId: row.customerId,
          },
        };
        const secret = await webhookSecretOf(action);
        if (secret instanceof Failed) return secret;
        let response: { status: number };
        try {
          // A non-2xx answer throws: the activity's retries try again, then the failure is recorded.
          response = await postSignedWebhook(action.url, payload, secret, { eventId, timeoutMs: webhookTimeoutMs, policy: outbound });
        } catch (error) {
          if (error instanceof OutboundRefusedError) return new Failed(`refused by the outbound guard: ${error.reason}`);
          throw error;
        }
        // The host only: agents who see the conversation see this event, and a webhook URL's path
        // is often a credential itself (rules, with their URLs, are for admins).
        await recordEvent('rule.webhook_called', { host: new URL(action.url).host, status: response.status, eventId });
        return undefined;
      }
      case 'create_ticket': {
        if (!('conversationId' in subject)) return new Skipped('a ticket cannot raise another ticket');
        const ticketId = await storeTicket(subject.conversationId, action.subject ?? null, `rule:${executionId}:${index}`, rule);
        await startTicketWorkflow(ticketId);
        return undefined;
      }
      default:
        throw new Error(`${action.type} runs inside a transaction`);
    }
  };

  /** The ticket a create_ticket action raises: once per action (its idempotency key), linked to the conversation. */
  const storeTicket = async (
    conversationId: string,
    subjectLine: string | null,
    idempotencyKey: string,
    rule: { id: string; version: number },
  ): Promise<string> => {
    const conversation = await db.conversation.findUniqueOrThrow({
      where: { id: conversationId },
      include: { messages: { where: { authorKind: 'customer' }, orderBy: { createdAt: 'asc' }, take: 1 } },
    });
    const existing = await db.ticket.findUnique({ where: { customerId_idempotencyKey: { customerId: conversation.customerId, idempotencyKey } } });
    if (existing) return existing.id; // a retry after the commit
    const firstMessage = conversation.messages[0]?.body ?? '';
    const id = crypto.randomUUID();
    await db.$transaction(async (tx) => {
      const created = await tx.ticket.create({
        data: {
          id,
          workflowId: ticketWorkflowId(id),
          subject: subjectLine ?? (firstMessage ? subjectFrom(firstMessage) : `Conversation #${conversation.number}`),
          description: firstMessage,
          priority: conversation.priority,
          customerId: conversation.customerId,
          teamId: conversation.teamId,
          tier: conversation.tier,
          idempotencyKey,
          conversations: { create: { conversationId } },
        },
        include: ticketInclude,
      });
      await appendEvent(tx, {
        type: 'ticket.created',
        actorKind: 'system',
        ticketId: id,
        ...ticketScope(created),
        payload: { ticket: toTicketView(created), conversationId, rule },
      });
    });
    return id;
  };

  /** Starts the ticket's workflow on this worker's task queue; one already running is fine. */
  const startTicketWorkflow = async (ticketId: string) => {
    const input: TicketWorkflowInput = { ticketId };
    try {
      await temporal.workflow.start(ticketWorkflowName, { taskQueue: Context.current().info.taskQueue, workflowId: ticketWorkflowId(ticketId), args: [input] });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  };

  /** Runs one action once: a retry after its outcome was recorded changes nothing. */
  const runAction = async <Result extends ActionEffects>(
    subject: RuleSubjectRef,
    input: ActionInput,
    unchanged: Result,
    perform: (tx: Tx) => Promise<Result | Skipped>,
  ): Promise<Result> => {
    const { executionId, index, action } = input;
    const outcomeOf = (execution: { actions: unknown }) => (execution.actions as Outcome[])[index]?.status;
    if (outcomeOf(await db.ruleExecution.findUniqueOrThrow({ where: { id: executionId } })) === 'done') return unchanged;
    const skippedOutcome = (skipped: Skipped) => ({ status: 'skipped' as const, note: skipped.reason });
    if (action.type === 'send_email' || action.type === 'call_webhook' || action.type === 'create_ticket') {
      const outcome = await performOutside(subject, input);
      await setOutcome(
        db,
        executionId,
        index,
        outcome instanceof Failed ? { status: 'failed', note: outcome.reason.slice(0, 500) } : outcome ? skippedOutcome(outcome) : { status: 'done' },
      );
      return unchanged;
    }
    return db.$transaction(async (tx) => {
      const result = await perform(tx);
      await setOutcome(tx, executionId, index, result instanceof Skipped ? skippedOutcome(result) : { status: 'done' });
      return result instanceof Skipped ? unchanged : result;
    });
  };

  const matchRules: RuleActivities['matchRules'] = async ({ subject, event, dueAfter }) => {
    const kind = 'conversationId' in subject ? 'conversation' : 'ticket';
    const rules = await enabledRules(kind);
    // Most events fire no rule: the subject is read only when one may fire or a timer is due.
    const watching = [...new Set(rules.map((rule) => rule.trigger.on))];
    if (!rules.some((rule) => rule.trigger.on === event.on || rule.trigger.on === 'time_elapsed')) return { runs: [], nextDueAt: null, watching };
    const facts = 'conversationId' in subject ? await conversationFacts(subject.conversationId, event) : await ticketFacts(subject.ticketId);
    const names = new Map(rules.map((rule) => [rule.id, rule.name]));
    const now = new Date();
    // Why each matched rule ran (domain/explanation.ts): its conditions with the values it saw.
    const byId = new Map(rules.map((rule) => [rule.id, rule]));
    const explain = (ruleId: string): RuleExplanation | undefined => {
      const rule = byId.get(ruleId);
      return rule && { kind: 'rule', ruleName: rule.name, trigger: event.on, ...traceConditions(rule.conditions, facts, now) };
    };
    const runs = await record(subject, event, planRules(rules, event, facts, now), names, explain);
    return { runs, nextDueAt: nextTimeTriggerDue(rules, facts, new Date(dueAfter))?.toISOString() ?? null, watching };
  };

  return {
    matchRules,

    async evaluateRules({ conversationId, event }) {
      return (await matchRules({ subject: { conversationId }, event, dueAfter: new Date().toISOString() })).runs;
    },

    async runRuleAction(input) {
      if (input.quiet && writesToCustomer(input.action)) {
        await setOutcome(db, input.executionId, input.index, { status: 'skipped', note: quietConversationNote });
        return noChange;
      }
      return runAction({ conversationId: input.conversationId }, input, noChange, (tx) =>
        performOnConversation(tx, input.conversationId, input.action, input.rule),
      );
    },

    runTicketRuleAction(input) {
      return runAction({ ticketId: input.ticketId }, input, noTicketChange, (tx) => performOnTicket(tx, input.ticketId, input.action, input.rule));
    },

    async recordRuleActionFailure({ executionId, index, error }) {
      await setOutcome(db, executionId, index, { status: 'failed', note: error.slice(0, 500) });
    },
  };
}
