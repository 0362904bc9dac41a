// Automation rules inside the conversation workflow: loading the enabled rules and matching them
// against the conversation's snapshot (the pure planner of domain/rules, shared with the API's
// dry-run), then running each matched action as its own activity. Every evaluation of a fired
// rule is a RuleExecution row; each action's outcome is written into it, and each change an
// action makes carries `payload.rule` in the event log (the conversation's timeline).
import { ApplicationFailure } from '@temporalio/common';
import { parseBusinessCalendar } from '../domain/business-hours.js';
import { classifyMessage } from '../domain/classification.js';
import { raisedPriority } from '../domain/priority.js';
import { planRules, type PlannableRule, type RuleEvent, type RuleFacts } from '../domain/rules/matcher.js';
import type { RunnableAction } from '../domain/rules/rule-schema.js';
import type { Priority, RoutingTier } from '../domain/vocabulary.js';
import type { Db, Tx } from '../infra/db.js';
import { appendEvent } from '../infra/event-log.js';
import { conversationScope } from '../infra/views.js';
import type { Prisma } from '../prisma/generated/client.js';
import type { ConversationState } from '../workflows/conversation.messages.js';
import { addSystemMessage, changeConversation } from './conversation-writes.js';

/** A matched rule's actions, with the execution row their outcomes go to. */
export interface RuleRun {
  ruleId: string;
  version: number;
  executionId: string;
  actions: RunnableAction[];
}

export interface RuleActionResult {
  /** What changed, for the workflow to mirror. */
  state: Partial<Pick<ConversationState, 'priority' | 'tier' | 'teamId' | 'assigneeId' | 'status' | 'resolvedAt' | 'waitingOn'>>;
  /** The holder no longer fits (tier or team changed): route again. */
  requeue: boolean;
  /** A seat this agent held is free now (the rule resolved the conversation). */
  freedSeatOf: string | null;
}

export interface RuleActivities {
  /** Matches the enabled rules against the conversation for this event; records each fired rule. */
  evaluateRules(input: { conversationId: string; event: RuleEvent }): Promise<RuleRun[]>;
  /** Runs one action of a matched rule and records its outcome. */
  runRuleAction(input: { conversationId: string; executionId: string; index: number; action: RunnableAction; rule: { id: string; version: number } }): Promise<RuleActionResult>;
  /** Records an action that failed after its retries (the others still run). */
  recordRuleActionFailure(input: { executionId: string; index: number; error: string }): Promise<void>;
}

type Outcome = { type: string; status: 'done' | 'failed' | 'skipped' | 'pending'; note?: string };

const noChange: RuleActionResult = { state: {}, requeue: false, freedSeatOf: null };

