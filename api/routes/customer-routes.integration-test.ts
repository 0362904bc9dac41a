// A customer's journey in-process (test/support/in-process-api.ts): the events the caller may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, signIn, startCustomerConversation, type CustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };
let chat: CustomerConversation;

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent');
  chat = await startCustomerConversation(api, { body: 'First question' });
  await api.request('POST', `/api/conversations/${chat.conversationId}/messages`, { token: tokens.agent, body: { body: 'Note to self', private: true } });
});
afterAll(() => api?.stop());

const journey = (token: string, customerId = chat.visitor.customerId) => api.request('GET', `/api/customers/${customerId}/events`, { token });

describe('GET /api/customers/:id/events', () => {
  it('lists the customer’s events oldest first', async () => {
    const answer = await journey(tokens.agent);
    expect(answer.status).toBe(200);
    expect(answer.body.events.map((event: { type: string }) => event.type).slice(0, 2)).toEqual(['conversation.created', 'message.created']);
    const ids = answer.body.events.map((event: { id: string }) => BigInt(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('leaves out what the agent may not see once the conversation belongs to another team', async () => {
    const specialists = await api.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    // The events keep the scope they were written with; who may see them is judged by the conversation now.
    await api.db.conversation.update({ where: { id: chat.conversationId }, data: { teamId: specialists.id } });
    expect((await journey(tokens.agent)).body.events).toEqual([]);
    expect((await journey(tokens.admin)).body.events.length).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown customer, 400 for a malformed id, and needs customers:read for a key', async () => {
    expect(await journey(tokens.agent, crypto.randomUUID())).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found', message: 'Customer was not found.' } },
    });
    expect(await journey(tokens.agent, 'nope')).toMatchObject({ status: 400 });
    expect(await journey(await createApiKey(api, tokens.admin, ['tickets:read']))).toMatchObject({ status: 403, body: { error: { code: 'missing_scope' } } });
    expect((await journey(await createApiKey(api, tokens.admin, ['customers:read']))).status).toBe(200);
  });
});
