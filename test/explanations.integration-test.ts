// Every decision explained (issue 22, part 1), on the real stack: routing records whom it looked
// at and why, and GET /api/conversations/:id/explanations gives it back in plain words, cut per
// reader, while the journey and the socket carry the event without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplanationsResponse } from '../contract/explanations.js';
import { startSystem, type TestSystem } from './support/system.js';
import type { TestSocket } from './support/socket-client.js';

let system: TestSystem;
let admin: string;
let adminSocket: TestSocket;
let alex: string;
let lina: string;

beforeAll(async () => {
  system = await startSystem();
  // Alex (cards, billing) has one seat; 李娜 (billing, transfers) five; the experts stay offline.
  await system.db.user.update({ where: { email: 'agent@seamless.local' }, data: { capacity: 1 } });
  admin = await system.login('admin@seamless.local');
  adminSocket = await system.socket(admin);
  alex = await system.login('agent@seamless.local');
  lina = await system.login('lina@seamless.local');
  for (const token of [alex, lina]) expect((await system.request('PUT', '/api/me/presence', { token, body: { presence: 'online' } })).status).toBe(200);
  for (const email of ['expert@seamless.local', 'wangwei@seamless.local']) await system.db.user.update({ where: { email }, data: { presence: 'offline' } });
});
afterAll(() => system?.stop());

async function customerWrites(body: string) {
  const visitor = await system.visitor();
  const response = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body } });
  expect(response.status).toBe(201);
  const conversationId = response.body.conversation.id as string;
  const assigned = await adminSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId, 30_000);
  return { conversationId, visitor, assigned };
}

describe('explanations', () => {
  it('explains an assignment word for word: the skilled agent with a free seat, the other at capacity', async () => {
    // Alex's one seat: a card question, his skill.
    const first = await customerWrites('My card was declined at the shop');
    expect((first.assigned.payload.conversation as { assigneeName: string }).assigneeName).toBe('Alex Agent');

    const { conversationId, visitor, assigned } = await customerWrites('I need help with a transfer, it has not arrived');
    expect((assigned.payload.conversation as { assigneeName: string }).assigneeName).toBe('李娜');
    // The socket's event (and the journey's) carries no explanation: it is read per reader.
    expect(assigned.payload).not.toHaveProperty('explanation');

    const response = await system.request<ExplanationsResponse>('GET', `/api/conversations/${conversationId}/explanations`, { token: lina });
    expect(response.status).toBe(200);
    const routing = response.body.explanations.find((entry) => entry.type === 'conversation.assigned');
    expect(routing?.eventId).toBe(assigned.id);
    expect(routing?.text).toEqual({
      en: 'Assigned to 李娜: online, knows transfers, 0 of 5 conversations open, the only one with a free seat. Passed over: Alex Agent (at capacity 1/1).',
      'zh-CN': '已分配给 李娜：在线，擅长转账，进行中 0/5 个会话，唯一有空位的客服。未选：Alex Agent（已满 1/1）。',
    });
    expect(routing?.explanation).toMatchObject({
      kind: 'routing',
      outcome: 'assigned',
      skill: 'transfers',
      policy: 'skill_then_least_loaded_then_idle_longest',
    });

    // Nothing of it in the customer's journey, and the route is the agents'.
    const journey = await system.request(
      'GET',
      `/api/customers/${(await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).customerId}/events`,
      {
        token: admin,
      },
    );
    expect(JSON.stringify(journey.body)).not.toContain('"explanation"');
    expect((await system.request('GET', `/api/conversations/${conversationId}/explanations`, { token: visitor.token })).status).toBe(403);
  });

  it('explains why nobody was assigned', async () => {
    // 李娜 goes away, Alex is full, the experts (overflow) are offline.
    expect((await system.request('PUT', '/api/me/presence', { token: lina, body: { presence: 'away' } })).status).toBe(200);
    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Where is my transfer?' } });
    const conversationId = started.body.conversation.id as string;
    await adminSocket.waitForEvent((event) => event.type === 'routing.queued' && event.conversationId === conversationId, 30_000);
    const response = await system.request<ExplanationsResponse>('GET', `/api/conversations/${conversationId}/explanations`, { token: admin });
    expect(response.body.explanations).toHaveLength(1);
    const [text] = response.body.explanations.map((entry) => entry.text.en);
    // The experts (asked on overflow) tie as offline: their order is their ids'.
    expect(text).toMatch(
      /^Nobody was assigned: every online agent who could take it is at capacity\. Considered: Alex Agent \(at capacity 1\/1\), 李娜 \(away\), (Priya Patel \(offline\), 王伟 \(offline\)|王伟 \(offline\), Priya Patel \(offline\))\.$/,
    );
  });
});
