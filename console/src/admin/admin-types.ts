// The wire shapes of the admin endpoints (api/routes/user-, team-, business-hours-, channel-,
// settings-, api-key- and audit-routes.ts) and the admin pages' pure form logic: drafts, the
// PATCH bodies, which field each 400 problem belongs to, the audit diff. Pure, so it is
// unit-tested without a browser.
import type { OpeningInterval } from '../../../domain/business-hours';
import type { AgentTier } from '../../../domain/vocabulary';
import type { BusinessHoursView, ChannelView, UserView } from '../../../contract/views';
import type { Translate } from '../i18n/create-i18n';
import type { MessageKey } from '../i18n/messages-en';

export type { ApiKeyView, AuditEventView, BusinessHoursView, ChannelView, TeamView } from '../../../contract/views';
/** An agent as the admin pages edit it: GET /api/users. */
export type AgentView = UserView;

export type { SelfServiceSettings } from '../../../domain/self-service';

/** The server's 400 problems by field (`details[].path`); the rest under `form`. */
export type FieldErrors = Record<string, string[]>;

export function fieldErrorsOf(details: unknown, fields: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  if (!Array.isArray(details)) return errors;
  for (const detail of details as unknown[]) {
    if (typeof detail !== 'object' || detail === null) continue;
    const { path, message } = detail as { path?: unknown; message?: unknown };
    if (typeof message !== 'string' || !message) continue;
    // Nested paths (weekly.2.close, settings.allowedOrigins.0) belong to their first segment.
    const head = typeof path === 'string' ? path.split('.')[0]! : '';
    const field = fields.includes(head) ? head : 'form';
    (errors[field] ??= []).push(typeof path === 'string' && path !== head && field !== 'form' ? `${path.slice(head.length + 1)}: ${message}` : message);
  }
  return errors;
}

// ---- Agents ----

export interface AgentDraft {
  tier: AgentTier;
  teamId: string | null;
  skills: string[];
  capacity: string | number;
}
export type AgentChange = Partial<{ tier: AgentTier; teamId: string | null; skills: string[]; capacity: number }>;

export const agentDraftOf = (agent: AgentView): AgentDraft => ({
  tier: agent.tier,
  teamId: agent.teamId,
  skills: [...agent.skills],
  capacity: String(agent.capacity),
});

/** Adds the typed skill(s) (comma-separated) once each, trimmed; the tags input's Enter. */
export function addSkills(skills: readonly string[], text: string): string[] {
  const next = [...skills];
  for (const part of text.split(',')) {
    const skill = part.trim();
    if (skill && !next.some((known) => known.toLowerCase() === skill.toLowerCase())) next.push(skill);
  }
  return next;
}

/** The PATCH /api/users/:id body, or `notWhole` for a capacity that is not a whole number (ranges are the server's). */
export function agentChangesOf(agent: AgentView, draft: AgentDraft): { changes: AgentChange; errors: FieldErrors } {
  const changes: AgentChange = {};
  const errors: FieldErrors = {};
  const capacity = String(draft.capacity).trim();
  if (!/^-?\d+$/.test(capacity)) errors.capacity = ['notWhole'];
  else if (Number(capacity) !== agent.capacity) changes.capacity = Number(capacity);
  if (draft.tier !== agent.tier) changes.tier = draft.tier;
  if (draft.teamId !== agent.teamId) changes.teamId = draft.teamId;
  if (draft.skills.length !== agent.skills.length || draft.skills.some((skill, i) => skill !== agent.skills[i])) changes.skills = [...draft.skills];
  return { changes, errors };
}

/**
 * The agent's profile as the form holds it (unsaved) for "Try on past traffic" (a routing_profile
 * what-if); null while the seats are not a whole number of at least 1.
 */
export function routingProfileCandidateOf(agentId: string, draft: AgentDraft): { changes: Record<string, Required<AgentChange>> } | null {
  const capacity = String(draft.capacity).trim();
  if (!/^\d+$/.test(capacity) || Number(capacity) < 1) return null;
  return { changes: { [agentId]: { tier: draft.tier, teamId: draft.teamId, skills: [...draft.skills], capacity: Number(capacity) } } };
}

// ---- Business hours ----

export const weekDays = [1, 2, 3, 4, 5, 6, 0] as const;

