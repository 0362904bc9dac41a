// The bot's HTTP actions on the real stack (issue 20, item 6): PostgreSQL, Temporal, the API, a
// worker, and a shop's order API on 127.0.0.1 (allowed through OUTBOUND_ALLOWED_HOSTS, as an
// operator would allow an internal service). An admin defines "Order status" with a sealed auth
// header; a customer asks where their order is, the bot asks for the number, calls the shop and
// answers from the fields it may show; a failing shop means an apology and a person. The secret
// appears in no answer, event or message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView } from '../domain/events.js';
import { orderStatusAction, shopSecret as secret, startShop, type ShopService } from './support/shop-service.js';
import type { TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let shop: ShopService;
let admin: string;
let adminSocket: TestSocket;
let actionId: string;

const orderStatus = () => orderStatusAction(shop.url);

beforeAll(async () => {
  shop = await startShop();
  system = await startSystem({ outboundAllowedHosts: ['127.0.0.1'] });
  admin = await system.login('admin@seamless.local');
  adminSocket = await system.socket(admin);
  expect((await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { enabled: true, threshold: null } })).status).toBe(200);
  const created = await system.request('POST', '/api/bot-actions', { token: admin, body: orderStatus() });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  actionId = created.body.action.id;
});
afterAll(async () => {
  await system?.stop();
  await shop?.close();
});

const of = (conversationId: string, type: string) => (event: EventView) => event.conversationId === conversationId && event.type === type;

async function customerWrites(body: string) {
  const visitor = await system.visitor();
  const response = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body } });
  expect(response.status).toBe(201);
  return { token: visitor.token, conversationId: response.body.conversation.id as string };
}

const botMessages = async (token: string, conversationId: string) =>
  ((await system.request('GET', `/api/widget/conversations/${conversationId}/messages`, { token })).body.messages as { authorKind: string; body: string }[])
    .filter((message) => message.authorKind === 'bot')
    .map((message) => message.body);

describe('admin-defined actions', () => {
  it('keeps the auth header write-only and answers a test call with the shown fields only', async () => {
    const listed = await system.request('GET', '/api/bot-actions', { token: admin });
    expect(listed.body.actions).toEqual([expect.objectContaining({ id: actionId, hasAuth: true, authHeaderName: 'Authorization' })]);
    expect(JSON.stringify(listed.body)).not.toContain('shop-secret');

    const tested = await system.request('POST', `/api/bot-actions/${actionId}/test`, { token: admin, body: { inputs: { order: 'SO12345' } } });
    expect(tested.status).toBe(200);
    expect(tested.body.result).toMatchObject({
      ok: true,
      status: 200,
      fields: { status: 'shipped', carrier: 'DHL' },
      answer: 'Your order SO12345 is shipped with DHL.',
    });
    expect(JSON.stringify(tested.body)).not.toContain('fragile-do-not-show');
    expect(shop.requests.at(-1)).toEqual({ url: '/orders/SO12345', authorization: secret });
  });

  it('audits every change with the action before and after, never the auth header value', async () => {
    const created = await system.request('POST', '/api/bot-actions', { token: admin, body: { ...orderStatus(), name: 'Audited action', enabled: false } });
    expect(created.status).toBe(201);
    const id = created.body.action.id as string;
    expect(
      (await system.request('PATCH', `/api/bot-actions/${id}`, { token: admin, body: { description: 'Changed', authHeaderValue: 'Bearer rotated-9d2e' } }))
        .status,
    ).toBe(200);
    expect((await system.request('DELETE', `/api/bot-actions/${id}`, { token: admin })).status).toBe(204);

    const audited = await system.request('GET', '/api/audit-events?type=bot_action.*', { token: admin });
    expect(audited.status).toBe(200);
    const ofThis = (
      audited.body.events as { type: string; payload: { before: { id: string } | null; after: { id: string } | null; changed?: string[] } }[]
    ).filter((event) => (event.payload.after ?? event.payload.before)?.id === id);
    expect(ofThis.map((event) => event.type).sort()).toEqual(['bot_action.created', 'bot_action.deleted', 'bot_action.updated']);
    expect(ofThis.find((event) => event.type === 'bot_action.updated')!.payload).toMatchObject({
      changed: ['description', 'authHeaderValue'],
      before: { description: '', hasAuth: true },
      after: { description: 'Changed', hasAuth: true },
    });
    expect(JSON.stringify(audited.body)).not.toMatch(/shop-secret|rotated-9d2e/);
  });

  it('refuses a private target when saved and when called, unless OUTBOUND_ALLOWED_HOSTS allows it', async () => {
    const saved = await system.request('POST', '/api/bot-actions', {
      token: admin,
      body: { ...orderStatus(), name: 'Metadata', urlTemplate: 'http://169.254.169.254/latest/{{order}}' },
    });
    expect(saved.status).toBe(400);
    expect(saved.body.error.details[0].message).toMatch(/link-local/);
    // A row that got past the save (an older one, an allow-list since narrowed) is refused at call time.
    const { authHeaderValue: _value, ...definition } = orderStatus();
    const row = await system.db.botAction.create({
      data: { ...definition, name: 'Sneaked in', urlTemplate: 'http://10.9.8.7/orders/{{order}}', enabled: false },
    });
    const called = await system.request('POST', `/api/bot-actions/${row.id}/test`, { token: admin, body: { inputs: { order: 'SO12345' } } });
    expect(called.body.result).toMatchObject({ ok: false, status: null, answer: null, error: expect.stringMatching(/private address/) });
  });
});

