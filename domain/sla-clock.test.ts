import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from './business-hours.js';
import { clockDueAt, clockStatus, pauseClock, resumeClock, startClock, worstStatus } from './sla-clock.js';

// London in March before the clocks change: local time is UTC, so local hours read as Z times.
// 2026-03-02 is a Monday.
const london: BusinessCalendar = {
  timeZone: 'Europe/London',
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })),
  holidays: [],
};

const at = (iso: string) => new Date(iso);

describe('startClock, pauseClock and resumeClock', () => {
  it('starts running with nothing consumed, as a JSON value', () => {
    const clock = startClock('first_response', 240, at('2026-03-02T17:00:00Z'));
    expect(clock).toEqual({ metric: 'first_response', targetMinutes: 240, consumedMinutes: 0, runningSince: '2026-03-02T17:00:00.000Z' });
    expect(JSON.parse(JSON.stringify(clock))).toEqual(clock);
  });

  it('banks only business minutes when paused across a night', () => {
    // Mon 17:00-18:00 and Tue 09:00-10:00.
    const paused = pauseClock(startClock('resolution', 600, at('2026-03-02T17:00:00Z')), at('2026-03-03T10:00:00Z'), london);
    expect(paused).toMatchObject({ consumedMinutes: 120, runningSince: null });
    // Resumed Tue 14:00, paused again 15:30: another 90.
    const again = pauseClock(resumeClock(paused, at('2026-03-03T14:00:00Z')), at('2026-03-03T15:30:00Z'), london);
    expect(again.consumedMinutes).toBe(210);
  });

  it('counts every minute with a null (24/7) calendar', () => {
    const paused = pauseClock(startClock('resolution', 600, at('2026-03-02T17:00:00Z')), at('2026-03-03T10:00:00Z'), null);
    expect(paused.consumedMinutes).toBe(17 * 60);
  });

  it('leaves a paused clock unchanged when paused again', () => {
    const paused = pauseClock(startClock('resolution', 600, at('2026-03-02T09:00:00Z')), at('2026-03-02T10:00:00Z'), london);
    expect(pauseClock(paused, at('2026-03-02T15:00:00Z'), london)).toBe(paused);
  });

  it('leaves a running clock unchanged when resumed again, so its run is not reset', () => {
    const running = startClock('next_response', 60, at('2026-03-02T09:00:00Z'));
    expect(resumeClock(running, at('2026-03-02T12:00:00Z'))).toBe(running);
  });

  it('does not change the clock it was given', () => {
    const running = startClock('next_response', 60, at('2026-03-02T09:00:00Z'));
    pauseClock(running, at('2026-03-02T09:30:00Z'), london);
    expect(running).toMatchObject({ consumedMinutes: 0, runningSince: '2026-03-02T09:00:00.000Z' });
  });

  it('rejects a negative target', () => {
    expect(() => startClock('first_response', -5, at('2026-03-02T09:00:00Z'))).toThrow(RangeError);
  });
});

