// In-memory stand-ins for the conversation workflow's activities, for workflow tests on the
// time-skipping server. They record each call with the (skipped) server time it ran at.
import { startConversationWith, type ConversationActivities, type PreparedConversation } from '../../activities/conversation-activities.js';
import type { AiActivities } from '../../activities/ai-activities.js';
import type { NotificationActivities } from '../../activities/notification-activities.js';
import type { RuleActivities, RuleMatch } from '../../activities/rule-activities.js';
import type { Presence } from '../../domain/vocabulary.js';
import type { SlaPlan } from '../../workflows/conversation.messages.js';

type Activities = ConversationActivities & AiActivities & NotificationActivities & RuleActivities;

export interface RecordedCall {
  name: keyof Activities;
  input: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted field by field
  /** Server time when the activity ran (moves with time skipping). */
  at: number;
}

export interface FakeOptions {
  prepared: PreparedConversation;
  /** Agents findAssignee offers, first one wins; change with setAvailable. */
  available?: string[];
  plansByPriority?: Partial<Record<string, SlaPlan | null>>;
  presence?: Presence;
  /** The bot answers the first message (and waits this many minutes); default: it declines. */
  botIdleMinutes?: number;
  /** What rule matching answers (a test's automation rules); default: no rule ever fires. */
  matchRules?: (input: Parameters<RuleActivities['matchRules']>[0]) => RuleMatch;
  /** The test server's current time; local activities carry no server timestamp of their own. */
  serverTime: () => Promise<number>;
}

export function fakeConversationActivities(options: FakeOptions) {
  const calls: RecordedCall[] = [];
  let available = options.available ?? [];
  const record = async <T>(name: keyof Activities, input: unknown, result: T): Promise<T> => {
    calls.push({ name, input, at: await options.serverTime() });
    return result;
  };
  const activities: Activities = {
    // The three steps it joins, as the real one: recorded as the calls it makes, at the server's time.
    startConversation: async (input) => {
      const at = new Date(await options.serverTime());
      return startConversationWith(activities, input, () => at);
    },
    prepareConversation: (input) => record('prepareConversation', input, options.prepared),
    resolveSlaPlan: (input) => record('resolveSlaPlan', input, options.plansByPriority?.[input.priority] ?? options.prepared.sla),
    findAssignee: (input) => record('findAssignee', input, { agentId: available[0] ?? null }),
    assignConversation: (input) => record('assignConversation', input, { assigned: true, teamId: 'team-frontline' }),
    // Both steps in one activity, as the real one: recorded as the two calls it makes.
    routeConversation: async (input) => {
      const { agentId } = await activities.findAssignee(input);
      if (!agentId) return { agentId, assigned: false, teamId: null };
      return { agentId, ...(await activities.assignConversation({ conversationId: input.conversationId, agentId, checkCapacity: true, actorId: null })) };
    },
    moveToTeam: (input) => record('moveToTeam', input, { tier: 'expert' as const, name: 'Specialists' }),
    applyConversationChange: (input) => record('applyConversationChange', input, undefined),
    saveSla: (input) => record('saveSla', input, undefined),
    escalate: (input) =>
      record('escalate', input, {
        state:
          input.step.action === 'raise_priority' ? { priority: 'high' as const } : input.step.action === 'move_to_expert' ? { tier: 'expert' as const } : {},
        requeue: input.step.action === 'move_to_expert',
      }),
    mergeConversations: (input) => record('mergeConversations', input, undefined),
    offerQueuedConversations: (input) => record('offerQueuedConversations', input, 0),
    agentPresence: (input) => record('agentPresence', input, options.presence ?? 'online'),
    answerWithBot: (input) =>
      record(
        'answerWithBot',
        input,
        options.botIdleMinutes
          ? { answered: true as const, confidence: 0.97, idleMinutes: options.botIdleMinutes }
          : { answered: false as const, reason: 'disabled' },
      ),
    classifyWithModel: (input) => record('classifyWithModel', input, { tier: 'expert' as const, skill: 'technical' }),
    emailSlaBreach: (input) => record('emailSlaBreach', input, undefined),
    // No rules unless a test gives some: rule matching has its own tests (domain/rules, test/rules*).
    evaluateRules: (input) => record('evaluateRules', input, []),
    matchRules: (input) => record('matchRules', input, options.matchRules?.(input) ?? { runs: [], nextDueAt: null }),
    runRuleAction: (input) => record('runRuleAction', input, { state: {}, requeue: false, freedSeatOf: null }),
    runTicketRuleAction: (input) => record('runTicketRuleAction', input, { state: {}, freedSeatOf: null }),
    recordRuleActionFailure: (input) => record('recordRuleActionFailure', input, undefined),
    handOffToHuman: (input) => record('handOffToHuman', input, { summary: 'Customer asks about a pending transfer.' }),
  };
  return {
    activities,
    calls,
    setAvailable: (agents: string[]) => void (available = agents),
    named: (name: keyof Activities) => calls.filter((call) => call.name === name),
  };
}
