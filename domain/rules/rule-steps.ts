// What the timeline may tell of a rule's action: its type and the one setting that says what it
// did ("set priority to High", "added tag vip"). Never a text, an address, a URL or a secret:
// the rule.matched event keeps them out, and the journey reads these words from the steps.
import type { AgentTier, Priority } from '../vocabulary.js';
import type { Action } from './rule-schema.js';

export type RuleStep =
  | { type: 'set_priority'; priority: Priority }
  | { type: 'add_tag' | 'remove_tag'; tag: string }
  | { type: 'assign_agent'; agentId: string }
  | { type: 'assign_team'; teamId: string }
  | { type: 'assign_tier'; tier: AgentTier }
  | { type: 'set_status'; status: 'snooze' | 'resolve' | 'close' }
  | { type: Exclude<Action['type'], 'set_priority' | 'add_tag' | 'remove_tag' | 'assign_agent' | 'assign_team' | 'assign_tier' | 'set_status'> };

export function ruleStepOf(action: Action): RuleStep {
  switch (action.type) {
    case 'set_priority':
      return { type: action.type, priority: action.priority };
    case 'add_tag':
    case 'remove_tag':
      return { type: action.type, tag: action.tag };
    case 'assign_agent':
      return { type: action.type, agentId: action.agentId };
    case 'assign_team':
      return { type: action.type, teamId: action.teamId };
    case 'assign_tier':
      return { type: action.type, tier: action.tier };
    case 'set_status':
      return { type: action.type, status: action.status };
    default:
      return { type: action.type };
  }
}