describe('clockDueAt', () => {
  // Started Mon 16:00 with a 4-hour target: 120 minutes on Monday, the rest on Tuesday.
  const clock = startClock('first_response', 240, at('2026-03-02T16:00:00Z'));

  it('puts the 80 % warning on the right business instant', () => {
    // 192 minutes: 120 on Monday, 72 from Tue 09:00.
    expect(clockDueAt(clock, 0.8, london)?.toISOString()).toBe('2026-03-03T10:12:00.000Z');
  });

  it('puts the breach at the full target', () => {
    expect(clockDueAt(clock, 1, london)?.toISOString()).toBe('2026-03-03T11:00:00.000Z');
  });

  it('uses wall-clock time with a null calendar', () => {
    expect(clockDueAt(clock, 1, null)?.toISOString()).toBe('2026-03-02T20:00:00.000Z');
  });

  it('has no due date while paused', () => {
    expect(clockDueAt(pauseClock(clock, at('2026-03-02T17:00:00Z'), london), 1, london)).toBeNull();
  });

  it('extends the due date by exactly the business time spent paused', () => {
    const started = startClock('resolution', 480, at('2026-03-02T09:00:00Z'));
    const originalDue = clockDueAt(started, 1, london);
    expect(originalDue?.toISOString()).toBe('2026-03-02T17:00:00.000Z');

    // Waiting on the customer from Mon 10:00 to Tue 11:00: 480 + 120 business minutes.
    const pausedAt = at('2026-03-02T10:00:00Z');
    const resumedAt = at('2026-03-03T11:00:00Z');
    const resumed = resumeClock(pauseClock(started, pausedAt, london), resumedAt);
    const pausedFor = businessMinutesBetween(pausedAt, resumedAt, london);
    expect(pausedFor).toBe(600);

    const newDue = clockDueAt(resumed, 1, london);
    expect(newDue?.toISOString()).toBe('2026-03-03T18:00:00.000Z');
    expect(newDue).toEqual(addBusinessMinutes(at('2026-03-02T17:00:00Z'), pausedFor, london));
  });

  it('counts from the next opening when resumed outside hours', () => {
    const paused = pauseClock(startClock('next_response', 60, at('2026-03-06T17:30:00Z')), at('2026-03-06T18:30:00Z'), london);
    // 30 consumed on Friday; resumed on Saturday, the other 30 run from Monday 09:00.
    expect(clockDueAt(resumeClock(paused, at('2026-03-07T12:00:00Z')), 1, london)?.toISOString()).toBe('2026-03-09T09:30:00.000Z');
  });

  it('returns the past instant a share was reached during the current run', () => {
    // Computed from runningSince alone: asking later does not move it.
    expect(clockDueAt(clock, 0.25, london)?.toISOString()).toBe('2026-03-02T17:00:00.000Z');
  });

  it('returns runningSince for a share already reached before the current run', () => {
    const paused = pauseClock(startClock('resolution', 120, at('2026-03-02T09:00:00Z')), at('2026-03-02T10:40:00Z'), london);
    const resumed = resumeClock(paused, at('2026-03-07T12:00:00Z')); // a Saturday, outside hours
    expect(clockDueAt(resumed, 0.5, london)?.toISOString()).toBe('2026-03-07T12:00:00.000Z');
    expect(clockDueAt(resumed, 1, london)?.toISOString()).toBe('2026-03-09T09:20:00.000Z');
  });

  it('rejects a negative share', () => {
    expect(() => clockDueAt(clock, -0.1, london)).toThrow(RangeError);
  });
});

describe('clockStatus', () => {
  const clock = startClock('first_response', 240, at('2026-03-02T16:00:00Z'));

  it('is ok before the warning share, including overnight when no business time passes', () => {
    expect(clockStatus(clock, at('2026-03-02T17:00:00Z'), 80, london)).toBe('ok');
    expect(clockStatus(clock, at('2026-03-03T08:59:00Z'), 80, london)).toBe('ok');
    expect(clockStatus(clock, at('2026-03-03T10:11:59Z'), 80, london)).toBe('ok');
  });

  it('turns to warning exactly at the warning share and to breached at the target', () => {
    expect(clockStatus(clock, at('2026-03-03T10:12:00Z'), 80, london)).toBe('warning');
    expect(clockStatus(clock, at('2026-03-03T10:59:59Z'), 80, london)).toBe('warning');
    expect(clockStatus(clock, at('2026-03-03T11:00:00Z'), 80, london)).toBe('breached');
  });

  it('is paused when stopped below the warning share', () => {
    const paused = pauseClock(clock, at('2026-03-02T17:00:00Z'), london);
    expect(clockStatus(paused, at('2026-03-10T12:00:00Z'), 80, london)).toBe('paused');
  });

  it('stays warning when paused inside the warning share', () => {
    const paused = pauseClock(clock, at('2026-03-03T10:30:00Z'), london);
    expect(clockStatus(paused, at('2026-03-10T12:00:00Z'), 80, london)).toBe('warning');
  });

  it('stays breached after a pause', () => {
    const paused = pauseClock(clock, at('2026-03-03T12:00:00Z'), london);
    expect(paused.consumedMinutes).toBe(300);
    expect(clockStatus(paused, at('2026-03-10T12:00:00Z'), 80, london)).toBe('breached');
  });
});

describe('worstStatus', () => {
  it("returns 'none' for no clocks", () => {
    expect(worstStatus([])).toBe('none');
  });

  it('orders breached > warning > ok > paused', () => {
    expect(worstStatus(['paused'])).toBe('paused');
    expect(worstStatus(['paused', 'ok', 'paused'])).toBe('ok');
    expect(worstStatus(['ok', 'warning', 'paused'])).toBe('warning');
    expect(worstStatus(['warning', 'breached', 'ok', 'paused'])).toBe('breached');
    expect(worstStatus(['breached', 'warning'])).toBe('breached');
  });
});
