import { describe, expect, it } from 'vitest';
import type { CallView } from '../../../contract/calls';
import type { EventView } from '../../../domain/events';
import { callbackDueFor, ringingAfter } from './incoming-call';

const call = (more: Partial<CallView> = {}): CallView => ({
  id: 'call-1',
  conversationId: 'conversation-1',
  media: 'audio',
  status: 'ringing',
  requestedBy: 'customer',
  agentId: null,
  createdAt: '2026-12-07T10:00:00Z',
  answeredAt: null,
  endedAt: null,
  durationSeconds: null,
  waitSeconds: null,
  recording: { customerConsent: false, agentConsent: false, active: false },
  ...more,
});
const event = (type: string, view: CallView) => ({ id: '1', type, conversationId: view.conversationId, payload: { call: view } }) as unknown as EventView;

describe('the call that rings me anywhere in the console', () => {
  it("is a customer's request, until someone answers, declines or it ends", () => {
    const asked = call();
    expect(ringingAfter(event('call.requested', asked), 'me', null)).toEqual(asked);
    expect(ringingAfter(event('call.answered', call({ status: 'active', agentId: 'lina' })), 'me', asked)).toBeNull();
    expect(ringingAfter(event('call.missed', call({ status: 'missed' })), 'me', asked)).toBeNull();
    expect(ringingAfter(event('call.ended', call({ status: 'ended' })), 'me', asked)).toBeNull();
  });

  it('is a transfer to me, not to a colleague; an agent’s own call rings the customer only', () => {
    expect(ringingAfter(event('call.transferred', call({ agentId: 'me' })), 'me', null)).toMatchObject({ id: 'call-1' });
    expect(ringingAfter(event('call.transferred', call({ agentId: 'lina' })), 'me', null)).toBeNull();
    expect(ringingAfter(event('call.requested', call({ requestedBy: 'agent', agentId: 'lina' })), 'me', null)).toBeNull();
  });

  it('keeps ringing through events of other calls and other kinds', () => {
    const asked = call();
    expect(ringingAfter(event('call.ended', call({ id: 'call-2', status: 'ended' })), 'me', asked)).toBe(asked);
    expect(ringingAfter({ id: '2', type: 'message.created', conversationId: 'x', payload: {} } as unknown as EventView, 'me', asked)).toBe(asked);
  });
});

describe('the call-back that prompts me', () => {
  it('is a call-back of mine come due, not a colleague’s, not another event', () => {
    const due = (type: string, ownerId: string) =>
      ({ id: '2', type, conversationId: 'conversation-1', payload: { reminder: { ownerId } } }) as unknown as EventView;
    expect(callbackDueFor(due('call.callback_due', 'me'), 'me')).toBe('conversation-1');
    expect(callbackDueFor(due('call.callback_due', 'lina'), 'me')).toBeNull();
    expect(callbackDueFor(due('call.callback_scheduled', 'me'), 'me')).toBeNull();
    expect(callbackDueFor(due('reminder.due', 'me'), 'me')).toBeNull();
  });
});
