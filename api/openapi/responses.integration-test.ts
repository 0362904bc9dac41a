// The documented answers are the real ones: representative routes of every area, called through
// the typed client (@seamless/client) against the app in-process, each answer checked against the
// response schema its route documents (contract/api/routes.ts) for the status it came with.
import { createSeamlessClient, SeamlessApiError, type RouteKey } from '@seamless/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteResponse, RouteSpec } from '../../contract/api/route.js';
import { routeRegistry } from '../../contract/api/routes.js';
import { apiScopeNames } from '../../domain/api-scopes.js';
import { demoPassword } from '../../prisma/demo-data.js';
import { createApiKey, demoStaff } from '../../test/support/fixtures.js';
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

/** Fails unless `body` matches what `route` documents for the status `client` just got. */
function expectDocumented(route: RouteKey, client: string, body: unknown) {
  const status = statuses.get(client)!;
  const schema: RouteResponse | undefined = (routeRegistry[route] as RouteSpec).responses[status];
  if (schema === null) return expect(body).toBeUndefined();
  if (!schema || !('safeParse' in schema)) throw new Error(`${route} documents no JSON answer for ${status}`);
  const result = schema.safeParse(body);
  expect(result.error?.issues ?? [], `${route} ${status}`).toEqual([]);
}

beforeAll(async () => {
  api = await startInProcessApi();
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
