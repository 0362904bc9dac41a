import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { movesLiveOperations, type LiveOperations } from '../../../domain/live-operations';
import { agentsByPresence, liveSummary, refreshScheduler } from './live-operations';

const snapshot: LiveOperations = {
  at: '2026-12-07T10:00:00.000Z',
  scope: { kind: 'all' },
  waiting: { count: 3, longestSince: '2026-12-07T09:45:00.000Z', oldest: [] },
  agents: [
    { id: 'a', name: 'Alex', presence: 'away', load: 1, capacity: 5 },
    { id: 'b', name: 'Bo', presence: 'online', load: 2, capacity: 5 },
    { id: 'c', name: 'Cy', presence: 'online', load: 4, capacity: 4 },
    { id: 'd', name: 'Di', presence: 'offline', load: 0, capacity: 5 },
  ],
  sla: { atRisk: 2, breached: 1, atRiskConversations: [] },
  botToday: { since: '2026-12-07T00:00:00.000Z', timeZone: 'UTC', answered: 4, resolved: 3, handedOff: 1, deflectionRate: 0.75 },
};

describe('liveSummary', () => {
  it("counts presence, the online agents' load against their seats, and the longest wait on the clock", () => {
    expect(liveSummary(snapshot, new Date('2026-12-07T10:05:00.000Z'))).toEqual({
      waiting: 3,
      longestWaitMinutes: 20,
      online: 2,
      away: 1,
      offline: 1,
      load: 6,
      capacity: 9,
      atRisk: 2,
      breached: 1,
    });
    expect(liveSummary({ ...snapshot, waiting: { count: 0, longestSince: null, oldest: [] } }, new Date()).longestWaitMinutes).toBeNull();
  });

  it('lists online agents first, the busiest first', () => {
    expect(agentsByPresence(snapshot.agents).map((agent) => agent.name)).toEqual(['Cy', 'Bo', 'Alex', 'Di']);
  });
});

describe('movesLiveOperations', () => {
  it('reads again after presence, queue, SLA and bot events, not after a tag or a message', () => {
    const moved = ['agent.presence_changed', 'conversation.queued', 'conversation.assigned', 'conversation.resolved', 'sla.warning', 'bot.answered'];
    expect(moved.filter(movesLiveOperations)).toEqual(moved);
    expect(['conversation.tag_added', 'message.created', 'ticket.created'].filter(movesLiveOperations)).toEqual([]);
  });
});

describe('refreshScheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads once after a burst of events, and polls only after a quiet minute', () => {
    const read = vi.fn();
    const scheduler = refreshScheduler(read, { debounceMs: 500, pollMs: 60_000 });
    for (let i = 0; i < 5; i++) scheduler.poke();
    vi.advanceTimersByTime(499);
    expect(read).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(read).toHaveBeenCalledTimes(1);
    // The poll restarts after each read: nothing for 59.9 s, then one read.
    vi.advanceTimersByTime(59_900);
    expect(read).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(100);
    expect(read).toHaveBeenCalledTimes(2);
    scheduler.stop();
    vi.advanceTimersByTime(600_000);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
