import { describe, expect, it } from 'vitest';
import { parseFrame } from '../realtime/frames';

const callId = '6f1c1d5e-3b7a-4a53-9a59-1b2f0c7d8e90';

describe('call frames from the other party', () => {
  it('are read with who sent them', () => {
    expect(parseFrame(JSON.stringify({ type: 'call.offer', callId, sdp: 'v=0', from: 'customer' }))).toEqual({
      type: 'call.offer',
      callId,
      sdp: 'v=0',
      from: 'customer',
    });
    expect(parseFrame(JSON.stringify({ type: 'call.mute', callId, muted: true, from: 'agent' }))).toEqual({
      type: 'call.mute',
      callId,
      muted: true,
      from: 'agent',
    });
  });

  it('are dropped when malformed or without a sender', () => {
    expect(parseFrame(JSON.stringify({ type: 'call.offer', callId, sdp: 42, from: 'customer' }))).toBeNull();
    expect(parseFrame(JSON.stringify({ type: 'call.offer', callId, sdp: 'v=0' }))).toBeNull();
    expect(parseFrame(JSON.stringify({ type: 'call.dance', callId, from: 'agent' }))).toBeNull();
  });
});
