// The inbox row's unread count and waiting time (conversation-finder.ts, readingStates) in-process:
// each agent's own read marker (POST /api/conversations/:id/read), and the clock a public agent
// reply stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startCustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { agent: string; lina: string; admin: string };

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'agent', 'lina', 'admin');
});
afterAll(() => api?.stop());

interface Row {
  id: string;
  unreadCount?: number;
  waitingSince: string | null;
}

const rowFor = async (token: string, conversationId: string): Promise<Row> => {
  const answer = await api.request('GET', '/api/conversations?q=unreadmarker', { token });
  expect(answer.status).toBe(200);
  const row = (answer.body.conversations as Row[]).find((candidate) => candidate.id === conversationId);
  if (!row) throw new Error(`conversation ${conversationId} not listed`);
  return row;
};

const customerWrites = async (chat: Awaited<ReturnType<typeof startCustomerConversation>>, body: string) => {
  const sent = await api.request('POST', `/api/widget/conversations/${chat.conversationId}/messages`, { token: chat.visitor.token, body: { body } });
  expect(sent.status).toBe(201);
  return sent.body.message as { createdAt: string };
};

describe('GET /api/conversations: unread count per agent', () => {
  it('counts the customer messages since each agent last read it; opening it clears it for that agent only', async () => {
    const chat = await startCustomerConversation(api, { name: 'Unread person', body: 'unreadmarker: my parcel is late' });
    expect((await rowFor(tokens.agent, chat.conversationId)).unreadCount).toBe(1);
    await customerWrites(chat, 'unreadmarker: still waiting');
    expect((await rowFor(tokens.agent, chat.conversationId)).unreadCount).toBe(2);

    const read = await api.request('POST', `/api/conversations/${chat.conversationId}/read`, { token: tokens.agent, body: {} });
    expect(read.status).toBe(204);
    expect((await rowFor(tokens.agent, chat.conversationId)).unreadCount).toBe(0);
    // Lina has not opened it: still both messages for her.
    expect((await rowFor(tokens.lina, chat.conversationId)).unreadCount).toBe(2);

    // An agent's own reply and a note are not unread; the customer's next message is.
    const reply = await api.request('POST', `/api/conversations/${chat.conversationId}/messages`, {
      token: tokens.lina,
      body: { body: 'unreadmarker: looking into it', private: false },
    });
    expect(reply.status).toBe(201);
    await customerWrites(chat, 'unreadmarker: thanks');
    expect((await rowFor(tokens.agent, chat.conversationId)).unreadCount).toBe(1);
    expect((await rowFor(tokens.lina, chat.conversationId)).unreadCount).toBe(3);

    // Reading twice is harmless.
    for (let i = 0; i < 2; i++)
      expect((await api.request('POST', `/api/conversations/${chat.conversationId}/read`, { token: tokens.lina, body: {} })).status).toBe(204);
    expect((await rowFor(tokens.lina, chat.conversationId)).unreadCount).toBe(0);
  });

  it('gives an integration no unread count, and refuses it the read marker', async () => {
    const chat = await startCustomerConversation(api, { name: 'Unread integration', body: 'unreadmarker: integration' });
    const key = await api.request('POST', '/api/api-keys', { token: tokens.admin, body: { name: 'Reading test', scopes: ['conversations:read'] } });
    expect(key.status).toBe(201);
    const row = await rowFor(key.body.key as string, chat.conversationId);
    expect(row.unreadCount).toBeUndefined();
    const read = await api.request('POST', `/api/conversations/${chat.conversationId}/read`, { token: key.body.key as string, body: {} });
    expect(read.status).toBe(403);
  });
});

describe('GET /api/conversations: waiting since', () => {
  it("is the customer's oldest message no agent has answered; a public reply stops the clock, a note does not", async () => {
    const chat = await startCustomerConversation(api, { name: 'Waiting person', body: 'unreadmarker: waiting one' });
    const first = (await rowFor(tokens.agent, chat.conversationId)).waitingSince;
    expect(first).not.toBeNull();
    await customerWrites(chat, 'unreadmarker: waiting two');
    expect((await rowFor(tokens.agent, chat.conversationId)).waitingSince).toBe(first);

    const note = await api.request('POST', `/api/conversations/${chat.conversationId}/messages`, {
      token: tokens.agent,
      body: { body: 'unreadmarker: a note', private: true },
    });
    expect(note.status).toBe(201);
    expect((await rowFor(tokens.agent, chat.conversationId)).waitingSince).toBe(first);

    const reply = await api.request('POST', `/api/conversations/${chat.conversationId}/messages`, {
      token: tokens.agent,
      body: { body: 'unreadmarker: answered', private: false },
    });
    expect(reply.status).toBe(201);
    expect((await rowFor(tokens.agent, chat.conversationId)).waitingSince).toBeNull();

    const next = await customerWrites(chat, 'unreadmarker: one more thing');
    expect((await rowFor(tokens.agent, chat.conversationId)).waitingSince).toBe(next.createdAt);
  });
});
