// Fault test with real processes: the Temporal dev server (its SQLite file kept on disk) is
// stopped while customers keep writing, then started again. The API accepts everything
// meanwhile: a message to a snoozed conversation and a brand-new conversation are stored at
// once, and their workflow signal and start wait in the outbox. After the restart the relay
// delivers them: the snoozed conversation wakes, the new one is routed, nothing is lost or doubled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSocket } from './support/socket-client.js';
import { startRestartableTemporal, type RestartableTemporal } from './support/restartable-temporal.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

let temporal: RestartableTemporal | undefined;
let system: TestSystem;

beforeAll(async () => {
  temporal = await startRestartableTemporal('temporal-restart');
  system = await startSystem({ temporalAddress: temporal.address });
});
afterAll(async () => {
  await system?.stop();
  await temporal?.remove();
});

describe('a Temporal server stopped and started again', () => {
  it('keeps every message accepted meanwhile, and the workflows catch up once it is back', async () => {
    const agent = await system.login('agent@seamless.local'); // online; skills: cards
    const agentSocket: TestSocket = await system.socket(agent);
    const visitor = await system.visitor();
    const opened = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'My card was declined at the shop' } });
    const snoozedId = opened.body.conversation.id as string;
    await agentSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === snoozedId, 30_000);
    expect((await system.request('POST', `/api/conversations/${snoozedId}/messages`, { token: agent, body: { body: 'Checking, one moment.' } })).status).toBe(
      201,
    );
    expect((await system.request('POST', `/api/conversations/${snoozedId}/snooze`, { token: agent, body: {} })).status).toBe(200);

    await temporal!.stop();

    // Temporal is down: both requests are accepted and stored all the same.
    const wrote = await system.request('POST', `/api/widget/conversations/${snoozedId}/messages`, {
      token: visitor.token,
      body: { body: 'Any news? 有进展吗？' },
    });
    expect(wrote.status).toBe(201);
    const newcomer = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', { token: newcomer.token, body: { body: 'My card PIN is blocked' } });
    expect(started.status).toBe(201);
    const newId = started.body.conversation.id as string;
    expect((await system.db.workflowOutbox.findMany({ orderBy: { id: 'asc' } })).map((row) => [row.kind, row.workflowId])).toEqual([
      ['message_posted', `conversation-${snoozedId}`],
      ['start_conversation', `conversation-${newId}`],
    ]);

    await temporal!.start();

    // The relay delivers: the customer's message wakes the snoozed conversation, the new one is routed.
    await agentSocket.waitForEvent((event) => event.type === 'conversation.unsnoozed' && event.conversationId === snoozedId, 60_000);
    await agentSocket.waitForEvent((event) => event.type === 'conversation.classified' && event.conversationId === newId, 60_000);
    await waitUntil(async () => ((await system.db.workflowOutbox.count()) === 0 ? true : null), 30_000);
    expect(await system.db.message.count({ where: { conversationId: snoozedId, body: 'Any news? 有进展吗？' } })).toBe(1);
    expect(await system.db.message.count({ where: { conversationId: newId } })).toBe(1);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: snoozedId } })).status).toBe('open');
  });
});
