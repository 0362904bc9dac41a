// The walking skeleton through the public surfaces only (REST + WebSocket), on real PostgreSQL
// and a real Temporal server: customer → conversation workflow → agent → reply → customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateQuery } from '../workflows/conversation.messages.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system?.stop());

describe('a customer and an agent talk through the conversation workflow', () => {
  it('routes the first message to an online agent live and delivers the reply to the customer live', async () => {
    const agentToken = await system.login('agent@seamless.local'); // logging in brings the agent online
    const agent = (await system.request('GET', '/api/auth/me', { token: agentToken })).body.user;
    const agentSocket = await system.socket(agentToken);
    const visitor = await system.visitor('Mei 梅');
    const customerSocket = await system.socket(visitor.token);

    const text = 'My card was declined 我的卡被拒绝了';
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: text } });
    expect(started.status).toBe(201);
    const conversationId: string = started.body.conversation.id;

    // Stored before acknowledged: the row exists the moment the 201 arrives.
    const stored = await system.db.message.findUnique({ where: { id: started.body.message.id } });
    expect(stored?.body).toBe(text);
    expect(stored?.conversationId).toBe(conversationId);

    const handle = system.temporal.workflow.getHandle(`conversation-${conversationId}`);
    const description = await handle.describe();
    expect(description.type).toBe('conversationWorkflow');
    expect(description.taskQueue).toBe(system.taskQueue);

    const assigned = await agentSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId);
    expect((assigned.payload.conversation as { assigneeId: string }).assigneeId).toBe(agent.id);
    const seen = await agentSocket.waitForEvent((event) => event.type === 'message.created' && event.conversationId === conversationId);
    expect((seen.payload.message as { body: string }).body).toBe(text);

    const replyText = 'Sorry about that — 我来帮您查一下.';
    const reply = await system.request('POST', `/api/conversations/${conversationId}/messages`, { token: agentToken, body: { body: replyText } });
    expect(reply.status).toBe(201);
    const delivered = await customerSocket.waitForEvent(
      (event) => event.type === 'message.created' && (event.payload.message as { id: string }).id === reply.body.message.id,
    );
    expect((delivered.payload.message as { body: string; authorKind: string }).body).toBe(replyText);
    expect((delivered.payload.message as { authorKind: string }).authorKind).toBe('agent');

    const conversation = await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation).toMatchObject({ status: 'open', assigneeId: agent.id, waitingOn: 'customer', teamId: agent.teamId });
    expect(conversation.firstResponseAt).not.toBeNull();
  });

  it('keeps private notes from the customer over REST and WebSocket', async () => {
    const agentToken = await system.login('agent@seamless.local');
    const visitor = await system.visitor();
    const customerSocket = await system.socket(visitor.token);
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Where is my refund?' } });
    const conversationId: string = started.body.conversation.id;

    const note = await system.request('POST', `/api/conversations/${conversationId}/messages`, {
      token: agentToken,
      body: { body: 'Customer looks like a duplicate account', private: true },
    });
    expect(note.status).toBe(201);
    const reply = await system.request('POST', `/api/conversations/${conversationId}/messages`, { token: agentToken, body: { body: 'Checking now.' } });
    // The public reply comes after the note: once it has arrived, the note would have too.
    await customerSocket.waitForEvent((event) => (event.payload.message as { id?: string } | undefined)?.id === reply.body.message.id);
    const leaked = customerSocket.events().filter((event) => (event.payload.message as { id?: string } | undefined)?.id === note.body.message.id);
    expect(leaked).toEqual([]);

    const customerView = await system.request('GET', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token });
    expect(customerView.body.messages.map((message: { id: string }) => message.id)).not.toContain(note.body.message.id);
    const agentView = await system.request('GET', `/api/conversations/${conversationId}/messages`, { token: agentToken });
    expect(agentView.body.messages.map((message: { id: string }) => message.id)).toContain(note.body.message.id);
  });

  it('replays what a reconnecting client missed, in order, without duplicates', async () => {
    const visitor = await system.visitor();
    const first = await system.socket(visitor.token);
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'first' } });
    const conversationId: string = started.body.conversation.id;
    await first.waitForEvent((event) => event.type === 'message.created');
    const lastSeen = first.events().at(-1)!.id;
    await first.close();

    const missed: string[] = [];
    for (const body of ['second', 'third']) {
      const posted = await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token, body: { body } });
      expect(posted.status).toBe(201);
      missed.push(posted.body.message.id);
    }
    const resumed = await system.socket(visitor.token, lastSeen);
    const replayed = resumed.events().filter((event) => event.type === 'message.created');
    expect(replayed.map((event) => (event.payload.message as { id: string }).id)).toEqual(missed);
    const ids = resumed.events().map((event) => BigInt(event.id));
    expect(ids.every((id, index) => id > BigInt(lastSeen) && (index === 0 || id > ids[index - 1]!))).toBe(true);
  });

  it('does not create a second conversation or message when a request is retried with its Idempotency-Key', async () => {
    const visitor = await system.visitor();
    const send = () =>
      system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'hello?' }, headers: { 'idempotency-key': 'retry-1' } });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.conversation.id).toBe(first.body.conversation.id);
    expect(await system.db.conversation.count({ where: { customerId: visitor.customerId } })).toBe(1);
    expect(await system.db.message.count({ where: { conversationId: first.body.conversation.id } })).toBe(1);
  });

  it('resolves a conversation through its workflow update, and refuses a second resolve', async () => {
    const agentToken = await system.login('agent@seamless.local');
    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Thanks, all good' } });
    const conversationId: string = started.body.conversation.id;
    const resolved = await system.request('POST', `/api/conversations/${conversationId}/resolve`, { token: agentToken });
    expect(resolved.status).toBe(200);
    expect(resolved.body.conversation.status).toBe('resolved');
    const state = await system.temporal.workflow.getHandle(`conversation-${conversationId}`).query(stateQuery);
    expect(state.status).toBe('resolved'); // it stays for the reopen window, then closes itself
    const again = await system.request('POST', `/api/conversations/${conversationId}/resolve`, { token: agentToken });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invalid_transition');
  });
});
