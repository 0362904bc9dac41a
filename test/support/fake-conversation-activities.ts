// In-memory stand-ins for the conversation workflow's activities, for workflow tests on the
// time-skipping server. They record each call with the (skipped) server time it was scheduled at.
import { Context } from '@temporalio/activity';
import type { ConversationActivities, PreparedConversation } from '../../activities/conversation-activities.js';
import type { Presence } from '../../domain/vocabulary.js';
import type { SlaPlan } from '../../workflows/conversation.messages.js';

export interface RecordedCall {
  name: keyof ConversationActivities;
  input: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted field by field
  /** Server time the activity was scheduled at (moves with time skipping). */
  at: number;
}

export interface FakeOptions {
  prepared: PreparedConversation;
  /** Agents findAssignee offers, first one wins; change with setAvailable. */
  available?: string[];
  plansByPriority?: Partial<Record<string, SlaPlan | null>>;
  presence?: Presence;
}

export function fakeConversationActivities(options: FakeOptions) {
  const calls: RecordedCall[] = [];
  let available = options.available ?? [];
  const record = <T>(name: keyof ConversationActivities, input: unknown, result: T): T => {
    calls.push({ name, input, at: Context.current().info.scheduledTimestampMs });
    return result;
  };
  const activities: ConversationActivities = {
    prepareConversation: async (input) => record('prepareConversation', input, options.prepared),
    resolveSlaPlan: async (input) => record('resolveSlaPlan', input, options.plansByPriority?.[input.priority] ?? options.prepared.sla),
    findAssignee: async (input) => record('findAssignee', input, { agentId: available[0] ?? null }),
    assignConversation: async (input) => record('assignConversation', input, { assigned: true, teamId: 'team-frontline' }),
    moveToTeam: async (input) => record('moveToTeam', input, { tier: 'expert' as const, name: 'Specialists' }),
    applyConversationChange: async (input) => record('applyConversationChange', input, undefined),
    saveSla: async (input) => record('saveSla', input, undefined),
    escalate: async (input) =>
      record('escalate', input, {
        state: input.step.action === 'raise_priority' ? { priority: 'high' as const } : input.step.action === 'move_to_expert' ? { tier: 'expert' as const } : {},
        requeue: input.step.action === 'move_to_expert',
      }),
    mergeConversations: async (input) => record('mergeConversations', input, undefined),
    offerQueuedConversations: async (input) => record('offerQueuedConversations', input, 0),
    agentPresence: async (input) => record('agentPresence', input, options.presence ?? 'online'),
  };
  return {
    activities,
    calls,
    setAvailable: (agents: string[]) => void (available = agents),
    named: (name: keyof ConversationActivities) => calls.filter((call) => call.name === name),
  };
}