export function createRuleActivities({ db }: { db: Db }): RuleActivities {
  const setOutcome = async (tx: Tx | Db, executionId: string, index: number, outcome: Omit<Outcome, 'type'>) => {
    const execution = await tx.ruleExecution.findUniqueOrThrow({ where: { id: executionId } });
    const outcomes = execution.actions as Outcome[];
    outcomes[index] = { ...outcomes[index]!, ...outcome };
    await tx.ruleExecution.update({ where: { id: executionId }, data: { actions: outcomes as Prisma.InputJsonValue } });
  };

  const factsOf = async (conversationId: string, event: RuleEvent): Promise<RuleFacts> => {
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
    const trigger = event.on === 'message_received' ? (event.from === 'customer' ? lastCustomer : lastAgent) : event.on === 'conversation_created' ? lastCustomer : null;
    const classified = trigger ? classifyMessage(trigger.body, conversation.customer) : null;
    const hours = conversation.team?.businessHours;
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
      message: trigger && classified ? { authorKind: trigger.authorKind, text: trigger.body, intent: classified.intent, sentiment: classified.sentiment } : null,
      counts: { messages, reopens: conversation.reopenCount },
      times: {
        created: conversation.createdAt.toISOString(),
        status_changed: conversation.updatedAt.toISOString(),
        last_customer_message: lastCustomer?.createdAt.toISOString() ?? null,
        last_agent_message: lastAgent?.createdAt.toISOString() ?? null,
        assigned: assigned?.occurredAt.toISOString() ?? null,
      },
      calendar: hours ? parseBusinessCalendar({ timeZone: hours.timeZone, weekly: hours.weekly, holidays: hours.holidays }) : null,
    };
  };

  /** One action's write, with its event carrying the rule that caused it. */
  const perform = async (tx: Tx, conversationId: string, action: RunnableAction, rule: { id: string; version: number }): Promise<RuleActionResult | 'unsupported'> => {
    const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { assignee: true } });
    const byRule = { actorKind: 'system' as const, actorId: null };
    const event = (type: string, payload: Record<string, unknown> = {}, internal = false) => ({ ...byRule, type, internal, payload: { ...payload, rule } });
    switch (action.type) {
      case 'set_priority':
      case 'escalate': {
        const priority: Priority = action.type === 'set_priority' ? action.priority : raisedPriority(conversation.priority);
        await changeConversation(tx, conversationId, { priority }, event(action.type === 'escalate' ? 'conversation.escalated' : 'conversation.priority_changed', { from: conversation.priority, to: priority }));
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
        await changeConversation(tx, conversationId, { teamId: team.id, tier: team.tier }, event('conversation.team_changed', { teamId: team.id, teamName: team.name }));
        const holderFits = !conversation.assignee || conversation.assignee.teamId === team.id;
        return { ...noChange, state: { teamId: team.id, tier: team.tier }, requeue: !holderFits };
      }
      case 'assign_agent': {
        const agent = await tx.user.findUnique({ where: { id: action.agentId } });
        if (!agent || agent.role !== 'agent') throw ApplicationFailure.nonRetryable(`Agent ${action.agentId} does not exist.`, 'RuleActionRefused');
        const status = conversation.status === 'queued' || conversation.status === 'bot' ? 'open' : conversation.status;
        await changeConversation(tx, conversationId, { assigneeId: agent.id, teamId: agent.teamId ?? conversation.teamId, status }, event('conversation.assigned', { previousAssigneeId: conversation.assigneeId }));
        return { ...noChange, state: { assigneeId: agent.id, teamId: agent.teamId ?? conversation.teamId, status } };
      }
      case 'add_tag':
      case 'remove_tag': {
        const tags = action.type === 'add_tag' ? [...new Set([...conversation.tags, action.tag])] : conversation.tags.filter((tag) => tag !== action.tag);
        await changeConversation(tx, conversationId, { tags }, event(action.type === 'add_tag' ? 'conversation.tag_added' : 'conversation.tag_removed', { tag: action.tag }));
        return noChange;
      }
      case 'add_note':
      case 'send_reply':
      case 'send_bot_message': {
        const isNote = action.type === 'add_note';
        await addSystemMessage(tx, conversationId, { authorKind: action.type === 'send_bot_message' ? 'bot' : 'system', body: action.text, private: isNote, metadata: { kind: 'rule_message', rule } });
        return noChange;
      }
      case 'set_status': {
        if (action.status !== 'resolve' || !['bot', 'queued', 'open', 'snoozed'].includes(conversation.status)) return 'unsupported';
        const resolvedAt = new Date();
        await changeConversation(tx, conversationId, { status: 'resolved', waitingOn: null, resolvedAt }, event('conversation.resolved'));
        return { ...noChange, state: { status: 'resolved', waitingOn: null, resolvedAt: resolvedAt.toISOString() }, freedSeatOf: conversation.assigneeId };
      }
      default:
        return 'unsupported';
    }
  };

  return {
    async evaluateRules({ conversationId, event }) {
      const stored = await db.automationRule.findMany({ where: { enabled: true, scope: { in: ['conversation', 'both'] } } });
      if (stored.length === 0) return [];
      const rules = stored.map((rule) => ({ ...rule, trigger: rule.trigger, conditions: rule.conditions, actions: rule.actions }) as unknown as PlannableRule);
      const plans = planRules(rules, event, await factsOf(conversationId, event), new Date());
      const runs: RuleRun[] = [];
      for (const plan of plans) {
        const outcomes: Outcome[] = plan.actions.map((action) => ({ type: action.type, status: 'pending' }));
        const execution = await db.$transaction(async (tx) => {
          const row = await tx.ruleExecution.create({
            data: { ruleId: plan.ruleId, version: plan.version, trigger: event.on, conversationId, matched: plan.matched, actions: outcomes as Prisma.InputJsonValue, depth: event.depth ?? 0 },
          });
          if (plan.matched) {
            // In the conversation's timeline: which rule matched, on what, and what it will do.
            const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId } });
            await appendEvent(tx, {
              type: 'rule.matched',
              actorKind: 'system',
              conversationId,
              internal: true,
              ...conversationScope(conversation),
              payload: { rule: { id: plan.ruleId, version: plan.version }, executionId: row.id, trigger: event.on, actions: outcomes.map((outcome) => outcome.type) },
            });
          }
          return row;
        });
        if (plan.matched) runs.push({ ruleId: plan.ruleId, version: plan.version, executionId: execution.id, actions: plan.actions });
      }
      return runs;
    },

    async runRuleAction({ conversationId, executionId, index, action, rule }) {
      return db.$transaction(async (tx) => {
        const execution = await tx.ruleExecution.findUniqueOrThrow({ where: { id: executionId } });
        if ((execution.actions as Outcome[])[index]?.status === 'done') return noChange; // a retry after the commit
        const result = await perform(tx, conversationId, action, rule);
        if (result === 'unsupported') {
          await setOutcome(tx, executionId, index, { status: 'skipped', note: 'not supported by the conversation workflow yet' });
          return noChange;
        }
        await setOutcome(tx, executionId, index, { status: 'done' });
        return result;
      });
    },

    async recordRuleActionFailure({ executionId, index, error }) {
      await setOutcome(db, executionId, index, { status: 'failed', note: error.slice(0, 500) });
    },
  };
}
