// Agent reminders on the running system (API, outbox relay, worker, Temporal): a due reminder
// reaches its owner alone over the socket (not a colleague who sees the conversation, not an
// admin, not the customer) and brings the conversation back to the owner's inbox — a resolved one
// reopened and taken when nobody holds it, a snoozed one woken; who may list and cancel one. The
// long wait, the worker crash and the cancel's timer are in workflows/reminder.integration-test.ts.
// And a call-back of the customer (issue 24), a reminder of kind callback: its events reach the
// agents who see the conversation, never the customer; a call answered meanwhile cancels it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderWorkflowId } from '../../domain/workflow-ids.js';
import { signIn, startFrontlineConversation } from '../../test/support/fixtures.js';
import { startSystem, type TestSystem } from '../../test/support/system.js';
import { waitUntil } from '../../test/support/wait-until.js';

let system: TestSystem;
let tokens: Record<'agent' | 'lina' | 'expert' | 'admin', string>;
let alexId: string;

beforeAll(async () => {
  system = await startSystem();
  tokens = await signIn(system, 'admin', 'agent', 'lina', 'expert');
  alexId = (await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
});
afterAll(() => system?.stop());

/** A time `ms` from now: a reminder due in a moment fires while the test waits on its event. */
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const remind = (token: string, conversationId: string, dueAt: string, note?: string) =>
  system.request('POST', `/api/conversations/${conversationId}/reminders`, { token, body: { dueAt, ...(note ? { note } : {}) } });
const act = async (token: string, conversationId: string, action: string, body: object = {}) => {
  const done = await system.request('POST', `/api/conversations/${conversationId}/${action}`, { token, body });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
};
/** A Frontline conversation whose workflow is running (the bot or the queue has it). */
async function frontlineConversation(name: string) {
  const started = await startFrontlineConversation(system, { name });
  await waitUntil(async () => {
    const row = await system.db.conversation.findUniqueOrThrow({ where: { id: started.conversationId } });
    return row.status === 'bot' || row.status === 'queued' ? row : null;
  });
  return started;
}

describe('reminders', () => {
  it('reaches its owner alone when due and brings a resolved conversation back to them: reopened, and theirs when nobody holds it', async () => {
    const { visitor, conversationId } = await frontlineConversation('Cleo');
    // Lina resolves it (she takes it to resolve) and goes offline: reopened, it is nobody's (an online assignee keeps it).
    await act(tokens.lina, conversationId, 'resolve');
    expect((await system.request('PUT', '/api/me/presence', { token: tokens.lina, body: { presence: 'offline' } })).status).toBe(200);
    const sockets = {
      alex: await system.socket(tokens.agent),
      lina: await system.socket(tokens.lina),
      admin: await system.socket(tokens.admin),
      customer: await system.socket(visitor.token),
    };
    const set = await remind(tokens.agent, conversationId, inMs(1500), 'Did the refund arrive?');
    expect(set.status, JSON.stringify(set.body)).toBe(201);
    expect(set.body.reminder).toMatchObject({ conversationId, ownerId: alexId, note: 'Did the refund arrive?', status: 'pending', firedAt: null });
    const id: string = set.body.reminder.id;

    const due = await sockets.alex.waitForEvent((event) => event.type === 'reminder.due' && event.conversationId === conversationId);
    expect(due.payload).toMatchObject({ reminder: { id, status: 'due', firedAt: expect.any(String) } });
    // The reminder is fired before the conversation moves: once a socket has the reopen, it would have had the reminder.
    for (const socket of Object.values(sockets))
      await socket.waitForEvent((event) => event.type === 'conversation.reopened' && event.conversationId === conversationId);
    await waitUntil(async () => {
      const row = await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
      return row.status === 'open' && row.assigneeId === alexId ? row : null;
    });
    expect(
      sockets.alex
        .events()
        .filter((event) => event.type.startsWith('reminder.'))
        .map((event) => event.type),
    ).toEqual(['reminder.set', 'reminder.due']);
    for (const who of ['lina', 'admin', 'customer'] as const)
      expect(
        sockets[who].events().filter((event) => event.type.startsWith('reminder.')),
        who,
      ).toEqual([]);
    expect(await system.temporal.workflow.getHandle(reminderWorkflowId(id)).result()).toEqual({ outcome: 'due' });
    // Fired: no longer pending, and too late to cancel.
    expect((await system.request('GET', '/api/reminders', { token: tokens.agent })).body.reminders.map((r: { id: string }) => r.id)).not.toContain(id);
    const late = await system.request('POST', `/api/reminders/${id}/cancel`, { token: tokens.agent, body: {} });
    expect([late.status, late.body.error?.code ?? late.body.code]).toEqual([409, 'reminder_not_pending']);
    for (const socket of Object.values(sockets)) await socket.close();
  });

  it('wakes a snoozed conversation of the owner', async () => {
    const { conversationId } = await frontlineConversation('Dev');
    await act(tokens.admin, conversationId, 'transfer', { toAgentId: alexId });
    await act(tokens.agent, conversationId, 'snooze');
    const socket = await system.socket(tokens.agent);
    expect((await remind(tokens.agent, conversationId, inMs(1500))).status).toBe(201);
    await socket.waitForEvent((event) => event.type === 'reminder.due' && event.conversationId === conversationId);
    const woken = await socket.waitForEvent((event) => event.type === 'conversation.unsnoozed' && event.conversationId === conversationId);
    expect(woken.payload).toMatchObject({ reason: 'a reminder came due' });
    expect(await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ status: 'open', assigneeId: alexId });
    await socket.close();
  });

  it('is listed to its owner only; a colleague cannot cancel it (404), an admin can; an agent outside the team cannot set one', async () => {
    const { conversationId } = await frontlineConversation('Eli');
    const set = await remind(tokens.agent, conversationId, inMs(24 * 60 * 60 * 1000));
    expect(set.status).toBe(201);
    const id: string = set.body.reminder.id;
    const ids = async (token: string, path: string) => ((await system.request('GET', path, { token })).body.reminders as { id: string }[]).map((r) => r.id);
    expect(await ids(tokens.agent, '/api/reminders')).toContain(id);
    expect(await ids(tokens.agent, `/api/conversations/${conversationId}/reminders`)).toEqual([id]);
    expect(await ids(tokens.lina, '/api/reminders')).not.toContain(id);
    expect(await ids(tokens.lina, `/api/conversations/${conversationId}/reminders`)).toEqual([]);
    expect((await system.request('POST', `/api/reminders/${id}/cancel`, { token: tokens.lina, body: {} })).status).toBe(404);
    expect((await remind(tokens.expert, conversationId, inMs(60_000))).status).toBe(404);

    const socket = await system.socket(tokens.agent);
    const cancelled = await system.request('POST', `/api/reminders/${id}/cancel`, { token: tokens.admin, body: {} });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.reminder).toMatchObject({ id, status: 'cancelled' });
    const adminId = (await system.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } })).id;
    const event = await socket.waitForEvent((candidate) => candidate.type === 'reminder.cancelled' && candidate.conversationId === conversationId);
    expect(event.payload).toMatchObject({ by: adminId, reminder: { id, status: 'cancelled' } });
    expect(await system.temporal.workflow.getHandle(reminderWorkflowId(id)).result()).toEqual({ outcome: 'cancelled' });
    expect(await ids(tokens.agent, '/api/reminders')).not.toContain(id);
    await socket.close();
  });

  it('a call-back is scheduled and comes due for the agents who see the conversation, not for the customer', async () => {
    const { visitor, conversationId } = await frontlineConversation('Fay');
    const sockets = {
      alex: await system.socket(tokens.agent),
      lina: await system.socket(tokens.lina),
      customer: await system.socket(visitor.token),
    };
    const scheduled = await system.request('POST', `/api/conversations/${conversationId}/callbacks`, { token: tokens.agent, body: { dueAt: inMs(1500) } });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    expect(scheduled.body.callback).toMatchObject({ kind: 'callback', ownerId: alexId, status: 'pending', callId: null });
    const id: string = scheduled.body.callback.id;
    for (const who of ['alex', 'lina'] as const) {
      await sockets[who].waitForEvent((event) => event.type === 'call.callback_scheduled' && event.conversationId === conversationId);
      const due = await sockets[who].waitForEvent((event) => event.type === 'call.callback_due' && event.conversationId === conversationId);
      expect(due.payload).toMatchObject({ reminder: { id, kind: 'callback', status: 'due', ownerId: alexId } });
    }
    expect(await system.temporal.workflow.getHandle(reminderWorkflowId(id)).result()).toEqual({ outcome: 'due' });
    // The customer writes after it: on their socket, in commit order, once that message is there a call-back event would be too.
    expect(
      (await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token, body: { body: 'Still there?' } })).status,
    ).toBe(201);
    await sockets.customer.waitForEvent((event) => event.type === 'message.created' && event.conversationId === conversationId);
    expect(sockets.customer.events().filter((event) => event.type.startsWith('call.callback') || event.type.startsWith('reminder.'))).toEqual([]);
    // Not a reminder: no reminder.due for anyone.
    expect(sockets.alex.events().some((event) => event.type === 'reminder.due')).toBe(false);
    for (const socket of Object.values(sockets)) await socket.close();
  });

  it("the visitor's 'Call me back' makes a call-back of the assignee's, due to them; one at a time, and only in their own conversation", async () => {
    // Everyone offline, so routing cannot give the new conversation to anybody before the request.
    const presence = async (token: string, state: 'online' | 'offline') =>
      expect((await system.request('PUT', '/api/me/presence', { token, body: { presence: state } })).status).toBe(200);
    for (const token of [tokens.agent, tokens.lina, tokens.expert, tokens.admin]) await presence(token, 'offline');
    const { visitor, conversationId } = await frontlineConversation('Hana');
    const stranger = await system.visitor('Ivo');
    const ask = (token: string, body: object = {}) => system.request('POST', `/api/widget/conversations/${conversationId}/callbacks`, { token, body });
    // Nobody holds it yet: refused, nothing stored.
    expect((await ask(visitor.token)).body).toMatchObject({ error: { code: 'no_agent' } });
    expect(await system.db.reminder.count({ where: { conversationId } })).toBe(0);
    await presence(tokens.agent, 'online');
    await act(tokens.agent, conversationId, 'transfer', { toAgentId: alexId });
    await waitUntil(async () => (await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).assigneeId === alexId);
    const alex = await system.socket(tokens.agent);
    const customer = await system.socket(visitor.token);
    expect((await ask(stranger.token)).status).toBe(404);

    const asked = await ask(visitor.token); // As soon as possible: due now.
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(Object.keys(asked.body.callback).sort()).toEqual(['conversationId', 'dueAt', 'id', 'status']);
    const id: string = asked.body.callback.id;
    const due = await alex.waitForEvent((event) => event.type === 'call.callback_due' && event.conversationId === conversationId);
    expect(due.payload).toMatchObject({ reminder: { id, kind: 'callback', status: 'due', ownerId: alexId } });

    // Due, it is no longer pending: the customer may ask again, and a second request while that one waits is refused.
    const later = await ask(visitor.token, { dueAt: inMs(60 * 60 * 1000) });
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    const again = await ask(visitor.token, { dueAt: inMs(2 * 60 * 60 * 1000) });
    expect([again.status, again.body.error?.code]).toEqual([409, 'callback_pending']);
    expect(await system.db.reminder.count({ where: { conversationId, kind: 'callback' } })).toBe(2);
    expect(customer.events().filter((event) => event.type.startsWith('call.callback'))).toEqual([]);
    await system.request('POST', `/api/reminders/${later.body.callback.id}/cancel`, { token: tokens.agent, body: {} });
    await alex.close();
    await customer.close();
  });

  it("the customer's call answered meanwhile cancels a pending call-back", async () => {
    const { visitor, conversationId } = await frontlineConversation('Gus');
    const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
    await system.db.channel.update({ where: { id: channel.id }, data: { settings: { ...(channel.settings as object), calls: true } } });
    const scheduled = await system.request('POST', `/api/conversations/${conversationId}/callbacks`, {
      token: tokens.agent,
      body: { dueAt: inMs(24 * 60 * 60 * 1000) },
    });
    expect(scheduled.status).toBe(201);
    const id: string = scheduled.body.callback.id;
    const call = await system.request('POST', `/api/widget/conversations/${conversationId}/calls`, { token: visitor.token, body: { media: 'audio' } });
    expect(call.status, JSON.stringify(call.body)).toBe(201);
    const socket = await system.socket(tokens.agent);
    expect((await system.request('POST', `/api/calls/${call.body.call.id}/accept`, { token: tokens.agent })).status).toBe(200);
    const cancelled = await socket.waitForEvent((event) => event.type === 'reminder.cancelled' && event.conversationId === conversationId);
    expect(cancelled.payload).toMatchObject({ by: alexId, reminder: { id, status: 'cancelled', kind: 'callback' } });
    expect(await system.temporal.workflow.getHandle(reminderWorkflowId(id)).result()).toEqual({ outcome: 'cancelled' });
    await system.request('POST', `/api/calls/${call.body.call.id}/hangup`, { token: tokens.agent });
    await socket.close();
  });
});
