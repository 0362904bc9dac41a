import { describe, expect, it } from 'vitest';
import { canTransition, resolutionClockIn, settableTicketStatuses, ticketTransitions } from './ticket-flow.js';
import { ticketStatuses } from './vocabulary.js';

describe('ticket transitions', () => {
  it('lets agents move a ticket between the working statuses and solve it', () => {
    expect(canTransition('new', 'open')).toBe(true);
    expect(canTransition('open', 'pending')).toBe(true);
    expect(canTransition('pending', 'on_hold')).toBe(true);
    expect(canTransition('on_hold', 'solved')).toBe(true);
  });

  it('allows only a reopen from solved', () => {
    expect(ticketTransitions.solved).toEqual(['open']);
    expect(canTransition('solved', 'pending')).toBe(false);
  });

  it('never lets an agent close a ticket or leave closed', () => {
    for (const from of ticketStatuses) expect(canTransition(from, 'closed')).toBe(false);
    expect(ticketTransitions.closed).toEqual([]);
    expect(settableTicketStatuses).not.toContain('closed');
  });

  it('refuses staying in the same status (nothing would change)', () => {
    for (const status of ticketStatuses) expect(canTransition(status, status)).toBe(false);
  });

  it('runs the resolution clock in new and open, pauses it while pending or on hold, stops it once solved', () => {
    expect(ticketStatuses.map((status) => [status, resolutionClockIn(status)])).toEqual([
      ['new', 'running'],
      ['open', 'running'],
      ['pending', 'paused'],
      ['on_hold', 'paused'],
      ['solved', 'stopped'],
      ['closed', 'stopped'],
    ]);
  });
});
