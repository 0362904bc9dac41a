import { describe, expect, it } from 'vitest';
import { isRecipient, noticeAssembler, piecesOf, type CallNotice } from './call-relay.js';

const notice: CallNotice = {
  to: { kind: 'user', userId: 'alex' },
  frame: { type: 'call.offer', callId: 'c1', sdp: `v=0\r\n${'a=candidate:1 1 udp 1 10.0.0.1 9 typ host\r\n'.repeat(300)}é`, from: 'customer' },
};

describe('call notices over NOTIFY', () => {
  it('go in pieces that each fit a NOTIFY and come back whole, interleaved with another notice', () => {
    const pieces = piecesOf(JSON.stringify(notice));
    expect(pieces.length).toBeGreaterThan(5);
    for (const piece of pieces) expect(Buffer.byteLength(piece)).toBeLessThan(8000);
    const small = piecesOf(JSON.stringify({ ...notice, frame: { type: 'call.mute', callId: 'c1', muted: true, from: 'agent' } }));
    expect(small).toHaveLength(1);
    const assemble = noticeAssembler();
    const whole = [...pieces.slice(0, 2), ...small, ...pieces.slice(2)].map(assemble).filter((value) => value !== null);
    expect(whole).toEqual([{ ...notice, frame: { type: 'call.mute', callId: 'c1', muted: true, from: 'agent' } }, notice]);
  });

  it('reach only their recipient', () => {
    expect(isRecipient({ kind: 'user', userId: 'alex', role: 'agent', teamId: null }, notice.to)).toBe(true);
    expect(isRecipient({ kind: 'user', userId: 'lina', role: 'agent', teamId: null }, notice.to)).toBe(false);
    expect(isRecipient({ kind: 'customer', customerId: 'alex' }, notice.to)).toBe(false);
    expect(isRecipient({ kind: 'customer', customerId: 'ann' }, { kind: 'customer', customerId: 'ann' })).toBe(true);
  });
});
