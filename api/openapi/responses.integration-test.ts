// The documented answers are the real ones: every GET route that answers JSON and a write of each
// area, called through the typed client (@seamless/client) against the app in-process, each answer
// checked against the response schema its route documents (contract/api/routes.ts) for the status
// it came with. The last case fails when a JSON GET route of the registry was not called.
import { createSeamlessClient, SeamlessApiError, type CallInput, type CallOutput, type RouteKey } from '@seamless/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteResponse, RouteSpec } from '../../contract/api/route.js';
import { routeRegistry } from '../../contract/api/routes.js';
import { apiScopeNames } from '../../domain/api-scopes.js';
import { demoPassword } from '../../prisma/demo-data.js';
import { createApiKey, demoStaff } from '../../test/support/fixtures.js';
import { gmailReply, pngBytes } from '../../test/support/mail-samples.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
/** The status of the last answer each client got. */
const statuses = new Map<string, number>();
const recordingFetch =
  (name: string): typeof fetch =>
  async (...args) => {
    const response = await fetch(...args);
    statuses.set(name, response.status);
    return response;
  };
const clientAs = (name: string, token?: string) => createSeamlessClient({ baseUrl: api.url, token, fetch: recordingFetch(name) });
type Client = ReturnType<typeof clientAs>;

let anonymous: Client;
let agent: Client;
let admin: Client;
let integration: Client;

/** The routes whose answers were checked. */
const checked = new Set<string>();

/** Fails unless `body` matches what `route` documents for the status `client` just got. */
function expectDocumented(route: RouteKey, client: string, body: unknown) {
  checked.add(route);
  const status = statuses.get(client)!;
  const schema: RouteResponse | undefined = (routeRegistry[route] as RouteSpec).responses[status];
  if (schema === null) return expect(body).toBeUndefined();
  if (!schema || !('safeParse' in schema)) throw new Error(`${route} documents no JSON answer for ${status}`);
  const result = schema.safeParse(body);
  expect(result.error?.issues ?? [], `${route} ${status}`).toEqual([]);
}

beforeAll(async () => {
  api = await startInProcessApi({ inboundEmail: { replyDomain: 'support.example.com' } });
  anonymous = clientAs('anonymous');
  const signIn = async (email: string) => {
    const answer = await anonymous.call('POST /api/auth/login', { body: { email, password: demoPassword } });
    expectDocumented('POST /api/auth/login', 'anonymous', answer);
    if (!('token' in answer)) throw new Error('two-factor sign-in is not expected here');
    return answer.token;
  };
  const adminToken = await signIn(demoStaff.admin);
  agent = clientAs('agent', await signIn(demoStaff.agent));
  admin = clientAs('admin', adminToken);
  // Every scope but knowledge:write: this suite writes no article.
  const key = await createApiKey(
    api,
    adminToken,
    apiScopeNames.filter((scope) => scope !== 'knowledge:write'),
  );
  integration = createSeamlessClient({ baseUrl: api.url, apiKey: key, fetch: recordingFetch('integration') });
});
afterAll(() => api?.stop());

