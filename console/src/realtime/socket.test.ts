import { describe, expect, it } from 'vitest';
import type { EventView } from '../../../domain/events';
import { RealtimeClient, type ConnectionState, type SocketLike } from './socket';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
  send(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop() {
    this.onerror?.({});
    this.onclose?.({});
  }
}

const event = (id: string): EventView => ({
  id,
  type: 'message.created',
  occurredAt: '2025-01-01T00:00:00.000Z',
  actorKind: 'customer',
  actorId: null,
  customerId: 'u1',
  conversationId: 'c1',
  ticketId: null,
  payload: {},
});

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const received: string[] = [];
  const states: ConnectionState[] = [];
  const client = new RealtimeClient({
    url: (position) => (position === null ? '/ws?token=t' : `/ws?token=t&after=${position.after}&xmin=${position.xmin}`),
    onEvent: (e) => received.push(e.id),
    onState: (state) => states.push(state),
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    random: () => 1,
    setTimer: (run, ms) => timers.push({ run, ms }),
    clearTimer: () => {},
  });
  const current = () => sockets[sockets.length - 1]!;
  return { client, sockets, timers, received, states, current };
}

describe('RealtimeClient', () => {
  it('delivers each event once, even when the server repeats it', () => {
    const { client, current, received } = setup();
    client.start();
    current().send({ type: 'event', event: event('1') });
    current().send({ type: 'event', event: event('1') });
    current().send({ type: 'event', event: event('2') });
    expect(received).toEqual(['1', '2']);
  });

  it('reconnects after a drop and resumes from the position the server last named', () => {
    const { client, sockets, timers, current } = setup();
    client.start();
    current().send({ type: 'ready', lastEventId: '40', xmin: '900' });
    current().send({ type: 'event', event: event('41') });
    current().send({ type: 'cursor', after: '41', xmin: '905' });
    current().send({ type: 'event', event: event('42') });
    current().drop();

    expect(timers).toHaveLength(1);
    timers[0]!.run();
    expect(sockets).toHaveLength(2);
    expect(current().url).toBe('/ws?token=t&after=41&xmin=905');
  });

  it('drops the backlog overlap after a reconnect', () => {
    const { client, timers, current, received } = setup();
    client.start();
    current().send({ type: 'event', event: event('5') });
    current().drop();
    timers[0]!.run();
    current().send({ type: 'event', event: event('5') });
    current().send({ type: 'event', event: event('6') });
    expect(received).toEqual(['5', '6']);
  });

  it('waits longer after each failed attempt and starts over once live', () => {
    const { client, timers, current } = setup();
    client.start();
    current().drop();
    timers[0]!.run();
    current().drop();
    timers[1]!.run();
    current().drop();
    expect(timers.map((t) => t.ms)).toEqual([500, 1000, 2000]);

    timers[2]!.run();
    current().send({ type: 'ready', lastEventId: null, xmin: '1' });
    current().drop();
    expect(timers[3]!.ms).toBe(500);
  });

  it('resumes from the ready frame id when no event has been seen yet', () => {
    const { client, timers, current } = setup();
    client.start();
    current().send({ type: 'ready', lastEventId: '100', xmin: '7' });
    current().drop();
    timers[0]!.run();
    expect(current().url).toBe('/ws?token=t&after=100&xmin=7');
  });

  it('reports live only after the ready frame', () => {
    const { client, current, states } = setup();
    client.start();
    expect(states).toEqual(['connecting']);
    current().send({ type: 'ready', lastEventId: null, xmin: '1' });
    expect(states).toEqual(['connecting', 'live']);
  });

  it('stops for good: closes the socket and does not reconnect', () => {
    const { client, sockets, timers, current } = setup();
    client.start();
    const socket = current();
    client.stop();
    expect(socket.closed).toBe(true);
    socket.drop();
    expect(timers).toHaveLength(0);
    expect(sockets).toHaveLength(1);
  });

  it('keeps delivering when one handler throws', () => {
    const received: string[] = [];
    let socket: FakeSocket | undefined;
    const client = new RealtimeClient({
      url: () => '/ws',
      onEvent: (e) => {
        received.push(e.id);
        if (e.id === '1') throw new Error('boom');
      },
      createSocket: (url) => (socket = new FakeSocket(url)),
    });
    const original = console.error;
    console.error = () => {};
    try {
      client.start();
      socket!.send({ type: 'event', event: event('1') });
      socket!.send({ type: 'event', event: event('2') });
    } finally {
      console.error = original;
      client.stop();
    }
    expect(received).toEqual(['1', '2']);
  });
});
