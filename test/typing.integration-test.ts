// Typing indicators over the WebSocket, on the real stack: the customer's typing reaches the
// agents who may see the conversation and an agent's reaches the customer; an agent writing a
// private note is shown to agents only; another customer learns nothing (not even that the
// conversation exists); a bad frame is answered, and the socket stays usable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, TestSocket } from './support/socket-client.js';
import { startCustomerConversation } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system?.stop());

type Typing = Extract<Frame, { type: 'typing' }>;
const typingIn =
  (conversationId: string, from: 'customer' | 'agent', typing = true) =>
  (frame: Frame) =>
    frame.type === 'typing' && frame.conversationId === conversationId && frame.from === from && frame.typing === typing;
const typingFrames = (socket: TestSocket, conversationId: string) =>
  socket.frames.filter((frame): frame is Typing => frame.type === 'typing' && frame.conversationId === conversationId);

async function conversationOf(body: string) {
  const { visitor, conversationId } = await startCustomerConversation(system, { body });
  return { token: visitor.token, conversationId, socket: await system.socket(visitor.token) };
}

describe('typing indicators', () => {
  it('go both ways between the customer and agents, private-note typing stays with agents, other customers see nothing', async () => {
    const admin = await system.socket(await system.login('admin@seamless.local'));
    const alice = await conversationOf('Hello, my card is stuck in the machine');
    const bob = await conversationOf('你好，我想查询余额');

    alice.socket.send({ type: 'typing', conversationId: alice.conversationId, typing: true });
    expect(await admin.waitFor(typingIn(alice.conversationId, 'customer'))).toMatchObject({ name: null });

    admin.send({ type: 'typing', conversationId: alice.conversationId, typing: true, private: true });
    admin.send({ type: 'typing', conversationId: alice.conversationId, typing: false });
    // The public "stopped" arrives; the private note's "typing" (sent before it) never did.
    expect(await alice.socket.waitFor(typingIn(alice.conversationId, 'agent', false))).toMatchObject({ name: 'Ada Admin' });
    expect(typingFrames(alice.socket, alice.conversationId).map((frame) => frame.typing)).toEqual([false]);
    // A socket is not told about its own typing.
    expect(typingFrames(alice.socket, alice.conversationId).some((frame) => frame.from === 'customer')).toBe(false);

    // Bob hears typing in his own conversation only: Alice's went out before this one.
    admin.send({ type: 'typing', conversationId: bob.conversationId, typing: true });
    await bob.socket.waitFor(typingIn(bob.conversationId, 'agent'));
    expect(typingFrames(bob.socket, alice.conversationId)).toEqual([]);

    // Typing into someone else's conversation is refused like an unknown one.
    bob.socket.send({ type: 'typing', conversationId: alice.conversationId, typing: true });
    expect(await bob.socket.waitFor((frame) => frame.type === 'error')).toMatchObject({ code: 'not_found' });
  });

  it('answers a malformed frame with an error and keeps the socket open', async () => {
    const carol = await conversationOf('Where is my refund?');
    const admin = await system.socket(await system.login('admin@seamless.local'));
    carol.socket.send('{not json');
    expect(await carol.socket.waitFor((frame) => frame.type === 'error')).toMatchObject({ code: 'invalid_frame' });
    carol.socket.send({ type: 'typing', conversationId: carol.conversationId, typing: 'yes' });
    carol.socket.send({ type: 'typing', conversationId: carol.conversationId, typing: true });
    await admin.waitFor(typingIn(carol.conversationId, 'customer'));
    expect(carol.socket.frames.filter((frame) => frame.type === 'error')).toHaveLength(2);
  });
});
