// The permission matrix in docs/PERMISSIONS.md, held against the running system: every route the
// Express app registers must have a row (and every row a route), and each route is called as
// each role — no token, a visitor, another visitor, an agent, an admin, an integration's API key
// holding every scope (and, on `scope:` cells, a key holding every scope but that one) —
// expecting what the row says. The WebSocket gives each socket exactly the events
// domain/event-audience.ts allows (every event type × role: event-visibility.integration-test.ts).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import type { ApiDeps } from '../api/deps.js';
import { apiScopeNames, isApiScope, type ApiScope } from '../domain/api-scopes.js';
import { canSeeEvent } from '../domain/event-audience.js';
import type { Viewer } from '../domain/visibility.js';
import { projectRoot } from '../infra/env.js';
import { demoPassword } from '../prisma/demo-data.js';
import { registeredRoutes } from './support/registered-routes.js';
import { upgradeStatus } from './support/socket-client.js';
import { signIn } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';

const roles = ['anyone', 'visitor', 'otherVisitor', 'agent', 'admin', 'integration'] as const;
type Role = (typeof roles)[number];
/** `scope:<scope>`: allowed to a key holding that scope (403 without it); agents and admins never get this cell. */
type Cell = 'allow' | 'own' | 'hidden' | 'deny' | `scope:${ApiScope}`;
const cells: readonly string[] = ['allow', 'own', 'hidden', 'deny'];
const isCell = (value: string, role: Role): value is Cell =>
  cells.includes(value) || (role === 'integration' && value.startsWith('scope:') && isApiScope(value.slice('scope:'.length)));
const columnOf: Record<Role, string> = {
  anyone: 'anyone',
  visitor: 'visitor (own)',
  otherVisitor: 'another visitor',
  agent: 'agent',
  admin: 'admin',
  integration: 'integration',
};

