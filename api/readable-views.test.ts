import { describe, expect, it } from 'vitest';
import type { StaffViewer } from '../domain/visibility.js';
import type { TicketView } from '../infra/views.js';
import { mayRead, ticketAnswer } from './readable-views.js';

const ticket = {
  id: 't1',
  number: 7,
  subject: 'My card was stolen in Lisbon',
  description: 'My card was stolen in Lisbon',
  status: 'new',
  customer: { id: 'c1', name: 'Dana Whitfield', email: 'dana@example.com' },
  createdAt: '2026-01-01T00:00:00.000Z',
} as unknown as TicketView;

const key = (...scopes: ('tickets:read' | 'tickets:write' | 'conversations:read')[]): StaffViewer => ({ kind: 'integration', apiKeyId: 'k1', scopes });
const agent: StaffViewer = { kind: 'user', userId: 'u1', role: 'agent', teamId: null };

describe('ticketAnswer', () => {
  it('gives a key that may write tickets but not read them a receipt: no words, no customer', () => {
    expect(ticketAnswer(key('tickets:write'), ticket)).toEqual({ id: 't1', number: 7, status: 'new', createdAt: '2026-01-01T00:00:00.000Z' });
  });

  it('gives the full ticket to a key that may read tickets, and to people', () => {
    expect(ticketAnswer(key('tickets:write', 'tickets:read'), ticket)).toBe(ticket);
    expect(ticketAnswer(agent, ticket)).toBe(ticket);
  });
});

describe('mayRead', () => {
  it('lets people read what they see, and a key only the kinds its scopes name', () => {
    expect(mayRead(agent, 'conversations:read')).toBe(true);
    expect(mayRead(key('tickets:write', 'tickets:read'), 'conversations:read')).toBe(false);
    expect(mayRead(key('conversations:read'), 'conversations:read')).toBe(true);
  });
});
