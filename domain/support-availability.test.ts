import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from './business-hours.js';
import { supportAvailability } from './support-availability.js';

const weekdays = (timeZone: string, open = '09:00', close = '18:00', holidays: string[] = []): BusinessCalendar => ({
  timeZone,
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open, close })),
  holidays,
});
const shanghai = weekdays('Asia/Shanghai');
const london = weekdays('Europe/London');

describe('supportAvailability', () => {
  it('is open inside any team’s hours', () => {
    // Monday 10:00 in Shanghai (02:00 UTC): London is closed, Shanghai open.
    expect(supportAvailability(new Date('2026-12-07T02:00:00Z'), [london, shanghai])).toEqual({ open: true, backAt: null });
  });

  it('outside every team’s hours, is back at the earliest next opening', () => {
    // Saturday noon UTC: both closed; Shanghai opens Monday 09:00 local (Monday 01:00 UTC), London Monday 09:00 UTC.
    expect(supportAvailability(new Date('2026-12-05T12:00:00Z'), [london, shanghai])).toEqual({
      open: false,
      backAt: new Date('2026-12-07T01:00:00Z'),
    });
  });

  it('skips holidays', () => {
    const closedMonday = weekdays('Asia/Shanghai', '09:00', '18:00', ['2026-12-07']);
    expect(supportAvailability(new Date('2026-12-05T12:00:00Z'), [closedMonday]).backAt).toEqual(new Date('2026-12-08T01:00:00Z'));
  });

  it('is open with a team that has no hours (24/7), or with no teams at all', () => {
    expect(supportAvailability(new Date('2026-12-05T12:00:00Z'), [london, null]).open).toBe(true);
    expect(supportAvailability(new Date('2026-12-05T12:00:00Z'), []).open).toBe(true);
  });

  it('is closed with no time to come back when no team’s hours ever open', () => {
    expect(supportAvailability(new Date('2026-12-05T12:00:00Z'), [{ timeZone: 'UTC', weekly: [], holidays: [] }])).toEqual({ open: false, backAt: null });
  });
});