/** The "REST routes" table of docs/PERMISSIONS.md: `METHOD /path` → the cell of each role. */
function readMatrix(): Map<string, Record<Role, Cell>> {
  const text = readFileSync(path.join(projectRoot, 'docs', 'PERMISSIONS.md'), 'utf8');
  const section = text.split(/^## /m).find((part) => part.startsWith('REST routes'));
  if (!section) throw new Error('docs/PERMISSIONS.md has no "## REST routes" section');
  const rows = section.split('\n').filter((line) => line.startsWith('|'));
  const split = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const header = split(rows[0] ?? '');
  const matrix = new Map<string, Record<Role, Cell>>();
  for (const line of rows.slice(2)) {
    const values = split(line);
    const route = values[0]?.replace(/`/g, '') ?? '';
    const entry = {} as Record<Role, Cell>;
    for (const role of roles) {
      const value = values[header.indexOf(columnOf[role])];
      if (!value || !isCell(value, role)) throw new Error(`docs/PERMISSIONS.md: "${route}" has "${value}" for ${columnOf[role]}`);
      entry[role] = value;
    }
    if (matrix.has(route)) throw new Error(`docs/PERMISSIONS.md lists "${route}" twice`);
    matrix.set(route, entry);
  }
  return matrix;
}

// A built console stand-in, so the app registers its catch-all page route too.
const consoleDir = mkdtempSync(path.join(os.tmpdir(), 'seamless-console-'));
writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');

const matrix = readMatrix();
// Only the route table is read from this app; its dependencies are never called.
const routes = registeredRoutes(
  createApp({ db: {}, temporal: {}, taskQueue: 'unused', secret: 'unused', authenticate: async () => null, log: () => {}, consoleDir } as unknown as ApiDeps),
).map((route) => `${route.method} ${route.path}`);

let system: TestSystem;
const tokens = {} as Record<Role, string | undefined>;
let visitor: { token: string; customerId: string };
let otherVisitor: { token: string; customerId: string };
let conversationId: string;
let probeMessageId: string;
let attachmentId: string;
let ticketId: string;
let articleId: string;
let deletableArticleId: string;
let agentUserId: string;
let linaId: string;
const publishedSlug = 'card-not-arrived';

async function call(method: string, url: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${system.url}${url}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('application/json') && text ? (JSON.parse(text) as unknown) : text;
  return { status: response.status, body: json };
}

beforeAll(async () => {
  system = await startSystem({ consoleDir });
  ({ agent: tokens.agent, admin: tokens.admin } = await signIn(system, 'agent', 'admin'));
  visitor = await system.visitor('Permission owner');
  otherVisitor = await system.visitor('Permission stranger');
  tokens.visitor = visitor.token;
  tokens.otherVisitor = otherVisitor.token;
  agentUserId = (await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
  linaId = (await system.db.user.findUniqueOrThrow({ where: { email: 'lina@seamless.local' } })).id;

  const adminSocket = await system.socket(tokens.admin);
  const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'My transfer has not arrived' } });
  conversationId = started.body.conversation.id;
  probeMessageId = started.body.message.id;
  await adminSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId);
  // The probes below call "allow" for agents on this conversation: it must be one they see.
  expect((await system.request('GET', `/api/conversations/${conversationId}`, { token: tokens.agent })).status).toBe(200);
  // A file the owner sent in it (the attachment download probes).
  const uploaded = await fetch(`${system.url}/api/widget/conversations/${conversationId}/attachments?name=probe.txt`, {
    method: 'POST',
    headers: { authorization: `Bearer ${visitor.token}`, 'content-type': 'text/plain' },
    body: 'a probe file',
  });
  attachmentId = ((await uploaded.json()) as { attachment: { id: string } }).attachment.id;
  const sent = await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, {
    token: visitor.token,
    body: { body: 'The file', attachmentIds: [attachmentId] },
  });
  expect(sent.status).toBe(201);

  const ticket = await system.request('POST', '/api/tickets', {
    token: tokens.agent,
    body: { subject: 'Permission probe', customerId: visitor.customerId, conversationId },
  });
  expect(ticket.status).toBe(201);
  ticketId = ticket.body.ticket.id;
  const article = { body: 'Probe body', locale: 'en', status: 'draft' };
  articleId = (await system.request('POST', '/api/knowledge/articles', { token: tokens.admin, body: { ...article, title: 'Probe article' } })).body.article.id;
  deletableArticleId = (
    await system.request('POST', '/api/knowledge/articles', { token: tokens.admin, body: { ...article, title: 'Probe article to delete' } })
  ).body.article.id;
  ruleId = (await system.request('POST', '/api/rules', { token: tokens.admin, body: probeRule })).body.rule.id;
  deletableRuleId = (await system.request('POST', '/api/rules', { token: tokens.admin, body: { ...probeRule, name: 'Probe rule to delete' } })).body.rule.id;
});

/** A valid rule the rule routes are probed with (never enabled: it must not act on the probes). */
const probeRule = {
  name: 'Probe rule',
  enabled: false,
  scope: 'conversation',
  trigger: { on: 'message_received', from: 'customer' },
  conditions: { all: [{ field: 'message.text', op: 'contains', value: 'probe' }] },
  actions: [{ type: 'add_tag', tag: 'probe' }],
};
let ruleId: string;
let deletableRuleId: string;

/** Records the admin-page routes are probed on: one to change, one to delete, per resource. */
const adminProbe = {} as Record<
  | 'teamId'
  | 'deletableTeamId'
  | 'businessHoursId'
  | 'deletableBusinessHoursId'
  | 'slaPolicyId'
  | 'deletableSlaPolicyId'
  | 'channelId'
  | 'cannedResponseId'
  | 'deletableCannedResponseId',
  string
>;
const probeHours = { timeZone: 'Europe/London', weekly: [{ day: 1, open: '09:00', close: '17:00' }] };
/** Off, so it never applies to the conversations probed here. */
const probeSlaPolicy = { priority: 'low', firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 600, enabled: false };
beforeAll(async () => {
  const create = async (path: string, body: unknown) => {
    const response = await system.request('POST', path, { token: tokens.admin, body });
    expect(response.status, `${path} ${JSON.stringify(response.body)}`).toBe(201);
    return (Object.values(response.body)[0] as { id: string }).id;
  };
  adminProbe.teamId = await create('/api/teams', { name: 'Probe team' });
  adminProbe.deletableTeamId = await create('/api/teams', { name: 'Probe team to delete' });
  adminProbe.businessHoursId = await create('/api/business-hours', { ...probeHours, name: 'Probe hours' });
  adminProbe.deletableBusinessHoursId = await create('/api/business-hours', { ...probeHours, name: 'Probe hours to delete' });
  adminProbe.slaPolicyId = await create('/api/sla-policies', { ...probeSlaPolicy, name: 'Probe SLA policy' });
  adminProbe.deletableSlaPolicyId = await create('/api/sla-policies', { ...probeSlaPolicy, name: 'Probe SLA policy to delete' });
  adminProbe.cannedResponseId = await create('/api/canned-responses', { shortcut: 'probe', title: 'Probe reply', body: 'Probe' });
  adminProbe.deletableCannedResponseId = await create('/api/canned-responses', { shortcut: 'probe-delete', title: 'Probe reply to delete', body: 'Probe' });
  adminProbe.channelId = (await system.db.channel.findUniqueOrThrow({ where: { name: 'API' } })).id;
});
/** Integration keys: `tokens.integration` holds every scope; `keyWithout[scope]` every scope but one. */
const keyWithout = {} as Record<ApiScope, string>;
let deletableApiKeyId: string;
let integrationDeletableArticleId: string;
beforeAll(async () => {
  const createKey = async (name: string, scopes: ApiScope[]) => {
    const response = await system.request('POST', '/api/api-keys', { token: tokens.admin, body: { name, scopes } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { key: string; apiKey: { id: string } };
  };
  tokens.integration = (await createKey('Probe integration', apiScopeNames)).key;
  for (const scope of apiScopeNames)
    keyWithout[scope] = (
      await createKey(
        `Probe without ${scope}`,
        apiScopeNames.filter((other) => other !== scope),
      )
    ).key;
  deletableApiKeyId = (await createKey('Probe key to revoke', ['tickets:read'])).apiKey.id;
  const article = { body: 'Probe body', locale: 'en', status: 'draft', title: 'Probe article an integration deletes' };
  integrationDeletableArticleId = (await system.request('POST', '/api/knowledge/articles', { token: tokens.admin, body: article })).body.article.id;
});
/** A reply scheduled a day ahead (the scheduled-message routes are probed on the agent's own). */
const probeSchedule = () => ({ body: 'A probe scheduled reply', sendAt: new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString() });
let scheduledMessageId: string;
beforeAll(async () => {
  const scheduled = await system.request('POST', `/api/conversations/${conversationId}/scheduled-messages`, { token: tokens.agent, body: probeSchedule() });
  expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
  scheduledMessageId = scheduled.body.scheduledMessage.id;
});
/** A follow-up a day ahead on the probe conversation (the agent's own): a second one is 409, its cancel 200, later cancels 409. */
const probeFollowUp = () => ({ steps: [{ afterMinutes: 24 * 60, text: 'A probe follow-up' }] });
let followUpId: string;
beforeAll(async () => {
  const started = await system.request('POST', `/api/conversations/${conversationId}/follow-ups`, { token: tokens.agent, body: probeFollowUp() });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  followUpId = started.body.followUp.id;
});
/** A reminder a day ahead on the probe conversation (the agent's own): its cancel 200 (the admin may cancel it too), later cancels 409. */
const probeReminder = () => ({ dueAt: new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString(), note: 'A probe reminder' });
let reminderId: string;
beforeAll(async () => {
  const set = await system.request('POST', `/api/conversations/${conversationId}/reminders`, { token: tokens.agent, body: probeReminder() });
  expect(set.status, JSON.stringify(set.body)).toBe(201);
  reminderId = set.body.reminder.id;
});
/** A call the agent places to the probe conversation's customer (issue 24): the call routes are probed on it. */
let callId: string;
beforeAll(async () => {
  const call = await system.request('POST', `/api/conversations/${conversationId}/calls`, { token: tokens.agent, body: { media: 'audio' } });
  expect(call.status, JSON.stringify(call.body)).toBe(201);
  callId = call.body.call.id;
});
afterAll(async () => {
  await system?.stop();
  rmSync(consoleDir, { recursive: true, force: true });
});

interface Probe {
  path?: string;
  body?: unknown;
  /** Another token than the role's own (e.g. a fresh session for logout). */
  token?: string;
}

const sessionOf: Partial<Record<Role, string>> = { agent: 'agent@seamless.local', admin: 'admin@seamless.local' };
const adminUserId = async () => (await system.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } })).id;

/** What to send where the route's path alone is not enough: a valid body, a fresh session, ... */
const probes: Record<string, (role: Role) => Probe | Promise<Probe>> = {
  'POST /api/auth/login': () => ({ body: { email: 'agent@seamless.local', password: demoPassword } }),
  // Logging out revokes the token: users log out a session of their own made for the purpose.
  'POST /api/auth/logout': async (role) => (sessionOf[role] ? { token: await system.login(sessionOf[role]) } : {}),
  'PUT /api/me/presence': () => ({ body: { presence: 'online' } }),
  // A made-up challenge: allowed callers get 400 `challenge_expired`, and no session.
  'POST /api/auth/login/two-factor': () => ({ body: { challenge: 'probe', code: '000000' } }),
  'PUT /api/me/locale': () => ({ body: { locale: 'en' } }),
  'PUT /api/me/theme': () => ({ body: { theme: 'system' } }),
  // The right password and a too short new one: allowed callers get 400 `password_too_short`, nothing changes.
  'PUT /api/me/password': () => ({ body: { currentPassword: demoPassword, newPassword: 'short' } }),
  // Enrolment stores a secret not in force; the rest answer 400/409 as two-factor is off.
  'POST /api/me/two-factor/enrolment': () => ({ body: {} }),
  'POST /api/me/two-factor/confirm': () => ({ body: { code: '000000' } }),
  'POST /api/me/two-factor/disable': () => ({ body: { password: demoPassword, code: '000000' } }),
  'POST /api/me/two-factor/recovery-codes': () => ({ body: { password: demoPassword } }),
  // Ends the role's other sessions, never the role's own token.
  'POST /api/me/sessions/revoke-others': () => ({ body: {} }),
  'PATCH /api/settings/security': () => ({ body: { adminsRequireTwoFactor: false } }),
  'POST /api/widget/visitors': () => ({ body: { name: 'Probe visitor' } }),
  // Anyone may leave the offline form: each caller's message becomes an email conversation (201).
  'POST /api/widget/offline-messages': () => ({ body: { email: 'probe.offline@example.com', message: 'A probe offline message' } }),
  'POST /api/widget/conversations': () => ({ body: { body: 'A probe conversation' } }),
  'POST /api/widget/conversations/:id/messages': () => ({ body: { body: 'A probe message' } }),
  'POST /api/widget/conversations/:id/bot-feedback': () => ({ body: { outcome: 'helpful' } }),
  // The probe conversation is open: its owner gets 409 `not_resolved` (allowed), nothing is stored.
  'POST /api/widget/conversations/:id/csat': () => ({ body: { score: 5 } }),
  'GET /api/reports/overview': () => ({ path: '/api/reports/overview?bucket=week&timeZone=Asia/Shanghai' }),
  'GET /api/search': () => ({ path: '/api/search?q=probe' }),
  // An unknown channel: allowed callers get a 400, and no customer or conversation is made.
  'POST /api/conversations': () => ({ body: { channelId: randomUUID(), customerEmail: 'probe@example.com', subject: 'Probe', body: 'Probe' } }),
  'POST /api/conversations/:id/messages': () => ({ body: { body: 'A probe note', private: true } }),
  // A day ahead: nothing is sent while the probes run. The agent's own scheduled message is edited, then cancelled (later callers: 409).
  'POST /api/conversations/:id/scheduled-messages': () => ({ body: probeSchedule() }),
  'PATCH /api/scheduled-messages/:id': () => ({ body: { body: 'A probe scheduled reply (edited)' } }),
  'POST /api/scheduled-messages/:id/cancel': () => ({ body: {} }),
  'POST /api/conversations/:id/follow-ups': () => ({ body: probeFollowUp() }),
  'POST /api/follow-ups/:id/cancel': () => ({ body: {} }),
  'POST /api/conversations/:id/reminders': () => ({ body: probeReminder() }),
  'POST /api/reminders/:id/cancel': () => ({ body: {} }),
  'POST /api/conversations/:id/callbacks': () => ({ body: { dueAt: probeReminder().dueAt } }),
  'POST /api/conversations/:id/resolve': () => ({ body: {} }),
  'POST /api/conversations/:id/reopen': () => ({ body: {} }),
  'POST /api/conversations/:id/snooze': () => ({ body: {} }),
  // Unknown targets: allowed callers get a 409, and nothing moves.
  'POST /api/conversations/:id/transfer': () => ({ body: { toAgentId: randomUUID() } }),
  'POST /api/conversations/:id/merge': () => ({ body: { intoConversationId: randomUUID() } }),
  'POST /api/conversations/:id/priority': () => ({ body: { priority: 'high' } }),
  'POST /api/conversations/:id/tags': () => ({ body: { add: ['probe'] } }),
  // An unknown conversation: allowed callers get 200 with its 404 outcome, and nothing changes.
  'PUT /api/me/notifications': () => ({ body: { desktop: false, sound: false, assigned: true, mention: true, customerMessage: true, slaWarning: true } }),
  'POST /api/conversations/bulk': () => ({ body: { action: 'tag', conversationIds: [randomUUID()], add: ['probe'] } }),
  'POST /api/conversations/:id/ticket': () => ({ body: { subject: 'A probe ticket' } }),
  'POST /api/tickets': () => ({ body: { subject: 'A probe ticket', customerId: visitor.customerId } }),
  // A confirmation that is not the contact's name: the admin gets 400 `confirmation_mismatch`, nothing is erased.
  'POST /api/customers/:id/erase': () => ({ body: { confirm: 'not the name' } }),
  // Without an email channel: allowed callers get 409 `no_email_channel` (or `ticket_has_conversation`), nothing is sent.
  'POST /api/tickets/:id/first-reply': () => ({ body: { body: 'A probe reply' } }),
  'POST /api/tickets/:id/status': () => ({ body: { status: 'open' } }),
  'POST /api/tickets/:id/assign': () => ({ body: { assigneeId: agentUserId } }),
  'POST /api/tickets/:id/priority': () => ({ body: { priority: 'high' } }),
  'PATCH /api/users/:id': () => ({ body: { capacity: 5 } }),
  'PATCH /api/settings/self-service': () => ({ body: { enabled: false } }),
  // The admin's request only asks the calibration workflow (202); nothing else changes.
  'POST /api/settings/self-service/calibration/recalibrate': () => ({ body: {} }),
  // The deployment's default again: nothing the other probes depend on changes.
  'PATCH /api/settings/privacy': () => ({ body: { visitorRetentionDays: null } }),
  'POST /api/knowledge/articles': () => ({ body: { title: 'A probe article', body: 'Probe', locale: 'en', status: 'draft' } }),
  'PATCH /api/knowledge/articles/:id': () => ({ body: { title: 'Probe article (edited)' } }),
  'DELETE /api/knowledge/articles/:id': (role) => ({
    path: `/api/knowledge/articles/${role === 'integration' ? integrationDeletableArticleId : deletableArticleId}`,
  }),
  // An unknown suggestion: allowed callers get a 404, and the probe article keeps its questions.
  'POST /api/knowledge/articles/:id/suggested-questions/:suggestionId/accept': () => ({
    path: `/api/knowledge/articles/${articleId}/suggested-questions/${randomUUID()}/accept`,
  }),
  'DELETE /api/knowledge/articles/:id/suggested-questions/:suggestionId': () => ({
    path: `/api/knowledge/articles/${articleId}/suggested-questions/${randomUUID()}`,
  }),
  'GET /api/public/knowledge/search': () => ({ path: '/api/public/knowledge/search?q=card' }),
  'POST /api/rules': () => ({ body: { ...probeRule, name: 'A probe rule' } }),
  // A call rings already (409 for allowed callers) or the channel takes none from visitors (409 `calls_off`).
  'POST /api/conversations/:id/calls': () => ({ body: { media: 'audio' } }),
  'POST /api/widget/conversations/:id/calls': () => ({ body: { media: 'video' } }),
  // The visitor's call-back, a day ahead: 201, or 409 when nobody holds the probe conversation or one is pending.
  'POST /api/widget/conversations/:id/callbacks': () => ({ body: { dueAt: probeReminder().dueAt } }),
  'POST /api/calls/:id/transfer': () => ({ body: { agentId: linaId } }),
  // The probe call still rings: consent is 409 `call_state` for its parties, and nothing recorded it (409 `not_recorded` / 404).
  'POST /api/calls/:id/recording': () => ({ body: { consent: true } }),
  'POST /api/widget/calls/:id/recording': () => ({ body: { consent: true } }),
  'PATCH /api/rules/:id': () => ({ body: { name: 'Probe rule (edited)' } }),
  'DELETE /api/rules/:id': () => ({ path: `/api/rules/${deletableRuleId}` }),
  'POST /api/rules/reorder': async () => ({
    body: { ids: (await system.db.automationRule.findMany({ orderBy: { position: 'asc' } })).map((rule) => rule.id) },
  }),
  'POST /api/rules/import': () => ({ body: { rules: [{ ...probeRule, name: 'An imported probe rule' }] } }),
  'POST /api/rules/dry-run': () => ({ body: { rule: probeRule, days: 1 } }),
  // A job over one day: admins get 202 and the worker replays it; an unknown job: 404.
  'POST /api/what-if': () => ({ body: { kind: 'bot_threshold', days: 1, candidate: { threshold: 0.5 } } }),
  'POST /api/what-if/:id/cancel': () => ({ body: {} }),
  'POST /api/api-keys': () => ({ body: { name: 'A probe key', scopes: ['tickets:read'] } }),
  // The team (api/routes/team-member-routes.ts). An email that has an account: the admin gets 409, nobody is invited.
  'POST /api/team-members/invitations': () => ({ body: { email: 'agent@seamless.local', name: 'Probe' } }),
  // Unknown invitations and members: the admin gets 404, nothing changes (never the admin's own sessions).
  'POST /api/team-members/invitations/:id/resend': () => ({ path: `/api/team-members/invitations/${randomUUID()}/resend` }),
  'DELETE /api/team-members/invitations/:id': () => ({ path: `/api/team-members/invitations/${randomUUID()}` }),
  'POST /api/team-members/:id/reset-link': () => ({ path: `/api/team-members/${randomUUID()}/reset-link` }),
  'POST /api/team-members/:id/sign-out-everywhere': () => ({ path: `/api/team-members/${randomUUID()}/sign-out-everywhere` }),
  // The admin's own account: deactivating or deleting it is 409 `cannot_change_self`; reactivating an active one changes nothing.
  'POST /api/team-members/:id/deactivate': async () => ({ path: `/api/team-members/${await adminUserId()}/deactivate` }),
  'POST /api/team-members/:id/reactivate': async () => ({ path: `/api/team-members/${await adminUserId()}/reactivate` }),
  'DELETE /api/team-members/:id': async () => ({ path: `/api/team-members/${await adminUserId()}` }),
  // A well-formed token no link has: everyone gets 404 `link_invalid`, nobody is signed in.
  'POST /api/auth/password-link': () => ({ body: { token: `inv_${'A'.repeat(43)}` } }),
  'POST /api/auth/password-link/use': () => ({ body: { token: `inv_${'A'.repeat(43)}`, password: 'violet-harbour-tangerine-42' } }),
  'POST /api/teams': () => ({ body: { name: 'A probe team' } }),
  'PATCH /api/teams/:id': () => ({ body: { name: 'Probe team (edited)' } }),
  'DELETE /api/teams/:id': () => ({ path: `/api/teams/${adminProbe.deletableTeamId}` }),
  'POST /api/business-hours': () => ({ body: { ...probeHours, name: 'A probe calendar' } }),
  'PATCH /api/business-hours/:id': () => ({ body: { holidays: ['2027-12-25'] } }),
  'DELETE /api/business-hours/:id': () => ({ path: `/api/business-hours/${adminProbe.deletableBusinessHoursId}` }),
  'POST /api/sla-policies': () => ({ body: { ...probeSlaPolicy, name: 'A probe SLA policy' } }),
  'PATCH /api/sla-policies/:id': () => ({ body: { warningPercent: 75 } }),
  'DELETE /api/sla-policies/:id': () => ({ path: `/api/sla-policies/${adminProbe.deletableSlaPolicyId}` }),
  'PATCH /api/channels/:id': () => ({ body: { enabled: true } }),
  'POST /api/canned-responses': () => ({ body: { shortcut: 'probe-new', title: 'A probe reply', body: 'Probe' } }),
  'PATCH /api/canned-responses/:id': () => ({ body: { title: 'Probe reply (edited)' } }),
  'DELETE /api/canned-responses/:id': () => ({ path: `/api/canned-responses/${adminProbe.deletableCannedResponseId}` }),
};

/** The route's path with its parameters filled with records the probes may touch. */
function concretePath(routePath: string): string {
  const value = (name: string): string => {
    if (name === 'id' && /^\/api\/(widget\/)?conversations\//.test(routePath)) return conversationId;
    if (name === 'id' && /^\/api\/(widget\/)?attachments\//.test(routePath)) return attachmentId;
    if (name === 'id' && routePath.startsWith('/api/tickets/')) return ticketId;
    if (name === 'id' && routePath.startsWith('/api/knowledge/articles/')) return articleId;
    if (name === 'id' && routePath.startsWith('/api/users/')) return linaId;
    if (name === 'id' && routePath.startsWith('/api/customers/')) return visitor.customerId;
    if (name === 'id' && routePath.startsWith('/api/rules/')) return ruleId;
    if (name === 'id' && routePath.startsWith('/api/api-keys/')) return deletableApiKeyId;
    if (name === 'id' && routePath.startsWith('/api/teams/')) return adminProbe.teamId;
    if (name === 'id' && routePath.startsWith('/api/business-hours/')) return adminProbe.businessHoursId;
    if (name === 'id' && routePath.startsWith('/api/sla-policies/')) return adminProbe.slaPolicyId;
    if (name === 'id' && routePath.startsWith('/api/channels/')) return adminProbe.channelId;
    if (name === 'id' && routePath.startsWith('/api/canned-responses/')) return adminProbe.cannedResponseId;
    if (name === 'id' && routePath.startsWith('/api/scheduled-messages/')) return scheduledMessageId;
    if (name === 'id' && routePath.startsWith('/api/follow-ups/')) return followUpId;
    if (name === 'id' && routePath.startsWith('/api/reminders/')) return reminderId;
    if (name === 'id' && /^\/api\/(widget\/)?calls\//.test(routePath)) return callId;
    // Unknown webhook endpoints and deliveries: admins get 404, nothing is sent.
    if (name === 'id' && routePath.startsWith('/api/webhooks/')) return randomUUID();
    // Unknown bot actions: admins get 404, nothing is called.
    if (name === 'id' && routePath.startsWith('/api/bot-actions/')) return randomUUID();
    if (name === 'id' && routePath.startsWith('/api/what-if/')) return randomUUID();
    if (name === 'deliveryId') return randomUUID();
    // The inbound email webhook takes its channel's secret, never a role: every role is refused.
    if (name === 'channelKey') return randomUUID();
    // A message of the probe conversation that did not come by email: allowed callers get a 404.
    if (name === 'messageId') return probeMessageId;
    // An unknown session: allowed callers get a 404, and no session ends.
    if (name === 'sessionId') return randomUUID();
    // The first remote image of that (absent) email: allowed callers get a 404 too.
    if (name === 'index') return '0';
    if (name === 'slug') return publishedSlug;
    if (name === 'locale') return 'en';
    throw new Error(`no probe value for :${name} in ${routePath}: add one to concretePath()`);
  };
  return routePath.replace(/\{\*\w+\}/g, 'probe/page').replace(/:(\w+)/g, (_match, name: string) => value(name));
}

/** The scope a `scope:` cell names, else null. */
const scopeOfCell = (cell: Cell): ApiScope | null => (cell.startsWith('scope:') ? (cell.slice('scope:'.length) as ApiScope) : null);

/** Every role per row; on `scope:` cells also a key holding every other scope (`keyWithoutScope`), which must get 403. */
const expectations = [...matrix].flatMap(([route, entry]) => [
  ...roles.map((role): { route: string; role: Role | 'keyWithoutScope'; cell: Cell } => ({ route, role, cell: entry[role] })),
  ...(scopeOfCell(entry.integration) ? [{ route, role: 'keyWithoutScope' as const, cell: entry.integration }] : []),
]);

// First, while the agent still has room for new conversations (the probes below add some).
describe('the WebSocket subscription', () => {
  it('refuses a connection without a valid token', async () => {
    expect(await upgradeStatus(system.url, '')).toBe(401);
    expect(await upgradeStatus(system.url, '?token=sst_forged')).toBe(401);
    expect(await upgradeStatus(system.url, '?token=sk_live_forged')).toBe(401);
  });

  it('refuses API keys, whatever their scopes', async () => {
    expect(await upgradeStatus(system.url, `?token=${tokens.integration}`)).toBe(403);
  });

  it('gives each socket exactly the events domain/event-audience.ts lets its viewer see', async () => {
    const agent = await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
    const admin = await system.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } });
    // Integrations have no socket (refused above).
    const viewers: Record<Exclude<Role, 'anyone' | 'integration'>, { viewer: Viewer; token: string }> = {
      visitor: { viewer: { kind: 'customer', customerId: visitor.customerId }, token: visitor.token },
      otherVisitor: { viewer: { kind: 'customer', customerId: otherVisitor.customerId }, token: otherVisitor.token },
      agent: { viewer: { kind: 'user', userId: agent.id, role: agent.role, teamId: agent.teamId }, token: tokens.agent! },
      admin: { viewer: { kind: 'user', userId: admin.id, role: admin.role, teamId: admin.teamId }, token: tokens.admin! },
    };
    const before = (await system.db.event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } }))?.id ?? 0n;
    const sockets = Object.fromEntries(
      await Promise.all(Object.entries(viewers).map(async ([role, { token }]) => [role, await system.socket(token)] as const)),
    );
    const adminSocket = sockets.admin!;
    const asAdmin = { token: tokens.admin };

    // Visitor A's conversation gets a public reply and a private note.
    const a = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Visitor A: where is my card?' } });
    const aId: string = a.body.conversation.id;
    await adminSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === aId);
    const note = await system.request('POST', `/api/conversations/${aId}/messages`, {
      ...asAdmin,
      body: { body: 'Private: A may be a duplicate', private: true },
    });
    expect(note.status).toBe(201);
    expect((await system.request('POST', `/api/conversations/${aId}/messages`, { ...asAdmin, body: { body: 'Public reply to A' } })).status).toBe(201);

    // Visitor B's conversation moves to the Specialists team, out of the Frontline agent's sight.
    const b = await system.request('POST', '/api/widget/conversations', { token: otherVisitor.token, body: { body: 'Visitor B: my app crashes' } });
    const bId: string = b.body.conversation.id;
    await adminSocket.waitForEvent((event) => event.type === 'conversation.classified' && event.conversationId === bId);
    const specialists = await system.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    expect((await system.request('POST', `/api/conversations/${bId}/transfer`, { ...asAdmin, body: { toTeamId: specialists.id } })).status).toBe(200);
    expect(
      (await system.request('POST', `/api/conversations/${bId}/messages`, { ...asAdmin, body: { body: 'Private: B needs a specialist', private: true } }))
        .status,
    ).toBe(201);
    const last = await system.request('POST', `/api/conversations/${bId}/messages`, { ...asAdmin, body: { body: 'Public reply to B' } });
    await adminSocket.waitForEvent((event) => event.type === 'message.created' && (event.payload.message as { id: string }).id === last.body.message.id);

    const rows = await system.db.event.findMany({ where: { id: { gt: before } }, orderBy: { id: 'asc' } });
    const scenario = rows.filter((row) => row.conversationId === aId || row.conversationId === bId);
    // The scenario must exercise the rule: private notes, and events the agent may not see.
    expect(scenario.some((row) => row.internal && row.conversationId === aId)).toBe(true);
    expect(scenario.some((row) => !canSeeEvent(viewers.agent.viewer, row))).toBe(true);
    expect(scenario.some((row) => canSeeEvent(viewers.agent.viewer, row))).toBe(true);

    for (const [role, { viewer }] of Object.entries(viewers)) {
      const socket = sockets[role]!;
      // Every event it may see arrives ...
      for (const row of scenario.filter((candidate) => canSeeEvent(viewer, candidate))) {
        await socket.waitForEvent((event) => event.id === String(row.id));
      }
      // ... and nothing it may not: each received event is checked against its row.
      const received = socket.events();
      const byId = new Map(
        (await system.db.event.findMany({ where: { id: { in: received.map((event) => BigInt(event.id)) } } })).map((row) => [String(row.id), row]),
      );
      for (const event of received) {
        const row = byId.get(event.id);
        expect(row, `${role} received unknown event ${event.id}`).toBeDefined();
        expect(canSeeEvent(viewer, row!), `${role} received ${event.type} #${event.id}`).toBe(true);
      }
    }
    const visitorEvents = sockets.visitor!.events();
    expect(visitorEvents.every((event) => event.customerId === visitor.customerId)).toBe(true);
    expect(visitorEvents.some((event) => (event.payload.message as { id?: string } | undefined)?.id === note.body.message.id)).toBe(false);
    expect(sockets.otherVisitor!.events().some((event) => event.conversationId === aId)).toBe(false);
  });
});