describe('answers match their documented schemas', () => {
  let visitor: Client;
  let conversationId: string;
  let customerId: string;

  it('widget: a visitor, their conversation, messages and queue place', async () => {
    const created = await anonymous.call('POST /api/widget/visitors', { body: { name: 'Olga OpenAPI' } });
    expectDocumented('POST /api/widget/visitors', 'anonymous', created);
    visitor = clientAs('visitor', created.token);
    const started = await visitor.call('POST /api/widget/conversations', { body: { body: 'My parcel has not arrived' } });
    expectDocumented('POST /api/widget/conversations', 'visitor', started);
    conversationId = started.conversation.id;
    customerId = started.conversation.customerId;
    expectDocumented(
      'POST /api/widget/conversations/{id}/messages',
      'visitor',
      await visitor.call('POST /api/widget/conversations/{id}/messages', { params: { id: conversationId }, body: { body: 'Order A-1042' } }),
    );
    expectDocumented('GET /api/widget/conversations', 'visitor', await visitor.call('GET /api/widget/conversations'));
    expectDocumented(
      'GET /api/widget/conversations/{id}/messages',
      'visitor',
      await visitor.call('GET /api/widget/conversations/{id}/messages', { params: { id: conversationId } }),
    );
    expectDocumented(
      'GET /api/widget/conversations/{id}/queue',
      'visitor',
      await visitor.call('GET /api/widget/conversations/{id}/queue', { params: { id: conversationId } }),
    );
  });

  it('conversations and messages: the inbox, one conversation, its messages, a reply, a note, tags', async () => {
    const page = await agent.conversations.list({ limit: 5 });
    expectDocumented('GET /api/conversations', 'agent', page);
    expect(page.conversations.length).toBeGreaterThan(0);
    expectDocumented('GET /api/conversations/{id}', 'agent', await agent.conversations.get(conversationId));
    const reply = await integration.conversations.postMessage(conversationId, { body: 'We are on it.' }, 'openapi-reply-1');
    expectDocumented('POST /api/conversations/{id}/messages', 'integration', reply);
    expect(statuses.get('integration')).toBe(201);
    const replayed = await integration.conversations.postMessage(conversationId, { body: 'We are on it.' }, 'openapi-reply-1');
    expectDocumented('POST /api/conversations/{id}/messages', 'integration', replayed);
    expect([statuses.get('integration'), replayed.message.id]).toEqual([200, reply.message.id]);
    expectDocumented(
      'POST /api/conversations/{id}/messages',
      'agent',
      await agent.conversations.postMessage(conversationId, { body: 'Checking the carrier', private: true }),
    );
    const messages = await integration.conversations.messages(conversationId);
    expectDocumented('GET /api/conversations/{id}/messages', 'integration', messages);
    expect(messages.messages.map((message) => message.body)).toContain('Order A-1042');
    expectDocumented(
      'POST /api/conversations/{id}/tags',
      'agent',
      await agent.call('POST /api/conversations/{id}/tags', { params: { id: conversationId }, body: { add: ['shipping'] } }),
    );
  });

  it('tickets: create (with a key), list, read', async () => {
    const created = await integration.tickets.create({ subject: 'Parcel lost', customerId, priority: 'high' });
    expectDocumented('POST /api/tickets', 'integration', created);
    expectDocumented('GET /api/tickets', 'agent', await agent.tickets.list());
    expectDocumented('GET /api/tickets/{id}', 'integration', await integration.tickets.get(created.ticket.id));
  });

  it('customers: the list, a profile, the journey', async () => {
    expectDocumented('GET /api/customers', 'integration', await integration.customers.list({ q: 'Olga' }));
    expectDocumented('GET /api/customers/{id}', 'integration', await integration.customers.get(customerId));
    expectDocumented('GET /api/customers/{id}/events', 'integration', await integration.customers.events(customerId));
  });

  it('people, knowledge, channels and the admin pages', async () => {
    expectDocumented('GET /api/auth/me', 'agent', await agent.call('GET /api/auth/me'));
    expectDocumented('GET /api/users', 'agent', await agent.call('GET /api/users'));
    expectDocumented('GET /api/teams', 'agent', await agent.call('GET /api/teams'));
    expectDocumented('GET /api/me/mentions', 'agent', await agent.call('GET /api/me/mentions'));
    expectDocumented('GET /api/knowledge/articles', 'integration', await integration.knowledge.list({ locale: 'en' }));
    expectDocumented('GET /api/public/knowledge/search', 'anonymous', await anonymous.knowledge.search({ q: 'password' }));
    expectDocumented('GET /api/channels', 'admin', await admin.call('GET /api/channels'));
    expectDocumented('GET /api/email-channels', 'agent', await agent.call('GET /api/email-channels'));
    expectDocumented('GET /api/canned-responses', 'agent', await agent.call('GET /api/canned-responses'));
    expectDocumented('GET /api/api-keys', 'admin', await admin.call('GET /api/api-keys'));
  });
});