/** Close at or before open runs overnight into the next day (22:00-06:00); 24:00 is the end of the day. */
export const isOvernight = (interval: Pick<OpeningInterval, 'open' | 'close'>) => interval.close !== '24:00' && interval.close <= interval.open;

export interface BusinessHoursDraft {
  name: string;
  timeZone: string;
  weekly: OpeningInterval[];
  holidays: string[];
}

export const businessHoursDraftOf = (hours: BusinessHoursView | null, timeZone: string): BusinessHoursDraft =>
  hours
    ? { name: hours.name, timeZone: hours.timeZone, weekly: hours.weekly.map((interval) => ({ ...interval })), holidays: [...hours.holidays] }
    : { name: '', timeZone, weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })), holidays: [] };

/** Adds a holiday date once, kept sorted. */
export function addHoliday(holidays: readonly string[], date: string): string[] {
  return date && !holidays.includes(date) ? [...holidays, date].sort() : [...holidays];
}

/** The body for POST (everything) or PATCH (only what changed) of /api/business-hours. */
export function businessHoursBodyOf(hours: BusinessHoursView | null, draft: BusinessHoursDraft): Partial<BusinessHoursDraft> {
  const body: Partial<BusinessHoursDraft> = {
    name: draft.name.trim(),
    timeZone: draft.timeZone.trim(),
    weekly: draft.weekly.map(({ day, open, close }) => ({ day: Number(day), open, close })),
    holidays: [...draft.holidays],
  };
  if (!hours) return body;
  if (body.name === hours.name) delete body.name;
  if (body.timeZone === hours.timeZone) delete body.timeZone;
  if (JSON.stringify(body.weekly) === JSON.stringify(hours.weekly)) delete body.weekly;
  if (JSON.stringify(body.holidays) === JSON.stringify(hours.holidays)) delete body.holidays;
  return body;
}

// ---- Channels ----

export const allowedOriginsOf = (channel: ChannelView): string[] =>
  Array.isArray(channel.settings.allowedOrigins) ? channel.settings.allowedOrigins.filter((origin): origin is string => typeof origin === 'string') : [];

/** An email channel's mailbox address (what mail is forwarded to), or '' when none is set. */
export const emailAddressOf = (channel: ChannelView): string => (typeof channel.settings.address === 'string' ? channel.settings.address : '');