describe('the permission matrix (docs/PERMISSIONS.md)', () => {
  it('has a row for every route the app registers, and a route for every row', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(
      routes.filter((route) => !matrix.has(route)),
      'routes without a row in docs/PERMISSIONS.md',
    ).toEqual([]);
    expect(
      [...matrix.keys()].filter((route) => !routes.includes(route)),
      'rows of docs/PERMISSIONS.md that name no route',
    ).toEqual([]);
  });

  it.each(expectations)('$route as $role: $cell', async ({ route, role, cell }) => {
    const [method = '', routePath = ''] = route.split(' ');
    const scope = scopeOfCell(cell);
    const withoutScope = role === 'keyWithoutScope';
    const probe = await (probes[route]?.(withoutScope ? 'integration' : role) ?? {});
    const token = probe.token ?? (withoutScope ? keyWithout[scope!] : tokens[role]);
    const response = await call(method, probe.path ?? concretePath(routePath), { token, body: probe.body });
    const described = `${route} as ${role} answered ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`;
    expect(response.status, described).toBeLessThan(500);
    if (scope) {
      // The key holding the scope is let through; the one holding every other scope is not.
      if (withoutScope) expect(response.body, described).toMatchObject({ error: { code: 'missing_scope', details: { scope } } });
      else expect([401, 403], described).not.toContain(response.status);
      return;
    }
    switch (cell) {
      case 'allow':
        expect([401, 403], described).not.toContain(response.status);
        break;
      case 'own':
        expect([401, 403, 404], described).not.toContain(response.status);
        break;
      case 'hidden':
        expect(response.status, described).toBe(404);
        break;
      case 'deny':
        expect(response.status, described).toBe(role === 'anyone' ? 401 : 403);
        break;
    }
  });

  it('refuses a revoked API key with 401', async () => {
    const created = await system.request('POST', '/api/api-keys', { token: tokens.admin, body: { name: 'Probe key revoked at once', scopes: apiScopeNames } });
    const { key, apiKey } = created.body as { key: string; apiKey: { id: string } };
    expect((await call('GET', '/api/tickets', { token: key })).status).toBe(200);
    expect((await call('DELETE', `/api/api-keys/${apiKey.id}`, { token: tokens.admin })).status).toBe(204);
    expect((await call('GET', '/api/tickets', { token: key })).status).toBe(401);
  });

  it("lists a visitor's own conversations only", async () => {
    const own = await system.request('GET', '/api/widget/conversations', { token: visitor.token });
    const other = await system.request('GET', '/api/widget/conversations', { token: otherVisitor.token });
    expect(own.body.conversations.map((conversation: { id: string }) => conversation.id)).toContain(conversationId);
    expect(other.body.conversations.every((conversation: { customerId: string }) => conversation.customerId === otherVisitor.customerId)).toBe(true);
  });
});
