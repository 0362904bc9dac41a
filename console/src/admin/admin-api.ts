// The console's calls to the admin endpoints (api/README.md, "Endpoints"): agents, teams,
// business hours, channels, self-service settings, API keys, the audit log. Admins only reach
// these screens; the API answers 403 to anyone else.
import type { CalibrationView } from '../../../contract/calibration';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';
import type {
  AgentChange,
  AgentView,
  ApiKeyView,
  AuditEventView,
  BusinessHoursDraft,
  BusinessHoursView,
  ChannelView,
  ImapSettings,
  SelfServiceSettings,
  TeamView,
  imapBodyOf,
  imapTestBodyOf,
} from './admin-types';

/** POST /api/channels/:id/imap/test: the login worked (the folder's size), or why not. */
export type ImapTestResult =
  { ok: true; mailbox: { path: string; messages: number; uidValidity: string | number } } | { ok: false; code: string; message: string };

export interface TeamInput {
  name?: string;
  tier?: string;
  leadId?: string | null;
  businessHoursId?: string | null;
}

export function createAdminApi(request: HttpClient) {
  const id = (value: string) => encodeURIComponent(value);
  return {
    users: (signal?: AbortSignal) => request<{ users: AgentView[] }>('GET', '/api/users', { signal }),
    updateUser: (userId: string, change: AgentChange) => request<{ user: AgentView }>('PATCH', `/api/users/${id(userId)}`, { body: change }),
    teams: (signal?: AbortSignal) => request<{ teams: TeamView[] }>('GET', '/api/teams', { signal }),
    createTeam: (input: TeamInput) => request<{ team: TeamView }>('POST', '/api/teams', { body: input }),
    updateTeam: (teamId: string, change: TeamInput) => request<{ team: TeamView }>('PATCH', `/api/teams/${id(teamId)}`, { body: change }),
    deleteTeam: (teamId: string) => request<void>('DELETE', `/api/teams/${id(teamId)}`),
    businessHours: (signal?: AbortSignal) => request<{ businessHours: BusinessHoursView[] }>('GET', '/api/business-hours', { signal }),
    createBusinessHours: (input: Partial<BusinessHoursDraft>) => request<{ businessHours: BusinessHoursView }>('POST', '/api/business-hours', { body: input }),
    updateBusinessHours: (hoursId: string, change: Partial<BusinessHoursDraft>) =>
      request<{ businessHours: BusinessHoursView }>('PATCH', `/api/business-hours/${id(hoursId)}`, { body: change }),
    deleteBusinessHours: (hoursId: string) => request<void>('DELETE', `/api/business-hours/${id(hoursId)}`),
    channels: (signal?: AbortSignal) => request<{ channels: ChannelView[] }>('GET', '/api/channels', { signal }),
    updateChannel: (channelId: string, change: { name?: string; enabled?: boolean; settings?: Record<string, unknown> }) =>
      request<{ channel: ChannelView }>('PATCH', `/api/channels/${id(channelId)}`, { body: change }),
    /** A new secret for an email channel's inbound webhook, shown this once (the previous one stops working). */
    rotateInboundEmailSecret: (channelId: string) =>
      request<{ secret: string; path: string; header: string }>('POST', `/api/channels/${id(channelId)}/inbound-email-secret`, { body: {} }),
    /** Replaces an email channel's IMAP settings (`password` left out: the stored one is kept). */
    saveImap: (channelId: string, body: ReturnType<typeof imapBodyOf>) =>
      request<{ imap: ImapSettings }>('PUT', `/api/channels/${id(channelId)}/imap`, { body }),
    /** Logs in with the stored settings, these fields replacing theirs; saves nothing. */
    testImap: (channelId: string, body: ReturnType<typeof imapTestBodyOf>) =>
      request<ImapTestResult>('POST', `/api/channels/${id(channelId)}/imap/test`, { body }),
    selfService: (signal?: AbortSignal) => request<{ selfService: SelfServiceSettings }>('GET', '/api/settings/self-service', { signal }),
    updateSelfService: (change: Partial<SelfServiceSettings>) =>
      request<{ selfService: SelfServiceSettings }>('PATCH', '/api/settings/self-service', { body: change }),
    calibration: (signal?: AbortSignal) => request<{ calibration: CalibrationView }>('GET', '/api/settings/self-service/calibration', { signal }),
    recalibrate: () => request<{ requested: true }>('POST', '/api/settings/self-service/calibration/recalibrate', { body: {} }),
    /** The providers that served AI calls in the last 30 days: the nearest the API comes to saying which is configured. */
    aiUsage: (signal?: AbortSignal) => request<{ calls: { provider: string; model: string; calls: number }[] }>('GET', '/api/reports/ai-usage', { signal }),
    apiKeys: (signal?: AbortSignal) => request<{ apiKeys: ApiKeyView[] }>('GET', '/api/api-keys', { signal }),
    /** The answer holds the only copy of the key. */
    createApiKey: (input: { name: string; scopes: string[] }) => request<{ key: string; apiKey: ApiKeyView }>('POST', '/api/api-keys', { body: input }),
    revokeApiKey: (keyId: string) => request<void>('DELETE', `/api/api-keys/${id(keyId)}`),
    auditEvents: (query: string, signal?: AbortSignal) =>
      request<{ events: AuditEventView[]; nextBefore: string | null }>('GET', `/api/audit-events?${query}`, { signal }),
  };
}
export type AdminApi = ReturnType<typeof createAdminApi>;

/** Bound to the session; a 401 is checked through the session's own client, which signs out. */
export const adminApi = createAdminApi(sessionRequest);
