import { describe, expect, it } from 'vitest';
import type { EventView } from '../../../domain/events';
import { presenceFromEvent } from './presence-event';

const event = (type: string, payload: Record<string, unknown>): EventView => ({
  id: '1',
  type,
  occurredAt: '2025-01-01T00:00:00.000Z',
  actorKind: 'user',
  actorId: 'u1',
  customerId: null,
  conversationId: null,
  ticketId: null,
  payload,
});

describe('presenceFromEvent', () => {
  it('reads the presence of the signed-in agent from a { user } payload', () => {
    expect(presenceFromEvent(event('agent.presence_changed', { user: { id: 'u1', presence: 'away' } }), 'u1')).toBe('away');
  });

  it('reads a flat { userId, presence } payload', () => {
    expect(presenceFromEvent(event('agent.presence_changed', { userId: 'u1', presence: 'offline' }), 'u1')).toBe('offline');
  });

  it('ignores other agents, invalid values and other event types', () => {
    expect(presenceFromEvent(event('agent.presence_changed', { userId: 'u2', presence: 'away' }), 'u1')).toBeNull();
    expect(presenceFromEvent(event('agent.presence_changed', { userId: 'u1', presence: 'asleep' }), 'u1')).toBeNull();
    expect(presenceFromEvent(event('message.created', { userId: 'u1', presence: 'away' }), 'u1')).toBeNull();
  });
});
