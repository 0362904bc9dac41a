import { describe, expect, it } from 'vitest';
import { parseFrame, socketUrl } from './frames';

const event = {
  id: '7',
  type: 'message.created',
  occurredAt: '2025-01-01T00:00:00.000Z',
  actorKind: 'customer',
  actorId: null,
  customerId: 'u1',
  conversationId: 'c1',
  ticketId: null,
  payload: { message: {} },
};

describe('parseFrame', () => {
  it('reads an event frame', () => {
    expect(parseFrame(JSON.stringify({ type: 'event', event }))).toEqual({ type: 'event', event });
  });

  it('reads a ready frame with or without a last event id, and a cursor frame', () => {
    expect(parseFrame('{"type":"ready","lastEventId":"42","xmin":"1000"}')).toEqual({ type: 'ready', lastEventId: '42', xmin: '1000' });
    expect(parseFrame('{"type":"ready","lastEventId":null}')).toEqual({ type: 'ready', lastEventId: null, xmin: null });
    expect(parseFrame('{"type":"cursor","after":"43","xmin":"1001"}')).toEqual({ type: 'cursor', after: '43', xmin: '1001' });
    expect(parseFrame('{"type":"cursor","after":"43"}')).toBeNull();
  });

  it("reads the bot's streamed pieces and their end", () => {
    expect(parseFrame('{"type":"bot_stream","conversationId":"c1","streamId":"s","seq":0,"text":"Hi"}')).toEqual({
      type: 'bot_stream',
      conversationId: 'c1',
      streamId: 's',
      seq: 0,
      text: 'Hi',
    });
    expect(parseFrame('{"type":"bot_stream","conversationId":"c1","streamId":"s","seq":1,"done":"stored"}')).toMatchObject({ done: 'stored' });
    expect(parseFrame('{"type":"bot_stream","conversationId":"c1","streamId":"s","seq":1,"done":"maybe"}')).toBeNull();
  });

  it('drops malformed or unknown frames instead of throwing', () => {
    expect(parseFrame('not json')).toBeNull();
    expect(parseFrame('{"type":"event","event":{"id":7}}')).toBeNull();
    expect(parseFrame('{"type":"pong"}')).toBeNull();
    expect(parseFrame(new ArrayBuffer(2))).toBeNull();
  });
});

describe('socketUrl', () => {
  it('uses wss on an https page and passes the token', () => {
    expect(socketUrl({ protocol: 'https:', host: 'help.example.com' }, 'sst_a', null)).toBe('wss://help.example.com/ws?token=sst_a');
  });

  it('adds after= so the server replays what was missed', () => {
    expect(socketUrl({ protocol: 'http:', host: 'localhost:5173' }, 't', { after: '99', xmin: '1234' })).toBe(
      'ws://localhost:5173/ws?token=t&after=99&xmin=1234',
    );
    expect(socketUrl({ protocol: 'http:', host: 'localhost:5173' }, 't', { after: '99', xmin: null })).toBe('ws://localhost:5173/ws?token=t&after=99');
  });

  it('escapes the token', () => {
    expect(socketUrl({ protocol: 'http:', host: 'h' }, 'a+b/c=', null)).toBe('ws://h/ws?token=a%2Bb%2Fc%3D');
  });
});
