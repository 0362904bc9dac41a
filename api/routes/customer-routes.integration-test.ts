// Contacts in-process (test/support/in-process-api.ts): the list and its search (Chinese in either
// script, custom attributes), profiles and their edits, merging, the attribute definitions, and the
// journey — the events the caller may see.
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

describe('GET /api/customers', () => {
  let ids: Record<'simplified' | 'traditional' | 'company' | 'attribute' | 'phone', string>;
  beforeAll(async () => {
    await api.db.customerAttribute.create({ data: { key: 'plan', labelEn: 'Plan', labelZh: '套餐', type: 'select', options: ['gold', 'silver'] } });
    const create = (data: Parameters<typeof api.db.customer.create>[0]['data']) => api.db.customer.create({ data }).then((row) => row.id);
    // Seen "later" than every visitor the tests start, so they lead the list.
    const day = (n: number) => new Date(Date.UTC(2030, 0, n));
    ids = {
      simplified: await create({ name: '张伟', email: 'zhang.wei@example.cn', lastSeenAt: day(5) }),
      traditional: await create({ name: '張偉明', lastSeenAt: day(6) }),
      company: await create({ name: 'Ann Lee', company: 'Acme 贸易有限公司', lastSeenAt: day(4) }),
      attribute: await create({ name: 'Bo Chen', attributes: { plan: 'goldplus-unique' }, lastSeenAt: day(3) }),
      phone: await create({ name: 'Phone Person', phone: '+86 138-1234-5678', lastSeenAt: day(2) }),
    };
  });
  const search = (q: string, extra = '') => api.request('GET', `/api/customers?q=${encodeURIComponent(q)}${extra}`, { token: tokens.agent });
  const idsOf = (answer: { body: { customers: { id: string }[] } }) => answer.body.customers.map((customer) => customer.id);

  it('finds a Chinese name in either script, as a substring, last seen first', async () => {
    expect(idsOf(await search('张伟'))).toEqual([ids.traditional, ids.simplified]);
    expect(idsOf(await search('張偉'))).toEqual([ids.traditional, ids.simplified]);
    expect(idsOf(await search('伟明'))).toEqual([ids.traditional]);
  });

  it('finds by email, company, phone digits and custom attribute value', async () => {
    expect(idsOf(await search('ZHANG.WEI@'))).toEqual([ids.simplified]);
    expect(idsOf(await search('贸易'))).toEqual([ids.company]);
    expect(idsOf(await search('13812345678'))).toEqual([ids.phone]);
    expect(idsOf(await search('goldplus-uni'))).toEqual([ids.attribute]);
    // LIKE's wildcards are text: '%' finds nobody with no % in them.
    expect(idsOf(await search('%'))).toEqual([]);
  });

  it('pages, with the total', async () => {
    const first = await search('', '&pageSize=2&page=1');
    const second = await search('', '&pageSize=2&page=2');
    expect(first.status).toBe(200);
    expect(first.body.total).toBeGreaterThanOrEqual(5);
    expect(first.body.customers).toHaveLength(2);
    expect(idsOf(first)).toEqual([ids.traditional, ids.simplified]);
    expect(idsOf(second)[0]).toBe(ids.company);
    expect(first.body.customers[0]).toMatchObject({ name: '張偉明', vip: false, tags: [], conversationCount: 0 });
  });

  it('refuses a bad page (400) and a visitor (403)', async () => {
    expect((await search('', '&page=0')).status).toBe(400);
    expect((await search('', '&pageSize=500')).status).toBe(400);
    expect((await api.request('GET', '/api/customers', { token: chat.visitor.token })).status).toBe(403);
  });
});