describe('in a conversation', () => {
  it('asks for the order number, calls the shop with it and answers from the fields it may show', async () => {
    const { token, conversationId } = await customerWrites('Where is my order?');
    await adminSocket.waitForEvent(of(conversationId, 'bot.action_asked'));
    expect(await botMessages(token, conversationId)).toEqual(['What is your order number? It starts with SO.']);

    const reply = await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token, body: { body: "It's so12345 I think" } });
    expect(reply.status).toBe(201);
    const called = await adminSocket.waitForEvent(of(conversationId, 'bot.action_called'));
    expect(called.payload).toMatchObject({ actionId, ok: true, status: 200, fields: { status: 'shipped', carrier: 'DHL' }, error: null });
    expect(typeof (called.payload as { latencyMs: unknown }).latencyMs).toBe('number');
    expect(await botMessages(token, conversationId)).toEqual(['What is your order number? It starts with SO.', 'Your order so12345 is shipped with DHL.']);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('bot');
    // The customer never receives the action's events; agents do, in the journey.
    const customerEvents = await system.db.event.findMany({ where: { conversationId, type: { startsWith: 'bot.action' } } });
    expect(customerEvents.every((event) => event.internal)).toBe(true);
  });

  it('calls at once when the first message (in Chinese) already has the number', async () => {
    const { token, conversationId } = await customerWrites('我的订单ＳＯ５４３２１到哪了？');
    await adminSocket.waitForEvent(of(conversationId, 'bot.action_called'));
    expect(await botMessages(token, conversationId)).toEqual(['Your order SO54321 is shipped with DHL.']);
    expect(shop.requests.at(-1)?.url).toBe('/orders/SO54321');
  });

  it('asks in Traditional characters a customer who writes them', async () => {
    const { token, conversationId } = await customerWrites('我的訂單到哪了？');
    await adminSocket.waitForEvent(of(conversationId, 'bot.action_asked'));
    expect(await botMessages(token, conversationId)).toEqual(['請問您的訂單號是多少？以 SO 開頭。']);
  });

  it('apologises and hands off to a person when the shop keeps failing', async () => {
    const before = shop.requests.length;
    const { token, conversationId } = await customerWrites('Where is my order SO99999?');
    const handedOff = await adminSocket.waitForEvent(of(conversationId, 'bot.handed_off'));
    expect(handedOff.payload).toMatchObject({ reason: 'action_failed' });
    // The first try and two retries (actionCallAttempts), then the failure is recorded once.
    expect(shop.requests.length - before).toBe(3);
    const failed = await system.db.event.findMany({ where: { conversationId, type: 'bot.action_called' } });
    expect(failed.map((event) => event.payload)).toEqual([expect.objectContaining({ ok: false, status: 500, fields: {}, error: 'the service answered 500' })]);
    expect(await botMessages(token, conversationId)).toEqual([expect.stringMatching(/^Sorry, I couldn't look that up/)]);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('queued');
  });

  it('never writes the auth header value anywhere', async () => {
    const [events, messages] = await Promise.all([system.db.event.findMany(), system.db.message.findMany()]);
    expect(JSON.stringify(events.map((event) => event.payload))).not.toContain('shop-secret');
    expect(JSON.stringify(messages)).not.toContain('shop-secret');
    const stored = await system.db.botAction.findUniqueOrThrow({ where: { id: actionId } });
    expect(Buffer.from(stored.sealedAuth!).toString('latin1')).not.toContain('shop-secret');
  });
});

describe('bound to knowledge articles', () => {
  // "Following a parcel" in English and its Chinese translation (one group); the action serves the English one.
  let parcelAction: string;
  let english: { id: string };
  const parcelStatus = () => ({
    ...orderStatus(),
    name: 'Parcel status',
    inputs: [{ name: 'parcel', type: 'string', pattern: 'PK\\d{6}', description: 'parcel number', questionZh: '请问您的包裹号是多少？' }],
    answerTemplate: 'Parcel {{parcel}} is {{status}} with {{carrier}}.',
    urlTemplate: `${shop.url}/orders/{{parcel}}`,
    // No example questions: only the article brings customers to it.
    questions: [],
  });

  beforeAll(async () => {
    const article = (locale: string, title: string, body: string, questions: string[], groupId?: string) =>
      system.db.knowledgeArticle.create({
        data: { locale, slug: `parcel-${locale}`, title, body, questions, status: 'published', publishedAt: new Date(), ...(groupId ? { groupId } : {}) },
      });
    english = await article('en', 'Following a pelican parcel', 'Open My parcels and choose the pelican parcel to see where it is.', [
      'how do I follow my pelican parcel',
      'where can I see my pelican parcel',
    ]);
    await article(
      'zh-CN',
      '追踪鹈鹕包裹',
      '打开“我的包裹”，选择鹈鹕包裹即可查看位置。',
      ['鹈鹕包裹怎么追踪', '在哪里查看鹈鹕包裹'],
      (await system.db.knowledgeArticle.findUniqueOrThrow({ where: { id: english.id } })).groupId,
    );
  });

  it('refuses an article that does not exist and changes nothing', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const refused = await system.request('POST', '/api/bot-actions', { token: admin, body: { ...parcelStatus(), articleIds: [english.id, missing] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ path: 'articleIds.1', message: 'No such article.' }]);
    expect(await system.db.botAction.count({ where: { name: 'Parcel status' } })).toBe(0);
    const created = await system.request('POST', '/api/bot-actions', { token: admin, body: { ...parcelStatus(), articleIds: [english.id] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.action.articleIds).toEqual([english.id]);
    parcelAction = created.body.action.id;
    const changed = await system.request('PATCH', `/api/bot-actions/${parcelAction}`, { token: admin, body: { articleIds: [missing] } });
    expect(changed.status).toBe(400);
    expect((await system.db.botAction.findUniqueOrThrow({ where: { id: parcelAction } })).articleIds).toEqual([english.id]);
  });

  it("runs the action instead of quoting the article, for the article's translation too", async () => {
    const { token, conversationId } = await customerWrites('how do I follow my pelican parcel?');
    const asked = await adminSocket.waitForEvent(of(conversationId, 'bot.action_asked'));
    expect(asked.payload).toMatchObject({ actionId: parcelAction, input: 'parcel', articleId: english.id });
    expect(await botMessages(token, conversationId)).toEqual(['What is your parcel number?']);
    await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token, body: { body: 'PK123456' } });
    await adminSocket.waitForEvent(of(conversationId, 'bot.action_called'));
    expect(await botMessages(token, conversationId)).toEqual(['What is your parcel number?', 'Parcel PK123456 is shipped with DHL.']);

    const chinese = await customerWrites('鹈鹕包裹怎么追踪');
    await adminSocket.waitForEvent(of(chinese.conversationId, 'bot.action_asked'));
    expect(await botMessages(chinese.token, chinese.conversationId)).toEqual(['请问您的包裹号是多少？']);
  });

  it("answers with the article's text when the action is off", async () => {
    expect((await system.request('PATCH', `/api/bot-actions/${parcelAction}`, { token: admin, body: { enabled: false } })).status).toBe(200);
    const { token, conversationId } = await customerWrites('how do I follow my pelican parcel?');
    await adminSocket.waitForEvent(of(conversationId, 'bot.answered'));
    expect(await botMessages(token, conversationId)).toEqual([expect.stringContaining('Open My parcels')]);
  });
});
