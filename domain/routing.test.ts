import { describe, expect, it } from 'vitest';
import { pickAgent, type AgentCandidate } from './routing.js';

const agent = (id: string, overrides: Partial<Omit<AgentCandidate, 'id'>> = {}): AgentCandidate => ({
  id,
  openCount: 0,
  capacity: 3,
  lastAssignedAt: new Date('2026-11-24T09:00:00Z'),
  ...overrides,
});

const at = (time: string) => new Date(`2026-11-24T${time}Z`);

describe('pickAgent', () => {
  it('returns null when there are no candidates', () => {
    expect(pickAgent([])).toBeNull();
  });

  it('returns null when every candidate is at or over capacity', () => {
    expect(pickAgent([agent('a', { openCount: 3, capacity: 3 }), agent('b', { openCount: 5, capacity: 2 })])).toBeNull();
  });

  it('never picks an agent whose capacity is zero', () => {
    expect(pickAgent([agent('a', { openCount: 0, capacity: 0 })])).toBeNull();
  });

  it('skips a full agent even when it is the least loaded in absolute terms', () => {
    const full = agent('full', { openCount: 1, capacity: 1 });
    const busy = agent('busy', { openCount: 4, capacity: 5 });
    expect(pickAgent([full, busy])).toBe(busy);
  });

  it('picks the least-loaded agent with free capacity', () => {
    const chosen = agent('b', { openCount: 1 });
    expect(pickAgent([agent('a', { openCount: 2 }), chosen, agent('c', { openCount: 2 })])).toBe(chosen);
  });

  it('compares load by open conversations, not by free capacity', () => {
    // 'big' has more room left (8 vs 1) but holds more conversations.
    const small = agent('small', { openCount: 1, capacity: 2 });
    expect(pickAgent([agent('big', { openCount: 2, capacity: 10 }), small])).toBe(small);
  });

  it('breaks an equal load in favour of the agent idle longest', () => {
    const idleLongest = agent('b', { openCount: 1, lastAssignedAt: at('08:00:00') });
    expect(pickAgent([agent('a', { openCount: 1, lastAssignedAt: at('09:30:00') }), idleLongest])).toBe(idleLongest);
  });

  it('treats a never-assigned agent as idle longest', () => {
    const never = agent('z', { openCount: 1, lastAssignedAt: null });
    expect(pickAgent([agent('a', { openCount: 1, lastAssignedAt: new Date(0) }), never])).toBe(never);
  });

  it('prefers lower load over longer idleness', () => {
    const lessLoaded = agent('b', { openCount: 0, lastAssignedAt: at('09:59:00') });
    expect(pickAgent([agent('a', { openCount: 1, lastAssignedAt: null }), lessLoaded])).toBe(lessLoaded);
  });

  it('breaks equal load and equal idle time by the smaller id, whatever the input order', () => {
    const same = { openCount: 1, lastAssignedAt: at('09:00:00') };
    const candidates = [agent('agent-c', same), agent('agent-a', same), agent('agent-b', same)];
    expect(pickAgent(candidates)?.id).toBe('agent-a');
    expect(pickAgent([...candidates].reverse())?.id).toBe('agent-a');
  });

  it('breaks a tie between never-assigned agents by the smaller id', () => {
    const candidates = [agent('b', { lastAssignedAt: null }), agent('a', { lastAssignedAt: null })];
    expect(pickAgent(candidates)?.id).toBe('a');
    expect(pickAgent([...candidates].reverse())?.id).toBe('a');
  });

  it('does not reorder the caller’s array', () => {
    const candidates = [agent('b', { openCount: 2 }), agent('a', { openCount: 0 })];
    pickAgent(candidates);
    expect(candidates.map((candidate) => candidate.id)).toEqual(['b', 'a']);
  });
});
