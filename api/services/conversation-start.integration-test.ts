// startConversation (conversation-service.ts) in-process: what one start stores and announces.
// It reads back only the customer after its inserts (the channel is known, a new conversation has
// no assignee, a new customer message no author user, mail or files), so this checks that the
// views in its events and its answer are exactly the views of the stored rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerConversationView, customerMessageView } from '../../domain/event-audience.js';
import { conversationInclude, messageInclude, toConversationView, toMessageView } from '../../infra/views.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;

beforeAll(async () => {
  api = await startInProcessApi();
});
afterAll(() => api?.stop());

describe('starting a conversation', () => {
  it('announces the stored conversation and first message as their views, and owes the workflow its start', async () => {
    const visitor = await api.visitor('Stella Start');
    const started = await api.request('POST', '/api/widget/conversations', {
      token: visitor.token,
      body: { body: 'My order never arrived' },
      headers: { 'idempotency-key': 'start-views-1' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    // No worker runs here: the rows are as the start stored them.
    const conversation = toConversationView(await api.db.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: conversationInclude }));
    const message = toMessageView(await api.db.message.findFirstOrThrow({ where: { conversationId }, include: messageInclude }));
    const events = await api.db.event.findMany({ where: { conversationId }, orderBy: { id: 'asc' } });
    expect(events.map((event) => [event.type, event.payload])).toEqual([
      ['conversation.created', { conversation }],
      ['message.created', { message }],
    ]);
    expect(conversation).toMatchObject({ customer: { name: 'Stella Start' }, assigneeName: null });
    expect(message).toMatchObject({ authorName: 'Stella Start', body: 'My order never arrived' });
    // The answer carries the same views, as the visitor may see them.
    expect(started.body).toEqual({ conversation: customerConversationView(conversation), message: customerMessageView(message) });
    expect(api.temporal.callsOf('start', 'conversationWorkflow').map((call) => call.workflowId)).toEqual([`conversation-${conversationId}`]);

    // A retry with the key answers the same conversation and stores nothing twice.
    const replayed = await api.request('POST', '/api/widget/conversations', {
      token: visitor.token,
      body: { body: 'My order never arrived' },
      headers: { 'idempotency-key': 'start-views-1' },
    });
    expect(replayed).toMatchObject({ status: 200, body: { conversation: { id: conversationId }, message: { id: message.id } } });
    expect(await api.db.event.count({ where: { conversationId } })).toBe(2);
    expect(await api.db.conversation.count({ where: { customerId: visitor.customerId } })).toBe(1);
  });

  it('answers a replayed key with its conversation even after web chat was turned off, and refuses a new start then', async () => {
    const visitor = await api.visitor('Otto Off');
    const request = (key: string) =>
      api.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Anyone there?' }, headers: { 'idempotency-key': key } });
    const first = await request('start-off-1');
    expect(first.status).toBe(201);
    const channels = await api.db.channel.findMany({ where: { kind: 'web_chat', enabled: true }, select: { id: true } });
    await api.db.channel.updateMany({ where: { id: { in: channels.map((channel) => channel.id) } }, data: { enabled: false } });
    try {
      expect(await request('start-off-1')).toMatchObject({ status: 200, body: { conversation: { id: first.body.conversation.id } } });
      expect(await request('start-off-2')).toMatchObject({ status: 503, body: { error: { code: 'channel_unavailable' } } });
    } finally {
      await api.db.channel.updateMany({ where: { id: { in: channels.map((channel) => channel.id) } }, data: { enabled: true } });
    }
    expect(await api.db.conversation.count({ where: { customerId: visitor.customerId } })).toBe(1);
  });
});
