// The console's conversation routes in-process (test/support/in-process-api.ts): the app over
// its own database with a fake Temporal client — filters, visibility, validation, API-key
// scopes, and what the workflow is told. The lifecycle itself is the workflows' tests' subject.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationFailures } from '../../workflows/conversation.messages.js';
import { createApiKey, signIn, startCustomerConversation, type CustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string; expert: string };
let stolenCard: CustomerConversation;
let address: CustomerConversation;
let specialistsOnly: CustomerConversation;

const idsOf = (body: { conversations: { id: string }[] }) => body.conversations.map((conversation) => conversation.id);

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent', 'expert');
  stolenCard = await startCustomerConversation(api, { name: 'Wu Hua', body: '我的信用卡被盗刷了，请冻结' });
  address = await startCustomerConversation(api, { name: 'Quinn Moss', body: 'Please update my postal address (100% urgent)' });
  specialistsOnly = await startCustomerConversation(api, { name: 'Sol Special', body: 'API webhook returns 500' });
  // No worker routes here: the test puts the conversations where it needs them.
  const specialists = await api.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
  await api.db.conversation.update({ where: { id: specialistsOnly.conversationId }, data: { teamId: specialists.id, priority: 'high', tags: ['api'] } });
});
afterAll(() => api?.stop());

describe('opening and listing', () => {
  it("starts each new conversation's workflow through the outbox, once", () => {
    const started = api.temporal.callsOf('start', 'conversationWorkflow').map((call) => call.workflowId);
    expect(started.filter((id) => id === `conversation-${stolenCard.conversationId}`)).toHaveLength(1);
    expect(started).toContain(`conversation-${address.conversationId}`);
  });

  it('lists only what an agent may see: another team’s conversation is left out, and 404 when opened', async () => {
    const alex = await api.request('GET', '/api/conversations', { token: tokens.agent });
    expect(alex.status).toBe(200);
    expect(idsOf(alex.body)).toEqual(expect.arrayContaining([stolenCard.conversationId, address.conversationId]));
    expect(idsOf(alex.body)).not.toContain(specialistsOnly.conversationId);
    const opened = await api.request('GET', `/api/conversations/${specialistsOnly.conversationId}`, { token: tokens.agent });
    expect(opened).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });

    const priya = await api.request('GET', '/api/conversations', { token: tokens.expert });
    expect(idsOf(priya.body)).toContain(specialistsOnly.conversationId);
    const admin = await api.request('GET', '/api/conversations', { token: tokens.admin });
    expect(idsOf(admin.body)).toEqual(expect.arrayContaining([stolenCard.conversationId, address.conversationId, specialistsOnly.conversationId]));
  });

  it('filters by priority, tag and unassigned', async () => {
    const high = await api.request('GET', '/api/conversations?priority=high', { token: tokens.admin });
    expect(idsOf(high.body)).toEqual([specialistsOnly.conversationId]);
    const tagged = await api.request('GET', '/api/conversations?tag=api', { token: tokens.admin });
    expect(idsOf(tagged.body)).toEqual([specialistsOnly.conversationId]);
    const unassigned = await api.request('GET', '/api/conversations?assignee=unassigned', { token: tokens.admin });
    expect(idsOf(unassigned.body)).toEqual(expect.arrayContaining([stolenCard.conversationId, address.conversationId, specialistsOnly.conversationId]));
    const mine = await api.request('GET', '/api/conversations?assignee=me', { token: tokens.agent });
    expect(mine).toMatchObject({ status: 200, body: { conversations: [] } });
  });

  it('searches messages in either Chinese script, and takes % literally', async () => {
    const traditional = await api.request('GET', `/api/conversations?q=${encodeURIComponent('被盜')}`, { token: tokens.admin });
    expect(idsOf(traditional.body)).toEqual([stolenCard.conversationId]);
    const percent = await api.request('GET', `/api/conversations?q=${encodeURIComponent('100%')}`, { token: tokens.admin });
    expect(idsOf(percent.body)).toEqual([address.conversationId]);
    const wildcard = await api.request('GET', `/api/conversations?q=${encodeURIComponent('%')}`, { token: tokens.admin });
    expect(idsOf(wildcard.body)).toEqual([address.conversationId]);
    const byName = await api.request('GET', '/api/conversations?q=quinn', { token: tokens.admin });
    expect(idsOf(byName.body)).toEqual([address.conversationId]);
  });

  it('refuses unknown filters and bad values with each problem by path', async () => {
    const answer = await api.request('GET', '/api/conversations?status=sleeping&colour=red', { token: tokens.admin });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_input');
    expect(answer.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['', 'status']);
  });
});

