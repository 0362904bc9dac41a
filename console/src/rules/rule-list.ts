// The rule list's pure parts: the ids of a reorder, the import file as read, the export's file
// name, and one line about an action for dry-run results and executions.
import { move } from './rule-draft';
import type { Action } from './rule-types';

/** The POST /api/rules/reorder body after moving one rule up (-1) or down (+1); null at an end. */
export function reorderedIds(ids: readonly string[], index: number, delta: -1 | 1): string[] | null {
  const target = index + delta;
  if (index < 0 || index >= ids.length || target < 0 || target >= ids.length) return null;
  return move(ids, index, delta);
}

export type ImportFile = { rules: unknown[] } | { problem: 'notJson' | 'notRules' | 'empty' };

/**
 * An import file: what GET /api/rules/export wrote (a JSON array of definitions) or the import
 * body itself (`{ "rules": [...] }`). The definitions are the server's to check.
 */
export function readImportFile(text: string): ImportFile {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { problem: 'notJson' };
  }
  const rules = Array.isArray(json)
    ? json
    : typeof json === 'object' && json !== null && Array.isArray((json as { rules?: unknown }).rules)
      ? (json as { rules: unknown[] }).rules
      : null;
  if (!rules) return { problem: 'notRules' };
  return rules.length === 0 ? { problem: 'empty' } : { rules };
}

/** `seamless-rules-2026-11-24.json`, the date in the admin's time zone. */
export function exportFileName(now: Date, timeZone?: string): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return `seamless-rules-${day}.json`;
}

export interface NameLookups {
  team: (id: string) => string | null;
  user: (id: string) => string | null;
  slaPolicy: (id: string) => string | null;
}

/** The parameter that tells the action apart (`urgent`, `refund`, a team's name), or ''. */
export function actionDetail(action: Action, names: NameLookups): string {
  switch (action.type) {
    case 'assign_agent':
      return names.user(action.agentId) ?? action.agentId;
    case 'assign_team':
      return names.team(action.teamId) ?? action.teamId;
    case 'apply_sla_policy':
      return names.slaPolicy(action.policyId) ?? action.policyId;
    case 'assign_tier':
      return action.tier;
    case 'set_priority':
      return action.priority;
    case 'add_tag':
    case 'remove_tag':
      return action.tag;
    case 'set_status':
      return action.status;
    case 'send_reply':
    case 'send_bot_message':
    case 'add_note':
      return action.text;
    case 'create_ticket':
      return action.subject ?? '';
    case 'send_email':
      return action.to === 'address' ? `${action.address}: ${action.subject}` : action.subject;
    case 'call_webhook':
      return action.url;
    case 'start_follow_up':
      return action.steps[0]?.text ?? '';
    case 'escalate':
    case 'stop':
      return '';
    default:
      return ((_unknown: never) => '')(action);
  }
}
