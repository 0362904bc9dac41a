// The WebSocket endpoint's bounds against one client hogging the process: an upgrade on another
// path is answered and closed (never left hanging with its descriptor), sockets per token and per
// address are capped, a socket's frames are rate-limited (then the socket closed), and a flood
// of typing "stopped" frames costs one notice. Low limits come from the system's options.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitedCloseCode } from '../realtime/realtime-server.js';
import { upgradeStatus, type TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;

beforeAll(async () => {
  // No refill within a test run: a burst of 20 frames, then every frame counts as dropped.
  system = await startSystem({ inProcessWorker: false, realtimeLimits: { socketsPerToken: 3, socketsPerIp: 6, frameBurst: 20, framesPerSecond: 0.001 } });
});
afterAll(async () => {
  await system?.stop();
});

/** Sends a WebSocket upgrade on `path` over raw TCP; resolves with what the server wrote once it closes the connection. */
function rawUpgrade(path: string): Promise<string> {
  const { hostname, port } = new URL(system.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server left the upgrade on ${path} open; it wrote: ${JSON.stringify(received)}`));
    }, 10_000);
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', reject);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
  });
}

const conversationOf = async (token: string, body: string) => {
  const started = await system.request('POST', '/api/widget/conversations', { token, body: { body } });
  expect(started.status).toBe(201);
  return started.body.conversation.id as string;
};

describe('WebSocket upgrades', () => {
  it('answers an upgrade on any other path with 404 and closes the connection, token or not', async () => {
    for (const path of ['/', '/api/health', '/socket.io/?EIO=4', '/wss?token=x']) {
      expect(await rawUpgrade(path), path).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    }
    // The real endpoint still answers.
    expect(await upgradeStatus(system.url, '')).toBe(401);
  });

  it('caps open sockets per token and per address with 429, and frees the slot when a socket closes', async () => {
    const [a, b, c] = [await system.visitor('A'), await system.visitor('B'), await system.visitor('C')];
    const sockets: TestSocket[] = [];
    for (let i = 0; i < 3; i++) sockets.push(await system.socket(a.token));
    expect(await upgradeStatus(system.url, `?token=${a.token}`), 'a fourth socket on one token').toBe(429);
    for (let i = 0; i < 3; i++) sockets.push(await system.socket(b.token));
    expect(await upgradeStatus(system.url, `?token=${c.token}`), 'a seventh socket from one address').toBe(429);
    await sockets[0]!.close();
    const reopened = await system.socket(c.token);
    expect(reopened.frames.some((frame) => frame.type === 'ready')).toBe(true);
    await Promise.all([...sockets, reopened].map((socket) => socket.close()));
  });
});

describe('client frames', () => {
  it('drops frames beyond the rate with one rate_limited error, and closes a socket that keeps flooding', async () => {
    const visitor = await system.visitor('Flooder');
    const socket = await system.socket(visitor.token);
    for (let i = 0; i < 25; i++) socket.send('{not json');
    await socket.waitFor((frame) => frame.type === 'error' && frame.code === 'rate_limited');
    const errors = () => socket.frames.filter((frame) => frame.type === 'error');
    // The burst was served (each an invalid_frame answer), the rest dropped with a single notice.
    await socket.waitFor(() => errors().filter((frame) => frame.type === 'error' && frame.code === 'invalid_frame').length === 20);
    expect(errors().filter((frame) => frame.type === 'error' && frame.code === 'rate_limited')).toHaveLength(1);
    for (let i = 0; i < 100; i++) socket.send('{not json');
    expect(await socket.closed).toEqual({ code: rateLimitedCloseCode, reason: 'rate limited' });
  });

  it('relays one "stopped" after a "typing", however many the client sends', async () => {
    const visitor = await system.visitor('Typist');
    const first = await conversationOf(visitor.token, 'My transfer has not arrived');
    const second = await conversationOf(visitor.token, 'Also: how do I close my account?');
    const admin = await system.socket(await system.login('admin@seamless.local'));
    const socket = await system.socket(visitor.token);
    socket.send({ type: 'typing', conversationId: first, typing: true });
    for (let i = 0; i < 15; i++) socket.send({ type: 'typing', conversationId: first, typing: false });
    // Frames of one socket are relayed in order: once the other conversation's notice arrives, all of the first's did.
    socket.send({ type: 'typing', conversationId: second, typing: true });
    await admin.waitFor((frame) => frame.type === 'typing' && frame.conversationId === second);
    const firstFrames = admin.frames.flatMap((frame) => (frame.type === 'typing' && frame.conversationId === first ? [frame.typing] : []));
    expect(firstFrames).toEqual([true, false]);
  });

  it('answers every malformed frame (NUL in a value or a key, bad JSON, wrong types, unknown kinds, binary) with invalid_frame and stays open', async () => {
    const visitor = await system.visitor('Prober');
    const conversationId = await conversationOf(visitor.token, 'Is my card blocked?');
    const socket = await system.socket(visitor.token);
    const probes = [
      { type: 'typing', conversationId: `${conversationId}\u0000`, typing: true },
      { type: 'typing\u0000', conversationId, typing: true },
      { type: 'typing', conversationId, typing: true, 'private\u0000': true },
      { type: 'typing', conversationId, typing: 'yes' },
      { type: 'typing', conversationId: 42, typing: true },
      { type: 'message', conversationId, body: 'hello' },
      { type: 'typing', conversationId, typing: true, nested: { deep: [[[[[]]]]] } },
      [],
      null,
    ];
    for (const probe of probes) socket.send(JSON.stringify(probe));
    socket.send('{"type":"typing","conversationId":"\u0000');
    socket.send('\u0000');
    socket.send(Buffer.from([0xff, 0xfe, 0x00]).toString('latin1'));
    const expected = probes.length + 3;
    await socket.waitFor(() => socket.frames.filter((frame) => frame.type === 'error').length === expected);
    expect(socket.frames.filter((frame) => frame.type === 'error').map((frame) => frame.type === 'error' && frame.code)).toEqual(
      Array(expected).fill('invalid_frame'),
    );
    // Still open and working: a valid frame is relayed.
    const admin = await system.socket(await system.login('admin@seamless.local'));
    socket.send({ type: 'typing', conversationId, typing: true });
    await admin.waitFor((frame) => frame.type === 'typing' && frame.conversationId === conversationId);
  });

  it('closes a socket that sends a frame over 64 KB', async () => {
    const visitor = await system.visitor('Big sender');
    const socket = await system.socket(visitor.token);
    socket.send(JSON.stringify({ type: 'typing', conversationId: 'x'.repeat(70_000), typing: true }));
    expect((await socket.closed).code).toBe(1009);
  });
});