describe('GET and PATCH /api/customers/:id', () => {
  const profile = (id = chat.visitor.customerId, token = tokens.agent) => api.request('GET', `/api/customers/${id}`, { token });
  const patch = (body: unknown, id = chat.visitor.customerId, token = tokens.agent) => api.request('PATCH', `/api/customers/${id}`, { token, body });

  it('answers the profile with the conversations the agent may see', async () => {
    await api.db.conversation.update({ where: { id: chat.conversationId }, data: { teamId: null } });
    const answer = await profile();
    expect(answer.status).toBe(200);
    expect(answer.body.customer).toMatchObject({ id: chat.visitor.customerId, conversationCount: 1, ticketCount: 0, attributes: {}, notes: null });
    expect(answer.body.customer.conversations.map((conversation: { id: string }) => conversation.id)).toEqual([chat.conversationId]);
  });

  it('edits the fields, records customer.updated on the journey, and ignores a repeat', async () => {
    const body = {
      name: 'Wei Zhang',
      email: 'Wei@Example.com',
      phone: '+86 138 0000 0000',
      company: 'Acme',
      locale: 'zh-CN',
      vip: true,
      tags: ['vip', 'card', 'vip'],
      notes: 'Prefers email',
      attributes: { plan: 'gold' },
    };
    const answer = await patch(body);
    expect(answer.status).toBe(200);
    expect(answer.body.customer).toMatchObject({ ...body, email: 'wei@example.com', tags: ['vip', 'card'], attributes: { plan: 'gold' } });
    const events = (await journey(tokens.agent)).body.events as { type: string; payload: { changed: string[] } }[];
    const updated = events.filter((event) => event.type === 'customer.updated');
    expect(updated).toHaveLength(1);
    expect(updated[0]!.payload.changed.sort()).toEqual(['attributes', 'company', 'email', 'locale', 'name', 'notes', 'phone', 'tags', 'vip']);
    expect((await patch({ name: 'Wei Zhang' })).status).toBe(200);
    expect((await journey(tokens.agent)).body.events.filter((event: { type: string }) => event.type === 'customer.updated')).toHaveLength(1);
    // null clears an attribute
    expect((await patch({ attributes: { plan: null } })).body.customer.attributes).toEqual({});
  });

  it('refuses bad input with a 4xx and changes nothing', async () => {
    const before = await api.db.customer.findUniqueOrThrow({ where: { id: chat.visitor.customerId } });
    for (const body of [
      {},
      { email: 'not-an-email' },
      { phone: 'call me' },
      { vip: 'yes' },
      { tags: ['x'.repeat(51)] },
      { unknown: 1 },
      { name: 'x'.repeat(201) },
    ]) {
      const answer = await patch(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code, JSON.stringify(body)).toBe('invalid_input');
    }
    expect(await patch({ attributes: { plan: 'platinum' } })).toMatchObject({ status: 400, body: { error: { code: 'invalid_attributes' } } });
    expect(await patch({ attributes: { nope: 'x' } })).toMatchObject({ status: 400, body: { error: { code: 'invalid_attributes' } } });
    const other = await api.db.customer.create({ data: { email: 'taken@example.com' } });
    expect(await patch({ email: 'taken@example.com', name: 'Changed' })).toMatchObject({ status: 409, body: { error: { code: 'email_taken' } } });
    expect(await patch({ name: 'Nobody' }, crypto.randomUUID())).toMatchObject({ status: 404 });
    expect(await api.db.customer.findUniqueOrThrow({ where: { id: chat.visitor.customerId } })).toEqual(before);
    await api.db.customer.delete({ where: { id: other.id } });
  });

  it('is for agents and admins: a visitor and an API key are refused', async () => {
    expect((await patch({ name: 'Me' }, chat.visitor.customerId, chat.visitor.token)).status).toBe(403);
    expect((await profile(chat.visitor.customerId, chat.visitor.token)).status).toBe(403);
    const key = await createApiKey(api, tokens.admin, ['customers:read']);
    expect((await profile(chat.visitor.customerId, key)).status).toBe(200);
    expect((await patch({ name: 'Key' }, chat.visitor.customerId, key)).status).toBe(403);
  });
});

