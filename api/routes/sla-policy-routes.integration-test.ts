// SLA policies in-process (test/support/in-process-api.ts): validation, admins only, and a change
// told to the running conversations that use the policy (through the outbox, to the fake Temporal).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slaPolicyChangedSignal } from '../../workflows/conversation.messages.js';
import { signIn, startCustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent');
});
afterAll(() => api?.stop());

const policyBody = { name: 'VIP urgent', priority: 'urgent', firstResponseMinutes: 5, nextResponseMinutes: 10, resolutionMinutes: 60 };

describe('SLA policies', () => {
  it('creates a policy with its defaults; agents read, only admins write', async () => {
    const created = await api.request('POST', '/api/sla-policies', { token: tokens.admin, body: policyBody });
    expect(created).toMatchObject({
      status: 201,
      body: { slaPolicy: { name: 'VIP urgent', warningPercent: 80, escalation: [], enabled: true, channelKind: null, teamId: null } },
    });
    expect((await api.request('GET', '/api/sla-policies', { token: tokens.agent })).status).toBe(200);
    expect(await api.request('POST', '/api/sla-policies', { token: tokens.agent, body: { ...policyBody, name: 'Agent made' } })).toMatchObject({ status: 403 });
  });

  it('refuses a repeated escalation step, targets out of range and unknown fields, by path', async () => {
    const answer = await api.request('POST', '/api/sla-policies', {
      token: tokens.admin,
      body: { ...policyBody, firstResponseMinutes: 0, escalation: [{ action: 'notify' }, { action: 'notify' }], colour: 'red' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['', 'escalation', 'firstResponseMinutes']);
  });

  it('tells each running conversation measured against a changed policy to plan again', async () => {
    const policy = (await api.request('POST', '/api/sla-policies', { token: tokens.admin, body: { ...policyBody, name: 'Replanned' } })).body.slaPolicy;
    const { conversationId } = await startCustomerConversation(api);
    await api.db.conversation.update({ where: { id: conversationId }, data: { slaPolicyId: policy.id, status: 'open' } });

    const changed = await api.request('PATCH', `/api/sla-policies/${policy.id}`, { token: tokens.admin, body: { firstResponseMinutes: 3 } });
    expect(changed).toMatchObject({ status: 200, body: { slaPolicy: { firstResponseMinutes: 3 } } });
    const workflowId = `conversation-${conversationId}`;
    await api.temporal.waitForCall((call) => call.kind === 'signal' && call.name === slaPolicyChangedSignal.name && call.workflowId === workflowId);
    expect(api.temporal.callsOf('signal', slaPolicyChangedSignal.name).filter((call) => call.workflowId === workflowId)).toHaveLength(1);
  });

  it('deletes a policy no conversation uses, for admins only', async () => {
    const policy = (await api.request('POST', '/api/sla-policies', { token: tokens.admin, body: { ...policyBody, name: 'Short-lived' } })).body.slaPolicy;
    expect(await api.request('DELETE', `/api/sla-policies/${policy.id}`, { token: tokens.agent })).toMatchObject({ status: 403 });
    expect((await api.request('DELETE', `/api/sla-policies/${policy.id}`, { token: tokens.admin })).status).toBe(204);
    expect(await api.db.slaPolicy.findUnique({ where: { id: policy.id } })).toBeNull();
  });
});
