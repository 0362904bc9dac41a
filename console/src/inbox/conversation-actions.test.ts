import { describe, expect, it } from 'vitest';
import type { UserView } from '../shared/wire-types';
import { canAssignToMe, canDo, localParts, snoozeUntil, transferBody, transferTargets, zonedInstant } from './conversation-actions';

describe('canDo', () => {
  it('offers resolve while the conversation is being worked on, and reopen once resolved', () => {
    expect(canDo('resolve', 'open')).toBe(true);
    expect(canDo('resolve', 'resolved')).toBe(false);
    expect(canDo('reopen', 'resolved')).toBe(true);
    expect(canDo('reopen', 'open')).toBe(false);
  });

  it('snoozes only an open conversation, and changes nothing once it is closed', () => {
    expect(canDo('snooze', 'open')).toBe(true);
    expect(canDo('snooze', 'queued')).toBe(false);
    for (const action of ['resolve', 'reopen', 'snooze', 'transfer', 'priority'] as const) expect(canDo(action, 'closed')).toBe(false);
  });
});

describe('canAssignToMe', () => {
  it("offers the queue's and a teammate's conversations, never the agent's own or a resolved one", () => {
    expect(canAssignToMe({ status: 'queued', assigneeId: null }, 'me')).toBe(true);
    expect(canAssignToMe({ status: 'open', assigneeId: 'other' }, 'me')).toBe(true);
    expect(canAssignToMe({ status: 'open', assigneeId: 'me' }, 'me')).toBe(false);
    expect(canAssignToMe({ status: 'resolved', assigneeId: null }, 'me')).toBe(false);
  });
});

describe('zonedInstant', () => {
  it('finds the instant of a wall-clock time in a time zone', () => {
    expect(zonedInstant({ year: 2025, month: 3, day: 10, hour: 9, minute: 0 }, 'Asia/Shanghai').toISOString()).toBe('2025-03-10T01:00:00.000Z');
    expect(zonedInstant({ year: 2025, month: 7, day: 1, hour: 9, minute: 30 }, 'Europe/London').toISOString()).toBe('2025-07-01T08:30:00.000Z');
  });

  it('lands right on the day the clocks change', () => {
    // London moved to summer time at 01:00 UTC on 30 March 2025.
    expect(zonedInstant({ year: 2025, month: 3, day: 30, hour: 9, minute: 0 }, 'Europe/London').toISOString()).toBe('2025-03-30T08:00:00.000Z');
  });
});

describe('snoozeUntil', () => {
  // Monday 10 March 2025, 23:30 in Shanghai.
  const now = new Date('2025-03-10T15:30:00.000Z');

  it('snoozes until the customer writes with no time at all', () => {
    expect(snoozeUntil('untilReply', now, 'UTC')).toBeNull();
  });

  it('snoozes for an hour', () => {
    expect(snoozeUntil('oneHour', now, 'UTC')).toBe('2025-03-10T16:30:00.000Z');
  });

  it("counts tomorrow and next Monday in the agent's own time zone", () => {
    expect(snoozeUntil('tomorrow', now, 'Asia/Shanghai')).toBe('2025-03-11T01:00:00.000Z');
    expect(snoozeUntil('tomorrow', now, 'America/New_York')).toBe('2025-03-11T13:00:00.000Z');
    expect(localParts(new Date(snoozeUntil('nextWeek', now, 'Asia/Shanghai')!), 'Asia/Shanghai')).toMatchObject({ day: 17, hour: 9, weekday: 1 });
  });

  it('reads a chosen time in the agent’s time zone and refuses one in the past or missing', () => {
    expect(snoozeUntil('custom', now, 'Asia/Shanghai', '2025-03-12T14:30')).toBe('2025-03-12T06:30:00.000Z');
    expect(snoozeUntil('custom', now, 'UTC', '2025-03-01T10:00')).toBeUndefined();
    expect(snoozeUntil('custom', now, 'UTC', '')).toBeUndefined();
  });
});

describe('transfer', () => {
  const user = (id: string, name: string, teamId: string | null): UserView => ({
    id,
    name,
    email: `${id}@x`,
    role: 'agent',
    presence: 'online',
    teamId,
    tier: 'junior',
    skills: [],
    capacity: 5,
    locale: 'en',
    timeZone: 'UTC',
    active: true,
  });
  const users = [user('a1', 'Alex', 't1'), user('a2', 'Lina', 't1'), user('a3', 'Priya', 't2'), user('ad', 'Ada', null)];

  const teams = [
    { id: 't2', name: 'Tier 2', memberCount: 1 },
    { id: 't1', name: 'Billing', memberCount: 2 },
    { id: 't3', name: 'Empty', memberCount: 0 },
  ];

  it('leaves deactivated people out of the agents offered', () => {
    const targets = transferTargets([...users, { ...user('gone', 'Gone Agent', 't1'), active: false }], teams, 'a1');
    expect(targets.agents.map((a) => a.label)).toEqual(['Ada', 'Lina', 'Priya']);
  });

  it('lists every agent but the assignee, and every team with members by its name', () => {
    const targets = transferTargets(users, teams, 'a1');
    expect(targets.agents.map((a) => a.label)).toEqual(['Ada', 'Lina', 'Priya']);
    expect(targets.teams).toEqual([
      { value: 'team:t1', label: 'Billing' },
      { value: 'team:t2', label: 'Tier 2' },
    ]);
  });

  it('builds the request body for the chosen agent or team', () => {
    expect(transferBody('agent:a2')).toEqual({ toAgentId: 'a2' });
    expect(transferBody('team:t2')).toEqual({ toTeamId: 't2' });
    expect(transferBody('')).toBeNull();
    expect(transferBody('robot:x')).toBeNull();
  });
});