describe('POST /api/customers/:id/merge', () => {
  it('merges the other contact into this one and answers the survivor with what moved', async () => {
    const a = await startCustomerConversation(api, { name: 'Merge A' });
    const b = await startCustomerConversation(api, { name: 'Merge B' });
    await api.db.customer.update({ where: { id: b.visitor.customerId }, data: { email: 'merge-b@example.com' } });
    const answer = await api.request('POST', `/api/customers/${a.visitor.customerId}/merge`, { token: tokens.agent, body: { otherId: b.visitor.customerId } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      moved: { conversations: 1 },
      filled: ['email'],
      customer: { id: a.visitor.customerId, email: 'merge-b@example.com', conversationCount: 2 },
    });
    const events = (await api.request('GET', `/api/customers/${a.visitor.customerId}/events`, { token: tokens.agent })).body.events as { type: string }[];
    expect(events.filter((event) => event.type === 'conversation.created')).toHaveLength(2);
    expect(events.at(-1)!.type).toBe('customer.merged');
  });

  it('refuses itself (400), an unknown contact (404), a bad body (400), a visitor (403) and a key (403)', async () => {
    const a = await startCustomerConversation(api, { name: 'Merge C' });
    const merge = (body: unknown, token = tokens.agent) => api.request('POST', `/api/customers/${a.visitor.customerId}/merge`, { token, body });
    expect(await merge({ otherId: a.visitor.customerId })).toMatchObject({ status: 400, body: { error: { code: 'invalid_merge' } } });
    expect(await merge({ otherId: crypto.randomUUID() })).toMatchObject({ status: 404 });
    expect(await merge({ otherId: 'nope' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    expect(await merge({})).toMatchObject({ status: 400 });
    expect((await merge({ otherId: chat.visitor.customerId }, a.visitor.token)).status).toBe(403);
    expect((await merge({ otherId: chat.visitor.customerId }, await createApiKey(api, tokens.admin, ['customers:read']))).status).toBe(403);
    expect(await api.db.customer.count({ where: { id: { in: [a.visitor.customerId, chat.visitor.customerId] } } })).toBe(2);
  });
});

describe('/api/customer-attributes', () => {
  it('lets an admin replace the definitions and agents read them', async () => {
    const attributes = [
      { key: 'plan', labelEn: 'Plan', labelZh: '套餐', type: 'select', options: ['gold', 'silver', 'bronze'] },
      { key: 'signed_up', labelEn: 'Signed up', labelZh: '注册日期', type: 'date', options: [] },
    ];
    const saved = await api.request('PUT', '/api/customer-attributes', { token: tokens.admin, body: { attributes } });
    expect(saved.status).toBe(200);
    expect(saved.body.attributes).toEqual(attributes);
    expect((await api.request('GET', '/api/customer-attributes', { token: tokens.agent })).body.attributes).toEqual(attributes);
    expect((await api.request('PUT', '/api/customer-attributes', { token: tokens.agent, body: { attributes } })).status).toBe(403);
  });

  it('refuses a bad definition list (400) and keeps the stored one', async () => {
    const before = (await api.request('GET', '/api/customer-attributes', { token: tokens.agent })).body.attributes;
    for (const attributes of [
      [{ key: 'Bad Key', labelEn: 'x', labelZh: 'x', type: 'text' }],
      [{ key: 'tier', labelEn: 'Tier', labelZh: '等级', type: 'select', options: [] }],
      [{ key: 'a', labelEn: 'A', labelZh: 'A', type: 'colour' }],
      [
        { key: 'a', labelEn: 'A', labelZh: 'A', type: 'text' },
        { key: 'a', labelEn: 'B', labelZh: 'B', type: 'text' },
      ],
    ]) {
      expect((await api.request('PUT', '/api/customer-attributes', { token: tokens.admin, body: { attributes } })).status, JSON.stringify(attributes)).toBe(
        400,
      );
    }
    expect((await api.request('GET', '/api/customer-attributes', { token: tokens.agent })).body.attributes).toEqual(before);
  });
});
