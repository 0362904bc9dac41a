// An unverified identity claim reaches nothing of the verified contact it names, on the real stack:
// not over REST, not over the WebSocket (backlog or live). The verified visitor's own socket gets
// the same events, so the silence of the other is not a quiet stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHash } from '../api/services/widget-identity.js';
import type { TestSocket } from './support/socket-client.js';
import { signIn } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let admin: string;
let secret: string;

beforeAll(async () => {
  system = await startSystem({ inProcessWorker: false });
  ({ admin } = await signIn(system, 'admin'));
  const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' }, orderBy: { createdAt: 'asc' } });
  secret = (await system.request('POST', `/api/channels/${channel.id}/identity-secret`, { token: admin })).body.secret;
});
afterAll(() => system?.stop());

const identify = (identity: Record<string, unknown>) => system.request('POST', '/api/widget/visitors', { body: { identity } });

describe('an unverified claim of a verified contact', () => {
  it('gets nothing of theirs over REST or the WebSocket', async () => {
    const verified = await identify({ userId: 'acct-1001', email: 'lan@example.com', name: 'Lan', userHash: identityHash(secret, 'acct-1001') });
    expect(verified).toMatchObject({ status: 201, body: { verified: true } });
    const started = await system.request('POST', '/api/widget/conversations', { token: verified.body.token, body: { body: 'My invoice is wrong' } });
    expect(started.status).toBe(201);
    const conversationId: string = started.body.conversation.id;

    // The same user id and email, with a forged hash, and with none.
    const forged = await identify({ userId: 'acct-1001', email: 'lan@example.com', userHash: identityHash('guessed', 'acct-1001') });
    const unsigned = await identify({ userId: 'acct-1001', email: 'lan@example.com' });
    const sockets: Record<'verified' | 'forged' | 'unsigned', TestSocket> = {
      verified: await system.socket(verified.body.token, '0'),
      forged: await system.socket(forged.body.token, '0'),
      unsigned: await system.socket(unsigned.body.token, '0'),
    };
    for (const claim of [forged, unsigned]) {
      expect(claim).toMatchObject({ status: 201, body: { verified: false } });
      expect(claim.body.customer.id).not.toBe(verified.body.customer.id);
      expect((await system.request('GET', '/api/widget/conversations', { token: claim.body.token })).body.conversations).toEqual([]);
      expect((await system.request('GET', `/api/widget/conversations/${conversationId}/messages`, { token: claim.body.token })).status).toBe(404);
      expect(
        (await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token: claim.body.token, body: { body: 'let me in' } })).status,
      ).toBe(404);
    }

    // A reply pushed live after the sockets opened: the verified visitor gets it (and the backlog),
    // the claims neither.
    const reply = await system.request('POST', `/api/conversations/${conversationId}/messages`, { token: admin, body: { body: 'We fixed your invoice' } });
    expect(reply.status).toBe(201);
    await sockets.verified.waitForEvent((event) => event.type === 'message.created' && (event.payload.message as { id: string }).id === reply.body.message.id);
    expect(sockets.verified.events().some((event) => event.type === 'conversation.created' && event.conversationId === conversationId)).toBe(true);
    // A later event of the claims' own (each starts a conversation) marks where their streams have reached.
    for (const name of ['forged', 'unsigned'] as const) {
      const claim = name === 'forged' ? forged : unsigned;
      const own = await system.request('POST', '/api/widget/conversations', { token: claim.body.token, body: { body: `${name}: hello` } });
      await sockets[name].waitForEvent((event) => event.conversationId === own.body.conversation.id);
      const leaked = sockets[name].events().filter((event) => event.conversationId === conversationId || event.customerId === verified.body.customer.id);
      expect(leaked, `${name} received the verified contact's events`).toEqual([]);
    }
    expect(await system.db.message.count({ where: { conversationId, body: 'let me in' } })).toBe(0);
  });
});
