import { describe, expect, it } from 'vitest';
import { agentAvailableForCall, callActionRefusal, callIsRecording, recordingChange, secondsBetween, type CallAgent, type CallFacts } from './calls.js';

const customerRequest: CallFacts = { status: 'ringing', requestedBy: 'customer', agentId: null, answeredAt: null };
const agentCall: CallFacts = { status: 'ringing', requestedBy: 'agent', agentId: 'alex', answeredAt: null };
const active: CallFacts = { status: 'active', requestedBy: 'customer', agentId: 'alex', answeredAt: new Date() };
const customer = { kind: 'customer' } as const;
const alex = { kind: 'agent', userId: 'alex' } as const;
const lina = { kind: 'agent', userId: 'lina' } as const;

describe('who may do what to a call', () => {
  it('lets the side it rings answer it, and not the caller', () => {
    expect(callActionRefusal(customerRequest, lina, 'accept')).toBeNull();
    expect(callActionRefusal(customerRequest, customer, 'accept')).toBe('wrong_state');
    expect(callActionRefusal(agentCall, customer, 'accept')).toBeNull();
    expect(callActionRefusal(agentCall, alex, 'accept')).toBe('wrong_state');
    // A colleague's call to the customer is not Lina's to touch.
    expect(callActionRefusal(agentCall, lina, 'hangup')).toBe('not_party');
  });

  it('lets only the two parties negotiate, once it is answered', () => {
    expect(callActionRefusal(active, customer, 'signal')).toBeNull();
    expect(callActionRefusal(active, alex, 'signal')).toBeNull();
    expect(callActionRefusal(active, lina, 'signal')).toBe('not_party');
    expect(callActionRefusal(customerRequest, customer, 'signal')).toBe('wrong_state');
  });

  it('rings the colleague after a transfer: they accept, the customer does not', () => {
    const transferred: CallFacts = { ...active, status: 'ringing', agentId: 'lina' };
    expect(callActionRefusal(transferred, lina, 'accept')).toBeNull();
    expect(callActionRefusal(transferred, customer, 'accept')).toBe('wrong_state');
    expect(callActionRefusal(transferred, alex, 'accept')).toBe('not_party');
    expect(callActionRefusal(active, alex, 'transfer')).toBeNull();
    expect(callActionRefusal(active, customer, 'transfer')).toBe('wrong_state');
  });

  it('allows nothing on a call that is over', () => {
    for (const status of ['ended', 'missed', 'declined'] as const) expect(callActionRefusal({ ...active, status }, customer, 'hangup')).toBe('wrong_state');
  });

  it('counts whole seconds', () => {
    expect(secondsBetween(new Date('2026-01-01T10:00:00Z'), new Date('2026-01-01T10:02:05.4Z'))).toBe(125);
    expect(secondsBetween(null, new Date())).toBeNull();
  });
});

describe('recording consent', () => {
  const at = '2026-12-07T10:00:00Z';
  const active = { status: 'active' as const, customerConsentAt: null, agentConsentAt: null };

  it('records only while both sides consent and the call is under way', () => {
    expect(callIsRecording(active)).toBe(false);
    expect(callIsRecording({ ...active, customerConsentAt: at })).toBe(false);
    expect(callIsRecording({ ...active, customerConsentAt: at, agentConsentAt: at })).toBe(true);
    expect(callIsRecording({ ...active, status: 'ended', customerConsentAt: at, agentConsentAt: at })).toBe(false);
  });

  it('is asked by the first side, starts with the second, stops when either withdraws', () => {
    expect(recordingChange(active, 'agent', true)).toBe('requested');
    expect(recordingChange({ ...active, agentConsentAt: at }, 'customer', true)).toBe('started');
    expect(recordingChange({ ...active, agentConsentAt: at, customerConsentAt: at }, 'customer', false)).toBe('stopped');
    expect(recordingChange({ ...active, customerConsentAt: at }, 'customer', false)).toBe('stopped');
    // A repeat changes nothing.
    expect(recordingChange({ ...active, agentConsentAt: at }, 'agent', true)).toBeNull();
    expect(recordingChange(active, 'customer', false)).toBeNull();
  });

  it('is changed by the two parties while they talk only', () => {
    const call: CallFacts = { status: 'active', requestedBy: 'customer', agentId: 'alex', answeredAt: at };
    expect(callActionRefusal(call, { kind: 'customer' }, 'consent')).toBeNull();
    expect(callActionRefusal(call, { kind: 'agent', userId: 'alex' }, 'consent')).toBeNull();
    expect(callActionRefusal(call, { kind: 'agent', userId: 'ada' }, 'consent')).toBe('not_party');
    expect(callActionRefusal({ ...call, status: 'ringing', agentId: null, answeredAt: null }, { kind: 'customer' }, 'consent')).toBe('wrong_state');
    expect(callActionRefusal({ ...call, status: 'ended' }, { kind: 'customer' }, 'consent')).toBe('wrong_state');
  });
});

describe('an agent available for a customer’s call', () => {
  const agent = (userId: string, teamId: string | null, more: Partial<CallAgent> = {}): CallAgent => ({
    userId,
    role: 'agent',
    teamId,
    presence: 'online',
    deactivated: false,
    ...more,
  });
  const frontline = { customerId: 'ann', teamId: 'frontline', assigneeId: null };

  it('is an online agent of the conversation’s team, not of another', () => {
    expect(agentAvailableForCall(frontline, [agent('lina', 'frontline')])).toBe(true);
    expect(agentAvailableForCall(frontline, [agent('wang', 'specialists')])).toBe(false);
    expect(agentAvailableForCall(frontline, [agent('lina', 'frontline', { presence: 'away' }), agent('wang', 'specialists')])).toBe(false);
    expect(agentAvailableForCall(frontline, [agent('lina', 'frontline', { deactivated: true })])).toBe(false);
    expect(agentAvailableForCall(frontline, [])).toBe(false);
  });

  it('is any online agent when the conversation has no team; its assignee or an admin always count', () => {
    expect(agentAvailableForCall({ ...frontline, teamId: null }, [agent('wang', 'specialists')])).toBe(true);
    expect(agentAvailableForCall({ ...frontline, assigneeId: 'wang' }, [agent('wang', 'specialists')])).toBe(true);
    expect(agentAvailableForCall(frontline, [agent('ada', null, { role: 'admin' })])).toBe(true);
    expect(agentAvailableForCall(frontline, [agent('ada', null, { role: 'admin', presence: 'offline' })])).toBe(false);
  });
});
