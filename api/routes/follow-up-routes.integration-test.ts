// Follow-up sequences on the running system (API, outbox relay, worker, Temporal): a due step
// reaches the customer and their reply cancels the rest (the message insert's trigger, the relay,
// the workflow); the automation rule action start_follow_up; who may see and cancel one. The long
// waits, the race with a reply and the worker crash are in workflows/follow-up.integration-test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpWorkflowId } from '../../domain/workflow-ids.js';
import { signIn, startFrontlineConversation } from '../../test/support/fixtures.js';
import { startSystem, type TestSystem } from '../../test/support/system.js';

let system: TestSystem;
let tokens: Record<'agent' | 'lina' | 'expert' | 'admin', string>;

beforeAll(async () => {
  system = await startSystem();
  tokens = await signIn(system, 'admin', 'agent', 'lina', 'expert');
});
afterAll(() => system?.stop());

const day = 24 * 60;

const setFollowUp = (token: string, conversationId: string, steps: unknown[]) =>
  system.request('POST', `/api/conversations/${conversationId}/follow-ups`, { token, body: { steps } });
const customerWrites = (visitorToken: string, conversationId: string, body: string) =>
  system.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token: visitorToken, body: { body } });

describe('follow-ups', () => {
  it("sends a due step to the customer in the agent's name; the customer's reply cancels the rest", async () => {
    const { visitor, conversationId } = await startFrontlineConversation(system, { name: 'Ada' });
    // The customer last wrote a day ago: the first step (an hour after it) is due at once.
    await system.db.message.updateMany({ where: { conversationId, authorKind: 'customer' }, data: { createdAt: new Date(Date.now() - day * 60_000) } });
    const customerSocket = await system.socket(visitor.token);
    const agentSocket = await system.socket(tokens.agent);
    const set = await setFollowUp(tokens.agent, conversationId, [
      { afterMinutes: 60, text: 'Hi {{contact.name}}, did the card arrive?' },
      { afterMinutes: 3 * day, text: 'Closing this for now.', then: 'resolve' },
    ]);
    expect(set.status, JSON.stringify(set.body)).toBe(201);
    expect(set.body.followUp).toMatchObject({ status: 'active', sentSteps: 0, authorId: expect.any(String), ruleId: null });
    const id: string = set.body.followUp.id;

    const received = await customerSocket.waitForEvent(
      (event) => event.type === 'message.created' && (event.payload as { message: { body: string } }).message.body === 'Hi Ada, did the card arrive?',
    );
    expect((received.payload as { message: { authorKind: string } }).message.authorKind).toBe('agent');
    await agentSocket.waitForEvent((event) => event.type === 'follow_up.step_sent' && event.conversationId === conversationId);

    expect((await customerWrites(visitor.token, conversationId, 'Yes it did, thanks!')).status).toBe(201);
    const cancelled = await agentSocket.waitForEvent((event) => event.type === 'follow_up.cancelled' && event.conversationId === conversationId);
    expect(cancelled.payload).toMatchObject({ reason: 'customer_replied', followUp: { id, status: 'cancelled', sentSteps: 1, nextStepAt: null } });
    expect(await system.temporal.workflow.getHandle(followUpWorkflowId(id)).result()).toEqual({ status: 'cancelled', sentSteps: 1 });
    expect(await system.db.message.count({ where: { conversationId, body: { in: ['Hi Ada, did the card arrive?', 'Closing this for now.'] } } })).toBe(1);
    // The customer gets the message, never the sequence.
    expect(customerSocket.events().some((event) => event.type.startsWith('follow_up.'))).toBe(false);
    await customerSocket.close();
    await agentSocket.close();
  });

  it('the rule action start_follow_up starts one sent by the system; the message that ran the rule does not stop it, the next one does', async () => {
    const rule = await system.request('POST', '/api/rules', {
      token: tokens.admin,
      body: {
        name: 'Follow up on delivery questions',
        enabled: true,
        scope: 'conversation',
        trigger: { on: 'message_received', from: 'customer' },
        conditions: { all: [{ field: 'message.text', op: 'contains', value: 'parcel' }] },
        actions: [{ type: 'start_follow_up', steps: [{ afterMinutes: 2 * day, text: 'Did the parcel arrive, {{contact.name}}?' }] }],
      },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    try {
      const { visitor, conversationId } = await startFrontlineConversation(system, { name: 'Bo' });
      const agentSocket = await system.socket(tokens.agent);
      expect((await customerWrites(visitor.token, conversationId, 'Where is my parcel?')).status).toBe(201);
      const started = await agentSocket.waitForEvent((event) => event.type === 'follow_up.started' && event.conversationId === conversationId);
      expect(started.payload).toMatchObject({ followUp: { status: 'active', authorId: null, ruleId: rule.body.rule.id } });
      const id: string = (started.payload as { followUp: { id: string } }).followUp.id;
      const listed = await system.request('GET', `/api/conversations/${conversationId}/follow-ups`, { token: tokens.agent });
      expect(listed.body.followUps).toEqual([expect.objectContaining({ id, status: 'active', sentSteps: 0 })]);

      expect((await customerWrites(visitor.token, conversationId, 'Never mind, it came')).status).toBe(201);
      const cancelled = await agentSocket.waitForEvent((event) => event.type === 'follow_up.cancelled' && event.conversationId === conversationId);
      expect(cancelled.payload).toMatchObject({ reason: 'customer_replied', followUp: { id, sentSteps: 0 } });
      await agentSocket.close();
    } finally {
      await system.request('DELETE', `/api/rules/${rule.body.rule.id}`, { token: tokens.admin });
    }
  });

  it("is seen by whoever sees the conversation, cancelled only by its author or an admin; one at a time; another team's agent and visitors get nothing", async () => {
    const { visitor, conversationId } = await startFrontlineConversation(system);
    const path = `/api/conversations/${conversationId}/follow-ups`;
    const steps = [{ afterMinutes: day, text: 'Checking in' }];
    const id: string = (await setFollowUp(tokens.agent, conversationId, steps)).body.followUp.id;
    const second = await setFollowUp(tokens.lina, conversationId, steps);
    expect([second.status, second.body.error?.code], JSON.stringify(second.body)).toEqual([409, 'follow_up_active']);

    // Lina (same team) sees it but may not cancel Alex's.
    expect((await system.request('GET', path, { token: tokens.lina })).body.followUps.map((entry: { id: string }) => entry.id)).toEqual([id]);
    const linaCancel = await system.request('POST', `/api/follow-ups/${id}/cancel`, { token: tokens.lina, body: {} });
    expect([linaCancel.status, linaCancel.body.error.code]).toEqual([403, 'forbidden']);
    // Priya (Specialists) may not see the conversation: 404 everywhere.
    for (const [method, url, body] of [
      ['GET', path, undefined],
      ['POST', path, { steps }],
      ['POST', `/api/follow-ups/${id}/cancel`, {}],
    ] as const)
      expect((await system.request(method, url, { token: tokens.expert, body })).status, `${method} ${url}`).toBe(404);
    // The visitor: refused outright.
    expect((await system.request('GET', path, { token: visitor.token })).status).toBe(403);
    expect((await system.request('POST', `/api/follow-ups/${id}/cancel`, { token: visitor.token, body: {} })).status).toBe(403);
    expect(await system.db.followUp.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'active' });

    // An admin may cancel anyone's; its workflow ends; a second cancel is 409.
    const cancelled = await system.request('POST', `/api/follow-ups/${id}/cancel`, { token: tokens.admin, body: {} });
    expect(cancelled.body.followUp).toMatchObject({ status: 'cancelled', endReason: 'cancelled_by_agent' });
    expect(await system.temporal.workflow.getHandle(followUpWorkflowId(id)).result()).toEqual({ status: 'cancelled', sentSteps: 0 });
    const again = await system.request('POST', `/api/follow-ups/${id}/cancel`, { token: tokens.agent, body: {} });
    expect([again.status, again.body.error.code]).toEqual([409, 'follow_up_not_active']);
    expect(await system.db.message.count({ where: { conversationId, body: 'Checking in' } })).toBe(0);
  });
});