describe('every other JSON answer matches its documented schema', () => {
  let visitor: Client;
  let conversationId: string;
  let customerId: string;
  const clients = () => ({ anonymous, agent, admin, integration, visitor });
  /** `route` called by `who`, its answer checked against what the route documents for its status. */
  async function checkedCall<K extends RouteKey>(who: keyof ReturnType<typeof clients>, route: K, input?: CallInput<K>): Promise<CallOutput<K>> {
    const call = clients()[who].call as (route: K, input?: CallInput<K>) => Promise<CallOutput<K>>;
    const answer = await call(route, input);
    expectDocumented(route, who, answer);
    return answer;
  }

  beforeAll(async () => {
    const created = await anonymous.call('POST /api/widget/visitors', { body: { name: 'Vera Views', email: 'vera.views@example.com' } });
    visitor = clientAs('visitor', created.token);
    const started = await visitor.call('POST /api/widget/conversations', { body: { body: 'Where is my refund?' } });
    conversationId = started.conversation.id;
    customerId = started.conversation.customerId;
  });

  it('health, this document, me and my account', async () => {
    await checkedCall('anonymous', 'GET /api/health');
    await checkedCall('anonymous', 'GET /api/health/ready');
    await checkedCall('anonymous', 'GET /api/openapi.json');
    await checkedCall('agent', 'GET /api/me/notifications');
    await checkedCall('agent', 'GET /api/me/theme');
    await checkedCall('agent', 'PUT /api/me/theme', { body: { theme: 'system' } });
    await checkedCall('agent', 'GET /api/me/two-factor');
    await checkedCall('agent', 'POST /api/me/two-factor/enrolment', { body: {} });
    await checkedCall('agent', 'GET /api/me/sessions');
    await checkedCall('agent', 'POST /api/me/sessions/revoke-others', { body: {} });
  });

  it('the widget: its settings, an upload, a rating, a call', async () => {
    const channel = await api.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
    await api.db.channel.update({ where: { id: channel.id }, data: { settings: { ...(channel.settings as object), calls: true } } });
    const channelId = channel.id;
    await checkedCall('anonymous', 'GET /api/widget/config', { query: { channelId } });
    await checkedCall('anonymous', 'GET /api/widget/availability', { query: { channelId } });
    await checkedCall('visitor', 'POST /api/widget/conversations/{id}/attachments', {
      params: { id: conversationId },
      raw: { body: new Uint8Array(pngBytes), contentType: 'image/png', fileName: 'receipt.png' },
    });
    await checkedCall('agent', 'POST /api/conversations/{id}/attachments', {
      params: { id: conversationId },
      raw: { body: new Uint8Array(pngBytes), contentType: 'image/png', fileName: 'label.png' },
    });
    const call = await checkedCall('visitor', 'POST /api/widget/conversations/{id}/calls', { params: { id: conversationId }, body: { media: 'audio' } });
    await checkedCall('visitor', 'GET /api/widget/calls/{id}', { params: { id: call.call.id } });
    await checkedCall('visitor', 'GET /api/widget/conversations/{id}/call', { params: { id: conversationId } });
    await checkedCall('agent', 'GET /api/calls/{id}', { params: { id: call.call.id } });
    await checkedCall('agent', 'GET /api/conversations/{id}/calls', { params: { id: conversationId } });
    await checkedCall('visitor', 'POST /api/widget/calls/{id}/hangup', { params: { id: call.call.id } });
    // Missed: the visitor asks the agent who holds the conversation to call them back tomorrow.
    const alex = await api.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
    await api.db.conversation.update({ where: { id: conversationId }, data: { assigneeId: alex.id } });
    await checkedCall('visitor', 'POST /api/widget/conversations/{id}/callbacks', {
      params: { id: conversationId },
      body: { dueAt: new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString() },
    });
    await api.db.conversation.update({ where: { id: conversationId }, data: { status: 'resolved', resolvedAt: new Date() } });
    await checkedCall('visitor', 'POST /api/widget/conversations/{id}/csat', { params: { id: conversationId }, body: { score: 5 } });
  });

  it("a conversation's email original, explanations, scheduled messages, follow-ups, reminders, suggested articles and search", async () => {
    const email = await api.db.channel.findFirstOrThrow({ where: { kind: 'email' } });
    await api.db.channel.update({ where: { id: email.id }, data: { enabled: true } });
    const { secret } = await checkedCall('admin', 'POST /api/channels/{id}/inbound-email-secret', { params: { id: email.id } });
    // With the email channel on, the widget's offline form is taken (it starts an email conversation).
    await checkedCall('anonymous', 'POST /api/widget/offline-messages', {
      body: { name: 'Vera Offline', email: 'vera.offline@example.com', message: 'Are you open on Sunday?' },
    });
    const mailed = await fetch(`${api.url}/api/inbound/email/${email.id}`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': secret },
      body: new Uint8Array(gmailReply),
    });
    const { inboundEmailId } = (await mailed.json()) as { inboundEmailId: string };
    const inbound = await api.db.inboundEmail.findUniqueOrThrow({ where: { id: inboundEmailId } });
    await checkedCall('agent', 'GET /api/conversations/{id}/messages/{messageId}/email', {
      params: { id: inbound.conversationId!, messageId: inbound.messageId! },
    });
    await checkedCall('agent', 'GET /api/conversations/{id}/explanations', { params: { id: conversationId } });
    const sendAt = new Date(Date.now() + 86_400_000).toISOString();
    const scheduled = await checkedCall('agent', 'POST /api/conversations/{id}/scheduled-messages', {
      params: { id: inbound.conversationId! },
      body: { body: 'Following up on your refund.', sendAt },
    });
    await checkedCall('agent', 'GET /api/conversations/{id}/scheduled-messages', { params: { id: inbound.conversationId! } });
    await checkedCall('agent', 'GET /api/scheduled-messages');
    const followUp = await checkedCall('agent', 'POST /api/conversations/{id}/follow-ups', {
      params: { id: inbound.conversationId! },
      body: routeRegistry['POST /api/conversations/{id}/follow-ups'].examples![0]!,
    });
    await checkedCall('agent', 'GET /api/conversations/{id}/follow-ups', { params: { id: inbound.conversationId! } });
    await checkedCall('agent', 'POST /api/follow-ups/{id}/cancel', { params: { id: followUp.followUp.id }, body: {} });
    await checkedCall('agent', 'POST /api/scheduled-messages/{id}/cancel', { params: { id: scheduled.scheduledMessage.id }, body: {} });
    const reminder = await checkedCall('agent', 'POST /api/conversations/{id}/reminders', {
      params: { id: inbound.conversationId! },
      body: { dueAt: sendAt, note: 'Check the refund went through' },
    });
    await checkedCall('agent', 'GET /api/conversations/{id}/reminders', { params: { id: inbound.conversationId! } });
    await checkedCall('agent', 'GET /api/reminders');
    await checkedCall('agent', 'POST /api/reminders/{id}/cancel', { params: { id: reminder.reminder.id }, body: {} });
    const callback = await checkedCall('agent', 'POST /api/conversations/{id}/callbacks', { params: { id: inbound.conversationId! }, body: { dueAt: sendAt } });
    await checkedCall('agent', 'POST /api/reminders/{id}/cancel', { params: { id: callback.callback.id }, body: {} });
    await checkedCall('agent', 'GET /api/conversations/{id}/suggested-articles', { params: { id: conversationId } });
    await checkedCall('agent', 'GET /api/search', { query: { q: 'refund' } });
  });

  it('customers: a change, attributes, a merge', async () => {
    await checkedCall('admin', 'PUT /api/customer-attributes', {
      body: { attributes: [{ key: 'plan', labelEn: 'Plan', labelZh: '套餐', type: 'select', options: ['free', 'pro'] }] },
    });
    await checkedCall('agent', 'GET /api/customer-attributes');
    await checkedCall('agent', 'PATCH /api/customers/{id}', { params: { id: customerId }, body: { company: 'Views Ltd', attributes: { plan: 'pro' } } });
    const other = await anonymous.call('POST /api/widget/visitors', { body: { name: 'Vera Again' } });
    await checkedCall('admin', 'POST /api/customers/{id}/merge', { params: { id: customerId }, body: { otherId: other.customer.id } });
  });

  it('knowledge: an article with its versions, a public article', async () => {
    const { articles } = (await integration.knowledge.list({ locale: 'en' })) as { articles: { id: string; slug: string }[] };
    await checkedCall('agent', 'GET /api/knowledge/articles/{id}', { params: { id: articles[0]!.id } });
    await checkedCall('anonymous', 'GET /api/public/knowledge/articles/{slug}', { params: { slug: articles[0]!.slug }, query: { locale: 'en' } });
  });

  it('team members, settings and the audit log', async () => {
    const invited = await checkedCall('admin', 'POST /api/team-members/invitations', {
      body: { email: 'vera.agent@example.com', name: 'Vera Agent', role: 'agent' },
    });
    await checkedCall('admin', 'POST /api/team-members/invitations/{id}/resend', { params: { id: invited.invitation.id }, body: {} });
    const { members } = await checkedCall('admin', 'GET /api/team-members');
    const member = members.find((one) => one.email === demoStaff.expert)!;
    await checkedCall('admin', 'POST /api/team-members/{id}/reset-link', { params: { id: member.id }, body: {} });
    await checkedCall('admin', 'POST /api/team-members/{id}/deactivate', { params: { id: member.id }, body: {} });
    await checkedCall('admin', 'POST /api/team-members/{id}/reactivate', { params: { id: member.id }, body: {} });
    await checkedCall('admin', 'POST /api/team-members/{id}/sign-out-everywhere', { params: { id: member.id }, body: {} });
    await checkedCall('agent', 'GET /api/settings/self-service');
    await checkedCall('admin', 'GET /api/settings/self-service/calibration');
    await checkedCall('admin', 'GET /api/settings/security');
    await checkedCall('admin', 'PATCH /api/settings/privacy', { body: { visitorRetentionDays: 30 } });
    await checkedCall('admin', 'GET /api/settings/privacy');
    await checkedCall('admin', 'GET /api/audit-events');
  });

  it('reports', async () => {
    await checkedCall('agent', 'GET /api/reports/self-service');
    await checkedCall('agent', 'GET /api/reports/ai-usage');
    await checkedCall('agent', 'GET /api/reports/overview');
    await checkedCall('agent', 'GET /api/reports/resolution');
    await checkedCall('agent', 'GET /api/reports/agents');
    await checkedCall('agent', 'GET /api/reports/busiest-hours');
    await checkedCall('agent', 'GET /api/reports/ai-cost');
    await checkedCall('admin', 'GET /api/reports/live');
    await checkedCall('agent', 'GET /api/reports/calls');
  });

  it('rules: create, read, change, executions, export, dry run; a what-if job', async () => {
    const { rule } = await checkedCall('admin', 'POST /api/rules', { body: routeRegistry['POST /api/rules'].examples![0]! });
    await checkedCall('admin', 'GET /api/rules');
    await checkedCall('admin', 'PATCH /api/rules/{id}', { params: { id: rule.id }, body: { name: 'Tag refund requests (checked)' } });
    await checkedCall('admin', 'GET /api/rules/{id}', { params: { id: rule.id } });
    await checkedCall('admin', 'GET /api/rules/{id}/executions', { params: { id: rule.id } });
    await checkedCall('admin', 'GET /api/rules/export');
    const whatIf = await checkedCall('admin', 'POST /api/what-if', { body: routeRegistry['POST /api/what-if'].examples![1]! });
    await checkedCall('admin', 'GET /api/what-if/{id}', { params: { id: whatIf.whatIf.id } });
    await checkedCall('admin', 'POST /api/rules/dry-run', { body: routeRegistry['POST /api/rules/dry-run'].examples![0]! });
  });

  it("channels, webhooks, the bot's actions, business hours and SLA policies", async () => {
    const { channels } = await checkedCall('admin', 'GET /api/channels');
    const webChat = channels.find((channel) => channel.kind === 'web_chat')!;
    const email = channels.find((channel) => channel.kind === 'email')!;
    await checkedCall('admin', 'POST /api/channels/{id}/identity-secret', { params: { id: webChat.id } });
    await checkedCall('admin', 'GET /api/channels/{id}/identity-secret', { params: { id: webChat.id } });
    await checkedCall('admin', 'GET /api/channels/{id}/imap', { params: { id: email.id } });
    const created = await checkedCall('admin', 'POST /api/webhooks', { body: routeRegistry['POST /api/webhooks'].examples![0]! });
    await checkedCall('admin', 'GET /api/webhooks');
    await checkedCall('admin', 'GET /api/webhooks/{id}', { params: { id: created.webhook.id } });
    await checkedCall('admin', 'GET /api/webhooks/{id}/deliveries', { params: { id: created.webhook.id } });
    const botAction = await checkedCall('admin', 'POST /api/bot-actions', { body: routeRegistry['POST /api/bot-actions'].examples![0]! });
    await checkedCall('admin', 'GET /api/bot-actions');
    await checkedCall('admin', 'GET /api/bot-actions/{id}', { params: { id: botAction.action.id } });
    await checkedCall('admin', 'PATCH /api/bot-actions/{id}', { params: { id: botAction.action.id }, body: { enabled: false } });
    const hours = await checkedCall('admin', 'POST /api/business-hours', {
      body: { ...routeRegistry['POST /api/business-hours'].examples![0]!, name: 'Checked office' },
    });
    await checkedCall('agent', 'GET /api/business-hours');
    await checkedCall('admin', 'PATCH /api/business-hours/{id}', { params: { id: hours.businessHours.id }, body: { name: 'Checked office, renamed' } });
    const policy = await checkedCall('admin', 'POST /api/sla-policies', {
      body: { ...routeRegistry['POST /api/sla-policies'].examples![0]!, name: 'Checked policy' },
    });
    await checkedCall('agent', 'GET /api/sla-policies');
    await checkedCall('admin', 'PATCH /api/sla-policies/{id}', { params: { id: policy.slaPolicy.id }, body: { warningPercent: 70 } });
  });

  it('every GET route that answers JSON was called above', () => {
    const jsonGets = Object.entries(routeRegistry as Record<string, RouteSpec>)
      .filter(([key, spec]) => key.startsWith('GET ') && Object.values(spec.responses).some((answer) => answer !== null && 'safeParse' in answer))
      .map(([key]) => key);
    // A route listed here needs a call above (and its answer a strict schema in contract/api/view-schemas/).
    expect(jsonGets.filter((key) => !checked.has(key))).toEqual([]);
  });
});

describe('the client', () => {
  it('throws SeamlessApiError with the status, code and details of a refusal', async () => {
    const refused = await agent.call('POST /api/tickets', { body: { subject: '', customerId: 'not-a-uuid' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SeamlessApiError);
    expect(refused).toMatchObject({ status: 400, code: 'invalid_input' });
    expect((refused as SeamlessApiError).details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'customerId' })]));
    const noScope = await createSeamlessClient({
      baseUrl: api.url,
      apiKey: await createApiKey(api, (await api.login(demoStaff.admin)) as string, ['tickets:read']),
    })
      .conversations.list()
      .catch((error: unknown) => error);
    expect(noScope).toMatchObject({ status: 403, code: 'missing_scope' });
  });
});
