// The console's calls to the SLA policy endpoints (api/README.md, "Endpoints"). Agents may read
// them; only admins change them, and only admins reach this screen.
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';
import type { SlaPolicyChange, SlaPolicyView } from './sla-policy-types';

export interface SlaPolicyApi {
  listSlaPolicies(signal?: AbortSignal): Promise<{ slaPolicies: SlaPolicyView[] }>;
  /** The server re-plans the running conversations and tickets that use the policy. */
  updateSlaPolicy(id: string, change: SlaPolicyChange): Promise<{ slaPolicy: SlaPolicyView }>;
}

export function createSlaPolicyApi(request: HttpClient): SlaPolicyApi {
  return {
    listSlaPolicies: (signal) => request('GET', '/api/sla-policies', { signal }),
    updateSlaPolicy: (id, change) => request('PATCH', `/api/sla-policies/${encodeURIComponent(id)}`, { body: change }),
  };
}

/** Bound to the session; a 401 is checked through the session's own client, which signs out. */
export const slaPolicyApi = createSlaPolicyApi(sessionRequest);