describe('API keys', () => {
  it('reads with conversations:read, is refused without it, and cannot ask for assignee=me', async () => {
    const reader = await createApiKey(api, tokens.admin, ['conversations:read']);
    const other = await createApiKey(api, tokens.admin, ['tickets:read']);
    const list = await api.request('GET', '/api/conversations', { token: reader });
    expect(idsOf(list.body)).toContain(specialistsOnly.conversationId); // a key sees like an admin
    expect(await api.request('GET', '/api/conversations', { token: other })).toMatchObject({
      status: 403,
      body: { error: { code: 'missing_scope', details: { scope: 'conversations:read' } } },
    });
    expect(await api.request('GET', '/api/conversations?assignee=me', { token: reader })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input' } },
    });
    // Lifecycle changes are for people (the workflow records who).
    expect(await api.request('POST', `/api/conversations/${address.conversationId}/resolve`, { token: reader, body: {} })).toMatchObject({ status: 403 });
  });

  it('is refused for a visitor token and without a token', async () => {
    expect(await api.request('GET', '/api/conversations', { token: address.visitor.token })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await api.request('GET', '/api/conversations')).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  });
});

describe('replies and notes', () => {
  it('stores a reply, shows it in the thread, and refuses a mention outside a private note', async () => {
    const reply = await api.request('POST', `/api/conversations/${address.conversationId}/messages`, { token: tokens.agent, body: { body: '  Done!  ' } });
    expect(reply).toMatchObject({ status: 201, body: { message: { body: 'Done!', authorKind: 'agent', private: false } } });
    const thread = await api.request('GET', `/api/conversations/${address.conversationId}/messages`, { token: tokens.agent });
    expect(thread.body.messages.map((message: { body: string }) => message.body)).toEqual(['Please update my postal address (100% urgent)', 'Done!']);

    const adminId = (await api.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } })).id;
    const mention = await api.request('POST', `/api/conversations/${address.conversationId}/messages`, {
      token: tokens.agent,
      body: { body: 'see @Ada', mentions: [adminId] },
    });
    expect(mention).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', details: [{ path: 'mentions', message: 'Only private notes can mention colleagues.' }] } },
    });
  });

  it('answers a retry with the same Idempotency-Key with the stored message (200), storing nothing twice', async () => {
    const send = () =>
      api.request('POST', `/api/conversations/${stolenCard.conversationId}/messages`, {
        token: tokens.agent,
        body: { body: '我们已冻结您的卡' },
        headers: { 'idempotency-key': 'reply-1' },
      });
    const first = await send();
    const again = await send();
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.message.id).toBe(first.body.message.id);
    expect(await api.db.message.count({ where: { conversationId: stolenCard.conversationId, body: '我们已冻结您的卡' } })).toBe(1);
  });
});

