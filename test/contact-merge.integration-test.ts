// A contact merge over the WebSocket (issue 18): once contact B is merged into contact A, the
// events of B's old conversation carry A's id — an agent's socket gets them named for A, and A's
// own widget socket receives them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let tokens: { admin: string; agent: string };

beforeAll(async () => {
  system = await startSystem({ inProcessWorker: false });
  tokens = await signIn(system, 'admin', 'agent');
});
afterAll(() => system?.stop());

describe('events after a contact merge', () => {
  it('carry the survivor’s id and reach the survivor’s own socket', async () => {
    const survivor = await system.visitor('Survivor A');
    const merged = await system.visitor('Merged B');
    const started = await system.request('POST', '/api/widget/conversations', { token: merged.token, body: { body: 'B writes first' } });
    expect(started.status).toBe(201);
    const conversationId: string = started.body.conversation.id;

    const answer = await system.request('POST', `/api/customers/${survivor.customerId}/merge`, { token: tokens.admin, body: { otherId: merged.customerId } });
    expect(answer).toMatchObject({ status: 200, body: { moved: { conversations: 1 } } });

    const adminSocket = await system.socket(tokens.admin);
    const survivorSocket = await system.socket(survivor.token);
    const reply = await system.request('POST', `/api/conversations/${conversationId}/messages`, { token: tokens.admin, body: { body: 'After the merge' } });
    expect(reply.status).toBe(201);
    const isReply = (event: { type: string; payload: Record<string, unknown> }) =>
      event.type === 'message.created' && (event.payload.message as { id?: string } | undefined)?.id === reply.body.message.id;
    const seenByAdmin = await adminSocket.waitForEvent(isReply);
    expect(seenByAdmin.customerId).toBe(survivor.customerId);
    const seenBySurvivor = await survivorSocket.waitForEvent(isReply);
    expect(seenBySurvivor).toMatchObject({ customerId: survivor.customerId, conversationId });
    expect(await system.db.customer.findUnique({ where: { id: merged.customerId } })).toBeNull();
  });
});