/** What an email channel's edit form holds: the mailbox and how replies leave (api/admin-fields.ts channelSettings.email). */
export interface EmailChannelDraft {
  address: string;
  fromName: string;
  signature: string;
  replyAll: boolean;
  createTickets: boolean;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The form's values from the stored settings, with the server's defaults (replyAll on, createTickets off). */
export const emailChannelDraftOf = (channel: ChannelView): EmailChannelDraft => ({
  address: emailAddressOf(channel),
  fromName: text(channel.settings.fromName),
  signature: text(channel.settings.signature),
  replyAll: channel.settings.replyAll !== false,
  createTickets: channel.settings.createTickets === true,
});

/**
 * The email channel's settings to PATCH, or null when nothing changed. The server replaces
 * settings whole, so every field goes with any change; an emptied From name or signature is left
 * out (the server refuses an empty one: absent means none).
 */
export function emailSettingsOf(channel: ChannelView, draft: EmailChannelDraft): Record<string, unknown> | null {
  const next: Record<string, unknown> = { ...channel.settings, address: draft.address.trim(), replyAll: draft.replyAll, createTickets: draft.createTickets };
  delete next.fromName;
  delete next.signature;
  if (draft.fromName.trim()) next.fromName = draft.fromName.trim();
  if (draft.signature.trim()) next.signature = draft.signature.trim();
  const before = emailChannelDraftOf(channel);
  const changed =
    next.address !== before.address ||
    text(next.fromName) !== before.fromName.trim() ||
    text(next.signature) !== before.signature.trim() ||
    draft.replyAll !== before.replyAll ||
    draft.createTickets !== before.createTickets;
  return changed ? next : null;
}

/** The email settings the channel form shows at their own fields (a 400's `settings.<field>`). */
export const emailSettingFields = ['address', 'fromName', 'signature', 'replyAll', 'createTickets'] as const;

/** A channel save's 400 problems by field: an email setting's at that setting, the rest as fieldErrorsOf. */
export function channelFieldErrorsOf(details: unknown): FieldErrors {
  const moved = Array.isArray(details)
    ? details.map((detail: unknown) => {
        const path = typeof detail === 'object' && detail !== null ? (detail as { path?: unknown }).path : undefined;
        const [head, setting] = typeof path === 'string' ? path.split('.') : [];
        return head === 'settings' && (emailSettingFields as readonly string[]).includes(setting ?? '') ? { ...(detail as object), path: setting } : detail;
      })
    : details;
  return fieldErrorsOf(moved, ['name', 'enabled', 'settings', ...emailSettingFields]);
}

/** The inbound webhook of an email channel, on the server the console is served from. */
export const inboundWebhookUrl = (origin: string, channelId: string): string => `${origin}/api/inbound/email/${encodeURIComponent(channelId)}`;

// ---- IMAP polling of an email channel ----

export type ImapSettings = NonNullable<ChannelView['imap']>;
export type ImapTls = ImapSettings['tls'];
export const imapTlsOptions: readonly ImapTls[] = ['tls', 'starttls', 'none'];
/** The fields of PUT /api/channels/:id/imap, where the server's 400 problems are shown. */
export const imapFields = ['host', 'port', 'tls', 'username', 'password', 'mailbox', 'enabled', 'pollIntervalSeconds', 'importDays'] as const;

/** The IMAP form as typed: numbers as text until sent, the password empty (the stored one is never sent back). */
export interface ImapDraft {
  host: string;
  port: string;
  tls: ImapTls;
  username: string;
  password: string;
  mailbox: string;
  enabled: boolean;
  pollIntervalSeconds: string;
  importDays: string;
}

export function imapDraftOf(imap: ImapSettings | null): ImapDraft {
  return {
    host: imap?.host ?? '',
    port: String(imap?.port ?? 993),
    tls: imap?.tls ?? 'tls',
    username: imap?.username ?? '',
    password: '',
    mailbox: imap?.mailbox ?? 'INBOX',
    enabled: imap?.enabled ?? true,
    pollIntervalSeconds: String(imap?.pollIntervalSeconds ?? 60),
    importDays: String(imap?.importDays ?? 3),
  };
}

/** A whole number as typed, else the text itself, for the server to refuse by name. */
const wholeOr = (text: string): number | string => (/^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : text.trim());

/** The connection fields of the form: a password only when one was typed (left out, the stored one is kept). */
export function imapTestBodyOf(draft: ImapDraft) {
  return {
    host: draft.host.trim(),
    port: wholeOr(draft.port),
    tls: draft.tls,
    username: draft.username,
    ...(draft.password ? { password: draft.password } : {}),
    mailbox: draft.mailbox.trim(),
  };
}

/** PUT /api/channels/:id/imap: the whole settings. */
export function imapBodyOf(draft: ImapDraft) {
  return {
    ...imapTestBodyOf(draft),
    enabled: draft.enabled,
    pollIntervalSeconds: wholeOr(draft.pollIntervalSeconds),
    importDays: wholeOr(draft.importDays),
  };
}

/** One origin a line; blank lines dropped. */
export const originsFromText = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

// ---- Self-service ----

/** '' means "the calibrated threshold" (null); otherwise a number 0-1, or undefined when it is not one. */
export function thresholdOf(text: string | number): number | null | undefined {
  const value = String(text).trim();
  if (value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 && number <= 1 ? number : undefined;
}

/** Which plain-language hint fits a threshold. */
export function thresholdHint(threshold: number | null | undefined): 'calibrated' | 'low' | 'balanced' | 'strict' | 'invalid' {
  if (threshold === undefined) return 'invalid';
  if (threshold === null) return 'calibrated';
  if (threshold < 0.5) return 'low';
  if (threshold < 0.8) return 'balanced';
  return 'strict';
}

// ---- API keys ----

/** The scopes the server knows (domain/api-scopes.ts), in its order. */
export const apiScopeOptions = [
  'conversations:read',
  'conversations:write',
  'tickets:read',
  'tickets:write',
  'customers:read',
  'knowledge:read',
  'knowledge:write',
  'webhooks:manage',
] as const;

/** The scopes as keys of the i18n table ('tickets:read' → 'tickets_read'). */
export const scopeKey = (scope: string) => scope.replace(':', '_');

// ---- Audit log ----

/** The families GET /api/audit-events filters by (`family.*`), as api/services/audit-service.ts lists them. */
export const auditFamilies = [
  'settings',
  'rule',
  'knowledge',
  'agent',
  'team',
  'business_hours',
  'sla_policy',
  'channel',
  'canned_response',
  'api_key',
  'webhook',
  'bot_action',
  'auth',
  'user',
  'customer',
] as const;
export type AuditFamily = (typeof auditFamilies)[number];

/** Every audit event type by family, as api/services/audit-service.ts records them: each has a name in `admin.auditType`. */
export const auditEventTypes: Record<AuditFamily, readonly string[]> = {
  settings: ['changed'],
  rule: ['created', 'updated', 'deleted', 'reordered', 'imported', 'exported', 'dry_run'],
  knowledge: ['article_created', 'article_updated', 'article_deleted'],
  agent: ['updated'],
  team: ['created', 'updated', 'deleted'],
  business_hours: ['created', 'updated', 'deleted'],
  sla_policy: ['created', 'updated', 'deleted'],
  channel: ['updated'],
  canned_response: ['created', 'updated', 'deleted'],
  api_key: ['created', 'revoked'],
  webhook: ['created', 'updated', 'deleted', 'disabled'],
  bot_action: ['created', 'updated', 'deleted'],
  auth: ['signed_in', 'signed_out', 'sign_in_failed', 'locked_out'],
  user: [
    'invited',
    'invite_revoked',
    'activated',
    'deactivated',
    'reactivated',
    'deleted',
    'password_reset_requested',
    'password_set',
    'signed_out_everywhere',
    'password_changed',
    'two_factor_enabled',
    'two_factor_disabled',
    'recovery_code_used',
    'recovery_codes_regenerated',
    'sessions_revoked',
  ],
  customer: ['merged', 'exported', 'erased'],
};

/** What an audit event did, in words ('rule.created' → "Rule created"); a type the console does not know yet as it is. */
export function auditTypeLabel(t: Translate, type: string): string {
  const [family = '', action = ''] = type.split('.');
  const known = (auditFamilies as readonly string[]).includes(family) && auditEventTypes[family as AuditFamily].includes(action);
  return known ? t(`admin.auditType.${family}.${action}` as MessageKey) : type;
}

export function auditQueryOf(filter: { family: AuditFamily | ''; before: string | null; limit?: number }): string {
  const query = new URLSearchParams();
  if (filter.family) query.set('type', `${filter.family}.*`);
  if (filter.before) query.set('before', filter.before);
  query.set('limit', String(filter.limit ?? 50));
  return query.toString();
}

export interface DiffRow {
  field: string;
  before: string;
  after: string;
  changed: boolean;
}

const shown = (value: unknown) => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The before/after of an audit event's payload, field by field; changed fields first. An event
 * that records no change (a sign-in: `{ email, ip, … }`) shows its fields as they are.
 */
export function auditDiff(payload: unknown): DiffRow[] {
  if (typeof payload !== 'object' || payload === null) return [];
  if (!('before' in payload) && !('after' in payload)) {
    return Object.entries(payload).map(([field, value]) => ({ field, before: '', after: shown(value), changed: false }));
  }
  const { before, after } = payload as { before?: unknown; after?: unknown };
  const asRecord = (value: unknown): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const b = asRecord(before);
  const a = asRecord(after);
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const rows = fields.map((field) => {
    const left = shown(b[field]);
    const right = shown(a[field]);
    return { field, before: field in b ? left : '', after: field in a ? right : '', changed: left !== right || field in a !== field in b };
  });
  return [...rows.filter((row) => row.changed), ...rows.filter((row) => !row.changed)];
}

/**
 * The record's name in an audit event (after, else before), to say what was changed; an
 * agent's change records only the fields changed and the `userId`, named from `userNames`.
 */
export function auditSubject(payload: unknown, userNames: ReadonlyMap<string, string> = new Map()): string {
  if (typeof payload !== 'object' || payload === null) return '';
  const { before, after, userId, email } = payload as { before?: unknown; after?: unknown; userId?: unknown; email?: unknown };
  if (typeof userId === 'string' && userNames.has(userId)) return userNames.get(userId)!;
  for (const side of [after, before]) {
    if (typeof side === 'object' && side !== null) {
      const record = side as Record<string, unknown>;
      for (const key of ['name', 'title', 'email', 'shortcut']) if (typeof record[key] === 'string') return record[key];
    }
  }
  // A sign-in event names the email typed (known or not).
  return typeof email === 'string' ? email : '';
}