describe('taking a queued conversation (issue 21)', () => {
  it('tells the workflow who replied, on every public reply while it is queued, so the reply takes it', async () => {
    const queued = await startCustomerConversation(api, { name: 'Lin Queue', body: '我被重复扣款了' });
    const workflowId = `conversation-${queued.conversationId}`;
    const alexId = (await api.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
    const reply = (body: string, isPrivate = false) =>
      api.request('POST', `/api/conversations/${queued.conversationId}/messages`, { token: tokens.agent, body: { body, private: isPrivate } });
    const signalled = () => api.temporal.callsOf('signal', 'messagePosted').filter((call) => call.workflowId === workflowId);
    expect((await reply('我来看看')).status).toBe(201);
    expect((await reply('已为您查到两笔扣款')).status).toBe(201);
    expect((await reply('内部备注', true)).status).toBe(201);
    // Both public replies reach the workflow (the second one too, though the first response is
    // given and the wait does not change), each naming its author; the note does not.
    expect(signalled().map((call) => call.args[0])).toEqual([
      expect.objectContaining({ authorKind: 'agent', authorUserId: alexId }),
      expect.objectContaining({ authorKind: 'agent', authorUserId: alexId }),
    ]);
  });

  it('refuses a reply from an agent who may not see the conversation (nothing stored or signalled), and an integration’s reply takes nothing', async () => {
    const workflowId = `conversation-${specialistsOnly.conversationId}`;
    const signalled = () => api.temporal.callsOf('signal', 'messagePosted').filter((call) => call.workflowId === workflowId);
    const before = signalled().length;
    const messagesBefore = await api.db.message.count({ where: { conversationId: specialistsOnly.conversationId } });
    // Alex is not in the Specialists team: the conversation is not his to see, so not his to take.
    const refused = await api.request('POST', `/api/conversations/${specialistsOnly.conversationId}/messages`, {
      token: tokens.agent,
      body: { body: 'I will take this one' },
    });
    expect(refused).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await api.db.message.count({ where: { conversationId: specialistsOnly.conversationId } })).toBe(messagesBefore);
    expect(signalled()).toHaveLength(before);

    // An integration answers on the agents' side but is nobody: its reply names no author to assign.
    const key = await createApiKey(api, tokens.admin, ['conversations:read', 'conversations:write'], 'Reply bot');
    const answered = await api.request('POST', `/api/conversations/${specialistsOnly.conversationId}/messages`, {
      token: key,
      body: { body: 'We have received your report.' },
    });
    expect(answered.status).toBe(201);
    expect(
      signalled()
        .slice(before)
        .map((call) => call.args[0]),
    ).toEqual([expect.objectContaining({ authorKind: 'agent', authorUserId: null })]);
  });

  it('assigns to me: the transfer update to the acting agent, on a conversation they can see', async () => {
    const queued = await startCustomerConversation(api, { name: 'Mo Queue', body: 'My card was declined' });
    const alexId = (await api.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
    const answer = await api.request('POST', `/api/conversations/${queued.conversationId}/transfer`, { token: tokens.agent, body: { toAgentId: alexId } });
    expect(answer.status).toBe(200);
    expect(api.temporal.callsOf('update', 'transfer').at(-1)).toMatchObject({
      workflowId: `conversation-${queued.conversationId}`,
      args: [{ byUserId: alexId, toAgentId: alexId }],
    });
    const hidden = await api.request('POST', `/api/conversations/${specialistsOnly.conversationId}/transfer`, {
      token: tokens.agent,
      body: { toAgentId: alexId },
    });
    expect(hidden).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });
});

describe('lifecycle actions', () => {
  it('runs the update on the conversation’s workflow with the acting user', async () => {
    const alexId = (await api.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
    const answer = await api.request('POST', `/api/conversations/${address.conversationId}/snooze`, {
      token: tokens.agent,
      body: { until: '2030-01-01T09:00:00+08:00' },
    });
    expect(answer).toMatchObject({ status: 200, body: { conversation: { id: address.conversationId } } });
    expect(api.temporal.callsOf('update', 'snooze').at(-1)).toMatchObject({
      workflowId: `conversation-${address.conversationId}`,
      args: [{ byUserId: alexId, until: '2030-01-01T09:00:00+08:00' }],
    });
  });

  it('validates the body before the workflow hears anything', async () => {
    const before = api.temporal.calls.length;
    const transfer = await api.request('POST', `/api/conversations/${address.conversationId}/transfer`, { token: tokens.agent, body: {} });
    expect(transfer).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', details: [{ message: 'Give exactly one of toAgentId and toTeamId.' }] } },
    });
    const resolve = await api.request('POST', `/api/conversations/${address.conversationId}/resolve`, { token: tokens.agent, body: { now: true } });
    expect(resolve.status).toBe(400);
    const tags = await api.request('POST', `/api/conversations/${address.conversationId}/tags`, { token: tokens.agent, body: { add: [], remove: [] } });
    expect(tags).toMatchObject({ status: 400, body: { error: { details: [{ message: 'Give tags to add or remove.' }] } } });
    expect(api.temporal.calls.length).toBe(before);
  });

  it("answers the workflow's refusal as 409 with its reason, and a finished workflow as conversation_closed", async () => {
    api.temporal.answer('update', 'reopen', () => {
      throw ApplicationFailure.nonRetryable('The conversation is open, not resolved.', conversationFailures.invalidTransition);
    });
    const refused = await api.request('POST', `/api/conversations/${address.conversationId}/reopen`, { token: tokens.agent, body: {} });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'invalid_transition', message: 'The conversation is open, not resolved.' } } });

    api.temporal.forget(`conversation-${stolenCard.conversationId}`);
    const closed = await api.request('POST', `/api/conversations/${stolenCard.conversationId}/resolve`, { token: tokens.agent, body: {} });
    expect(closed).toMatchObject({ status: 409, body: { error: { code: 'conversation_closed' } } });
  });

  it('does not reveal a conversation the agent may not see, whatever the body', async () => {
    const answer = await api.request('POST', `/api/conversations/${specialistsOnly.conversationId}/priority`, {
      token: tokens.agent,
      body: { priority: 'urgent' },
    });
    expect(answer).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(api.temporal.callsOf('update', 'setPriority')).toHaveLength(0);
  });

  it('merges only into a conversation the agent may see too, through the source’s workflow', async () => {
    const source = await startCustomerConversation(api, { name: 'Mia Merge', body: 'Second chat about my card' });
    const hidden = await api.request('POST', `/api/conversations/${source.conversationId}/merge`, {
      token: tokens.agent,
      body: { intoConversationId: specialistsOnly.conversationId },
    });
    expect(hidden).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(
      await api.request('POST', `/api/conversations/${source.conversationId}/merge`, { token: tokens.agent, body: { intoConversationId: 'nope' } }),
    ).toMatchObject({ status: 400 });
    expect(api.temporal.callsOf('update', 'merge')).toHaveLength(0);

    const merged = await api.request('POST', `/api/conversations/${source.conversationId}/merge`, {
      token: tokens.expert,
      body: { intoConversationId: specialistsOnly.conversationId },
    });
    expect(merged.status).toBe(200);
    expect(api.temporal.callsOf('update', 'merge').map((call) => call.workflowId)).toEqual([`conversation-${source.conversationId}`]);
  });
});
