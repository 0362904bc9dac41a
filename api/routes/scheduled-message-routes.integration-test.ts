// Scheduled messages on the running system (API, outbox relay, worker, Temporal): a reply sent at
// its time through the message path (the customer gets it like any reply), edit and cancel before
// the send, and who may see and change one. The long waits and the worker restart are in
// workflows/scheduled-message.integration-test.ts (time-skipping).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledMessageWorkflowId } from '../../domain/workflow-ids.js';
import { signIn, startFrontlineConversation } from '../../test/support/fixtures.js';
import { startSystem, type TestSystem } from '../../test/support/system.js';

let system: TestSystem;
let tokens: Record<'agent' | 'lina' | 'expert' | 'admin', string>;

beforeAll(async () => {
  system = await startSystem();
  tokens = await signIn(system, 'agent', 'lina', 'expert', 'admin');
});
afterAll(() => system?.stop());

const inDays = (days: number) => new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString();

const schedule = (token: string, conversationId: string, body: { body: string; sendAt: string }) =>
  system.request('POST', `/api/conversations/${conversationId}/scheduled-messages`, { token, body });

describe('scheduled messages', () => {
  it('sends the reply at its time through the message path: the customer gets it once, the row says sent', async () => {
    const { visitor, conversationId } = await startFrontlineConversation(system);
    const customerSocket = await system.socket(visitor.token);
    const agentSocket = await system.socket(tokens.agent);
    // A few seconds ahead: the timer, then the send, on the real stack.
    const sendAt = new Date(Date.now() + 3000).toISOString();
    const scheduled = await schedule(tokens.agent, conversationId, { body: 'Your card is on its way', sendAt });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body.scheduledMessage).toMatchObject({ status: 'pending', body: 'Your card is on its way', sendAt, authorName: expect.any(String) });
    const id: string = scheduled.body.scheduledMessage.id;
    const mine = await system.request('GET', '/api/scheduled-messages?mine', { token: tokens.agent });
    expect(mine.body.scheduledMessages.map((entry: { id: string }) => entry.id)).toContain(id);

    const received = await customerSocket.waitForEvent(
      (event) =>
        event.type === 'message.created' &&
        event.conversationId === conversationId &&
        (event.payload as { message: { body: string } }).message.body === 'Your card is on its way',
    );
    const sent = await agentSocket.waitForEvent((event) => event.type === 'scheduled_message.sent' && event.conversationId === conversationId);
    const messageId = (received.payload as { message: { id: string } }).message.id;
    expect(sent.payload).toMatchObject({ scheduledMessage: { id, status: 'sent', messageId } });
    // The customer never sees the schedule itself.
    expect(customerSocket.events().some((event) => event.type.startsWith('scheduled_message.'))).toBe(false);

    const listed = await system.request('GET', `/api/conversations/${conversationId}/scheduled-messages`, { token: tokens.agent });
    expect(listed.body.scheduledMessages).toEqual([expect.objectContaining({ id, status: 'sent', messageId })]);
    expect(await system.db.message.count({ where: { conversationId, body: 'Your card is on its way' } })).toBe(1);
    expect(
      (await system.request('GET', '/api/scheduled-messages?mine', { token: tokens.agent })).body.scheduledMessages.map((entry: { id: string }) => entry.id),
    ).not.toContain(id);
    await customerSocket.close();
    await agentSocket.close();
  });

  it('edits the text and time of a pending one and cancels it: its workflow ends, nothing is sent, later changes are 409', async () => {
    const { conversationId } = await startFrontlineConversation(system);
    const id: string = (await schedule(tokens.agent, conversationId, { body: 'Draft', sendAt: inDays(1) })).body.scheduledMessage.id;
    const newTime = inDays(2);
    const edited = await system.request('PATCH', `/api/scheduled-messages/${id}`, { token: tokens.agent, body: { body: 'Final text', sendAt: newTime } });
    expect(edited.status).toBe(200);
    expect(edited.body.scheduledMessage).toMatchObject({ body: 'Final text', sendAt: newTime, status: 'pending' });
    const cancelled = await system.request('POST', `/api/scheduled-messages/${id}/cancel`, { token: tokens.agent, body: {} });
    expect(cancelled.body.scheduledMessage.status).toBe('cancelled');
    expect(await system.temporal.workflow.getHandle(scheduledMessageWorkflowId(id)).result()).toEqual({ outcome: 'cancelled' });

    const again = await system.request('POST', `/api/scheduled-messages/${id}/cancel`, { token: tokens.agent, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('scheduled_message_not_pending');
    expect((await system.request('PATCH', `/api/scheduled-messages/${id}`, { token: tokens.agent, body: { body: 'Too late' } })).status).toBe(409);
    const events = await system.db.event.findMany({ where: { conversationId, type: { startsWith: 'scheduled_message.' } }, orderBy: { id: 'asc' } });
    expect(events.map((event) => event.type)).toEqual(['scheduled_message.scheduled', 'scheduled_message.edited', 'scheduled_message.cancelled']);
    expect(await system.db.message.count({ where: { conversationId, authorKind: 'agent' } })).toBe(0);
  });

  it("is seen by whoever sees the conversation, changed only by its author or an admin; another team's agent and visitors get nothing", async () => {
    const { visitor, conversationId } = await startFrontlineConversation(system);
    const id: string = (await schedule(tokens.agent, conversationId, { body: 'Checking in', sendAt: inDays(1) })).body.scheduledMessage.id;
    const path = `/api/conversations/${conversationId}/scheduled-messages`;

    // Lina (same team) sees it but may not change it.
    expect((await system.request('GET', path, { token: tokens.lina })).body.scheduledMessages.map((entry: { id: string }) => entry.id)).toEqual([id]);
    const linaEdit = await system.request('PATCH', `/api/scheduled-messages/${id}`, { token: tokens.lina, body: { body: 'Hijacked' } });
    expect([linaEdit.status, linaEdit.body.error.code]).toEqual([403, 'forbidden']);
    expect((await system.request('POST', `/api/scheduled-messages/${id}/cancel`, { token: tokens.lina, body: {} })).status).toBe(403);

    // Priya (Specialists) may not see the conversation: every call is 404, and her lists leave it out.
    for (const [method, url, body] of [
      ['GET', path, undefined],
      ['POST', path, { body: 'Mine now', sendAt: inDays(1) }],
      ['PATCH', `/api/scheduled-messages/${id}`, { body: 'Hijacked' }],
      ['POST', `/api/scheduled-messages/${id}/cancel`, {}],
    ] as const)
      expect((await system.request(method, url, { token: tokens.expert, body })).status, `${method} ${url}`).toBe(404);
    expect(
      (await system.request('GET', '/api/scheduled-messages', { token: tokens.expert })).body.scheduledMessages.map((entry: { id: string }) => entry.id),
    ).not.toContain(id);

    // The visitor whose conversation it is: refused outright.
    expect((await system.request('GET', path, { token: visitor.token })).status).toBe(403);
    expect((await system.request('POST', `/api/scheduled-messages/${id}/cancel`, { token: visitor.token, body: {} })).status).toBe(403);

    const row = await system.db.scheduledMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ body: 'Checking in', status: 'pending' });
    // An admin may cancel anyone's.
    expect((await system.request('POST', `/api/scheduled-messages/${id}/cancel`, { token: tokens.admin, body: {} })).body.scheduledMessage.status).toBe(
      'cancelled',
    );
  });
});
