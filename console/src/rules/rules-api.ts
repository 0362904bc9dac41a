// The console's calls to the automation rule endpoints (api/README.md, "Automation rules"), and
// the directories the editor's menus need (teams, users, SLA policies). Agents may read rules;
// only admins write, reorder, import and dry-run them, and only admins reach these screens.
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';
import type { UserView } from '../shared/wire-types';
import type { DryRunResult, RuleDefinition, RuleExecutionView, RuleVersionView, RuleView, SlaPolicyOption, TeamOption } from './rule-types';

export interface RulesApi {
  listRules(signal?: AbortSignal): Promise<{ rules: RuleView[] }>;
  getRule(id: string, signal?: AbortSignal): Promise<{ rule: RuleView; versions: RuleVersionView[] }>;
  createRule(definition: RuleDefinition): Promise<{ rule: RuleView }>;
  /** Any part of the definition; each PATCH is a new version (switching on or off too). */
  updateRule(id: string, change: Partial<RuleDefinition>): Promise<{ rule: RuleView }>;
  deleteRule(id: string): Promise<void>;
  /** Every rule id exactly once, in the new order. */
  reorderRules(ids: string[]): Promise<{ rules: RuleView[] }>;
  listExecutions(id: string, limit?: number, signal?: AbortSignal): Promise<{ executions: RuleExecutionView[] }>;
  dryRun(rule: RuleDefinition, days: number): Promise<DryRunResult>;
  exportRules(): Promise<RuleDefinition[]>;
  /** Appended after the existing rules, all or none. */
  importRules(rules: unknown[]): Promise<{ rules: RuleView[] }>;
  listTeams(signal?: AbortSignal): Promise<{ teams: TeamOption[] }>;
  listUsers(signal?: AbortSignal): Promise<{ users: UserView[] }>;
  listSlaPolicies(signal?: AbortSignal): Promise<{ slaPolicies: SlaPolicyOption[] }>;
}

export function createRulesApi(request: HttpClient): RulesApi {
  const rule = (id: string) => `/api/rules/${encodeURIComponent(id)}`;
  return {
    listRules: (signal) => request('GET', '/api/rules', { signal }),
    getRule: (id, signal) => request('GET', rule(id), { signal }),
    createRule: (definition) => request('POST', '/api/rules', { body: definition }),
    updateRule: (id, change) => request('PATCH', rule(id), { body: change }),
    deleteRule: (id) => request('DELETE', rule(id)),
    reorderRules: (ids) => request('POST', '/api/rules/reorder', { body: { ids } }),
    listExecutions: (id, limit = 50, signal) => request('GET', `${rule(id)}/executions?limit=${limit}`, { signal }),
    dryRun: (definition, days) => request('POST', '/api/rules/dry-run', { body: { rule: definition, days } }),
    exportRules: () => request('GET', '/api/rules/export'),
    importRules: (rules) => request('POST', '/api/rules/import', { body: { rules } }),
    listTeams: (signal) => request('GET', '/api/teams', { signal }),
    listUsers: (signal) => request('GET', '/api/users', { signal }),
    listSlaPolicies: (signal) => request('GET', '/api/sla-policies', { signal }),
  };
}

/** Bound to the session; a 401 is checked through the session's own client, which signs out. */
export const rulesApi = createRulesApi(sessionRequest);
