import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isBusinessTime,
  isKnownZone,
  localDateIn,
  nextBusinessTime,
  parseBusinessCalendar,
  type BusinessCalendar,
  type OpeningInterval,
} from './business-hours.js';

// Expected instants are UTC. Offsets used to derive them: Europe/London UTC+0 in winter, UTC+1
// from 2026-03-29 01:00Z to 2026-10-25 01:00Z; Asia/Shanghai UTC+8 all year; America/New_York
// UTC-5 in winter, UTC-4 from 2026-03-08 07:00Z to 2026-11-01 06:00Z.

const weekdays = (open: string, close: string): OpeningInterval[] => [1, 2, 3, 4, 5].map((day) => ({ day, open, close }));

const calendar = (timeZone: string, weekly: OpeningInterval[], holidays: string[] = []): BusinessCalendar => ({ timeZone, weekly, holidays });

/** 09:00-18:00 Monday to Friday. */
const london = calendar('Europe/London', weekdays('09:00', '18:00'));
const shanghai = calendar('Asia/Shanghai', weekdays('09:00', '18:00'));

const add = (start: string, minutes: number, cal: BusinessCalendar | null) => addBusinessMinutes(new Date(start), minutes, cal).toISOString();
const between = (from: string, to: string, cal: BusinessCalendar | null) => businessMinutesBetween(new Date(from), new Date(to), cal);
const isOpen = (at: string, cal: BusinessCalendar | null) => isBusinessTime(new Date(at), cal);
const next = (at: string, cal: BusinessCalendar | null) => nextBusinessTime(new Date(at), cal)?.toISOString() ?? null;

describe('a null calendar (24/7)', () => {
  it('adds wall-clock minutes, fractional ones to the millisecond', () => {
    expect(add('2026-03-07T23:30:00Z', 90.5, null)).toBe('2026-03-08T01:00:30.000Z');
  });

  it('counts every minute between two instants, even across a DST change', () => {
    expect(between('2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z', null)).toBe(1440);
    expect(between('2026-03-28T12:00:00Z', '2026-03-28T12:00:00.500Z', null)).toBeCloseTo(0.5 / 60, 10);
  });

  it('counts nothing when `to` is not after `from`', () => {
    expect(between('2026-03-02T12:00:00Z', '2026-03-02T11:00:00Z', null)).toBe(0);
    expect(between('2026-03-02T12:00:00Z', '2026-03-02T12:00:00Z', null)).toBe(0);
  });

  it('is always open, so the next business time is the instant itself', () => {
    expect(isOpen('2026-03-08T03:00:00Z', null)).toBe(true);
    expect(next('2026-03-08T03:00:00Z', null)).toBe('2026-03-08T03:00:00.000Z');
  });
});

describe('addBusinessMinutes on 09:00-18:00 weekdays in London', () => {
  it('adds within one day', () => {
    expect(add('2026-03-02T10:00:00Z', 120, london)).toBe('2026-03-02T12:00:00.000Z');
  });

  it('ends at the closing time when the minutes fill the day exactly', () => {
    expect(add('2026-03-02T17:00:00Z', 60, london)).toBe('2026-03-02T18:00:00.000Z');
  });

  it('carries the rest over the night to the next opening (winter)', () => {
    // Mon 17:30 + 60: 30 minutes on Monday, 30 from Tuesday 09:00.
    expect(add('2026-03-02T17:30:00Z', 60, london)).toBe('2026-03-03T09:30:00.000Z');
  });

  it('carries the rest over the night in local summer time', () => {
    // Mon 17:30 BST is 16:30Z; Tue 09:30 BST is 08:30Z.
    expect(add('2026-06-01T16:30:00Z', 60, london)).toBe('2026-06-02T08:30:00.000Z');
  });

  it('skips the weekend', () => {
    expect(add('2026-03-06T17:00:00Z', 120, london)).toBe('2026-03-09T10:00:00.000Z');
  });

  it('skips a weekend on which the clocks go forward', () => {
    // Fri 17:30 GMT + 60: 30 on Friday, then Mon 09:00 BST (08:00Z) + 30.
    expect(add('2026-03-27T17:30:00Z', 60, london)).toBe('2026-03-30T08:30:00.000Z');
  });

  it('spans several days, finishing at Friday close or just after the weekend', () => {
    expect(add('2026-03-02T09:00:00Z', 5 * 540, london)).toBe('2026-03-06T18:00:00.000Z');
    expect(add('2026-03-02T09:00:00Z', 5 * 540 + 1, london)).toBe('2026-03-09T09:01:00.000Z');
  });

  it('starts counting at the next opening when started outside hours', () => {
    expect(add('2026-03-07T12:00:00Z', 30, london)).toBe('2026-03-09T09:30:00.000Z'); // Saturday
    expect(add('2026-03-02T07:00:00Z', 30, london)).toBe('2026-03-02T09:30:00.000Z'); // before opening
    expect(add('2026-03-02T20:00:00Z', 30, london)).toBe('2026-03-03T09:30:00.000Z'); // after closing
  });

  it('returns the next business time for zero minutes', () => {
    expect(add('2026-03-07T12:00:00Z', 0, london)).toBe('2026-03-09T09:00:00.000Z');
    expect(add('2026-03-02T10:15:00Z', 0, london)).toBe('2026-03-02T10:15:00.000Z');
  });

  it('adds fractional minutes to the millisecond', () => {
    expect(add('2026-03-02T10:00:00Z', 0.5, london)).toBe('2026-03-02T10:00:30.000Z');
    expect(add('2026-03-02T10:00:00Z', 0.0001, london)).toBe('2026-03-02T10:00:00.006Z');
    expect(add('2026-03-02T17:59:59.500Z', 1 / 60, london)).toBe('2026-03-03T09:00:00.500Z');
  });

  it('rejects negative or non-finite minutes and invalid dates', () => {
    expect(() => add('2026-03-02T10:00:00Z', -1, london)).toThrow(RangeError);
    expect(() => add('2026-03-02T10:00:00Z', Number.NaN, london)).toThrow(RangeError);
    expect(() => addBusinessMinutes(new Date('not a date'), 5, london)).toThrow(/start is not a valid date/);
  });
});

describe('businessMinutesBetween', () => {
  it('counts only the opening hours in the range', () => {
    expect(between('2026-03-02T10:00:00Z', '2026-03-02T12:30:00Z', london)).toBe(150);
    expect(between('2026-03-02T17:30:00Z', '2026-03-03T09:30:00Z', london)).toBe(60);
    expect(between('2026-03-06T17:00:00Z', '2026-03-09T10:00:00Z', london)).toBe(120);
  });

  it('counts a full week as five days of nine hours', () => {
    expect(between('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z', london)).toBe(2700);
  });

  it('counts nothing outside hours or for a reversed range', () => {
    expect(between('2026-03-07T00:00:00Z', '2026-03-09T09:00:00Z', london)).toBe(0);
    expect(between('2026-03-03T12:00:00Z', '2026-03-02T12:00:00Z', london)).toBe(0);
  });

  it('keeps millisecond precision', () => {
    expect(between('2026-03-02T10:00:00Z', '2026-03-02T10:00:00.300Z', london)).toBeCloseTo(0.005, 10);
  });
});

describe('isBusinessTime and nextBusinessTime', () => {
  it('treats the opening instant as open and the closing instant as closed', () => {
    expect(isOpen('2026-03-02T09:00:00Z', london)).toBe(true);
    expect(isOpen('2026-03-02T08:59:59.999Z', london)).toBe(false);
    expect(isOpen('2026-03-02T17:59:59.999Z', london)).toBe(true);
    expect(isOpen('2026-03-02T18:00:00Z', london)).toBe(false);
  });

  it('returns the instant itself when open, else the next opening', () => {
    expect(next('2026-03-02T12:34:56.789Z', london)).toBe('2026-03-02T12:34:56.789Z');
    expect(next('2026-03-02T18:00:00Z', london)).toBe('2026-03-03T09:00:00.000Z');
    expect(next('2026-03-07T09:00:00Z', london)).toBe('2026-03-09T09:00:00.000Z');
  });
});

describe('holidays', () => {
  // 2026: Christmas is a Friday, Boxing Day a Saturday (substitute Monday 28th), 1 January 2027 a Friday.
  const ukHolidays = calendar('Europe/London', weekdays('09:00', '18:00'), ['2026-12-25', '2026-12-28', '2027-01-01']);

  it('skips Christmas Friday, the weekend and the substitute Monday', () => {
    expect(add('2026-12-24T17:00:00Z', 120, ukHolidays)).toBe('2026-12-29T10:00:00.000Z');
  });

  it('skips New Year on a Friday', () => {
    expect(add('2026-12-31T17:30:00Z', 60, ukHolidays)).toBe('2027-01-04T09:30:00.000Z');
  });

  it('starts counting after the holiday when started on one', () => {
    expect(isOpen('2026-12-25T11:00:00Z', ukHolidays)).toBe(false);
    expect(next('2026-12-25T11:00:00Z', ukHolidays)).toBe('2026-12-29T09:00:00.000Z');
    expect(add('2026-12-25T11:00:00Z', 30, ukHolidays)).toBe('2026-12-29T09:30:00.000Z');
  });

  it('counts no minutes on holidays', () => {
    // Thu 24th, Tue 29th and Wed 30th are working days.
    expect(between('2026-12-24T00:00:00Z', '2026-12-31T00:00:00Z', ukHolidays)).toBe(3 * 540);
  });

  it('applies to the local date, not the UTC date', () => {
    // Shanghai's 2026-03-03 runs from 2026-03-02T16:00Z: 09:00 CST is 01:00Z.
    const shanghaiHoliday = calendar('Asia/Shanghai', weekdays('09:00', '18:00'), ['2026-03-03']);
    expect(isOpen('2026-03-03T01:00:00Z', shanghaiHoliday)).toBe(false);
    expect(next('2026-03-03T01:00:00Z', shanghaiHoliday)).toBe('2026-03-04T01:00:00.000Z');
  });
});

describe('time zones', () => {
  it('knows IANA zones and refuses other names, also when asked again (the answer is remembered)', () => {
    for (let i = 0; i < 2; i += 1) {
      expect(isKnownZone('Asia/Shanghai')).toBe(true);
      expect(isKnownZone('Mars/Olympus_Mons')).toBe(false);
      expect(() => parseBusinessCalendar({ timeZone: 'Mars/Olympus_Mons', weekly: [], holidays: [] })).toThrow(/time zone/);
    }
  });

  it('reads the same instant in each calendar’s own zone', () => {
    // 08:30Z Monday: 08:30 in London (closed), 16:30 in Shanghai (open).
    expect(isOpen('2026-03-02T08:30:00Z', london)).toBe(false);
    expect(isOpen('2026-03-02T08:30:00Z', shanghai)).toBe(true);
    expect(add('2026-03-02T08:30:00Z', 60, london)).toBe('2026-03-02T10:00:00.000Z');
    expect(add('2026-03-02T08:30:00Z', 60, shanghai)).toBe('2026-03-02T09:30:00.000Z');
  });

  it('sees Sunday night in London as Monday morning in Shanghai', () => {
    expect(next('2026-03-01T23:30:00Z', london)).toBe('2026-03-02T09:00:00.000Z');
    expect(next('2026-03-01T23:30:00Z', shanghai)).toBe('2026-03-02T01:00:00.000Z');
  });

  it('keeps Shanghai at UTC+8 while London is on summer time', () => {
    expect(next('2026-05-31T20:00:00Z', shanghai)).toBe('2026-06-01T01:00:00.000Z');
    expect(next('2026-05-31T20:00:00Z', london)).toBe('2026-06-01T08:00:00.000Z');
  });

  it('carries Shanghai’s evening over to the next local morning', () => {
    // Monday 10:30Z is 18:30 CST, after closing; Tuesday 09:00 CST is Tuesday 01:00Z.
    expect(add('2026-03-02T10:30:00Z', 60, shanghai)).toBe('2026-03-03T02:00:00.000Z');
  });
});

describe('DST in Europe/London: spring forward on 2026-03-29 (01:00 GMT → 02:00 BST)', () => {
  const sunday = (open: string, close: string) => calendar('Europe/London', [{ day: 0, open, close }]);

  it('keeps a 09:00-18:00 day at nine hours when the jump is at night', () => {
    expect(between('2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z', sunday('09:00', '18:00'))).toBe(540);
    expect(next('2026-03-29T00:00:00Z', sunday('09:00', '18:00'))).toBe('2026-03-29T08:00:00.000Z');
  });

  it('makes an interval containing the jump one hour shorter', () => {
    const night = sunday('00:00', '04:00'); // 00:00Z to 04:00 BST = 03:00Z
    expect(between('2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z', night)).toBe(180);
    expect(add('2026-03-29T00:00:00Z', 60, night)).toBe('2026-03-29T01:00:00.000Z'); // 02:00 BST
    expect(add('2026-03-29T00:00:00Z', 180, night)).toBe('2026-03-29T03:00:00.000Z');
    // The next Sunday starts at 00:00 BST, Saturday 23:00Z.
    expect(add('2026-03-29T00:00:00Z', 181, night)).toBe('2026-04-04T23:01:00.000Z');
  });

  it('shortens an overnight interval Sat 22:00 → Sun 06:00 to seven hours', () => {
    const overnight = calendar('Europe/London', [{ day: 6, open: '22:00', close: '06:00' }]);
    expect(between('2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z', overnight)).toBe(420);
    expect(add('2026-03-28T21:00:00Z', 240, overnight)).toBe('2026-03-29T02:00:00.000Z'); // 03:00 BST
    expect(add('2026-03-28T21:00:00Z', 420, overnight)).toBe('2026-03-29T05:00:00.000Z'); // 06:00 BST
  });

  it('shortens a 24-hour interval to 23 hours', () => {
    expect(between('2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z', sunday('00:00', '24:00'))).toBe(1380);
    expect(add('2026-03-29T00:00:00Z', 1380, sunday('00:00', '24:00'))).toBe('2026-03-29T23:00:00.000Z');
    // Saturday noon to Sunday noon (close == open runs overnight).
    const noonToNoon = calendar('Europe/London', [{ day: 6, open: '12:00', close: '12:00' }]);
    expect(between('2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z', noonToNoon)).toBe(1380);
  });

  it('shifts a skipped local time forward by the gap, as luxon does', () => {
    // 01:30 does not exist that night: it means 02:30 BST (01:30Z); 03:00 BST is 02:00Z.
    const skipped = sunday('01:30', '03:00');
    expect(next('2026-03-29T00:00:00Z', skipped)).toBe('2026-03-29T01:30:00.000Z');
    expect(between('2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z', skipped)).toBe(30);
  });
});

describe('DST in Europe/London: fall back on 2026-10-25 (02:00 BST → 01:00 GMT)', () => {
  const sunday = (open: string, close: string) => calendar('Europe/London', [{ day: 0, open, close }]);

  it('makes an interval containing the repeated hour one hour longer', () => {
    const night = sunday('00:00', '04:00'); // 00:00 BST = Saturday 23:00Z, to 04:00Z
    expect(between('2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z', night)).toBe(300);
    expect(add('2026-10-24T23:00:00Z', 300, night)).toBe('2026-10-25T04:00:00.000Z');
    expect(isOpen('2026-10-25T03:30:00Z', night)).toBe(true);
  });

  it('lengthens an overnight interval Sat 22:00 → Sun 06:00 to nine hours', () => {
    const overnight = calendar('Europe/London', [{ day: 6, open: '22:00', close: '06:00' }]);
    expect(between('2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z', overnight)).toBe(540);
    expect(next('2026-10-24T12:00:00Z', overnight)).toBe('2026-10-24T21:00:00.000Z');
  });

  it('lengthens a 24-hour interval to 25 hours', () => {
    expect(between('2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z', sunday('00:00', '24:00'))).toBe(1500);
    expect(add('2026-10-24T23:00:00Z', 1500, sunday('00:00', '24:00'))).toBe('2026-10-26T00:00:00.000Z');
    const noonToNoon = calendar('Europe/London', [{ day: 6, open: '12:00', close: '12:00' }]);
    expect(between('2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z', noonToNoon)).toBe(1500);
  });

  it('reads a repeated local time as its second occurrence (GMT), as luxon does', () => {
    const repeated = sunday('01:30', '03:00'); // 01:30 GMT = 01:30Z, not 01:30 BST = 00:30Z
    expect(next('2026-10-25T00:00:00Z', repeated)).toBe('2026-10-25T01:30:00.000Z');
    expect(between('2026-10-25T00:00:00Z', '2026-10-26T00:00:00Z', repeated)).toBe(90);
  });
});

describe('DST in America/New_York (2026-03-08 and 2026-11-01)', () => {
  const newYork = calendar('America/New_York', weekdays('09:00', '17:00'));
  const sunday = (open: string, close: string) => calendar('America/New_York', [{ day: 0, open, close }]);

  it('moves office hours one hour earlier in UTC after the spring change', () => {
    // Fri 16:00 EST = 21:00Z; Mon 10:00 EDT = 14:00Z.
    expect(add('2026-03-06T21:00:00Z', 120, newYork)).toBe('2026-03-09T14:00:00.000Z');
  });

  it('moves office hours one hour later in UTC after the autumn change', () => {
    // Fri 16:00 EDT = 20:00Z; Mon 10:00 EST = 15:00Z.
    expect(add('2026-10-30T20:00:00Z', 120, newYork)).toBe('2026-11-02T15:00:00.000Z');
  });

  it('makes a Sunday 00:00-04:00 interval three hours in March and five in November', () => {
    expect(between('2026-03-07T12:00:00Z', '2026-03-08T12:00:00Z', sunday('00:00', '04:00'))).toBe(180);
    expect(between('2026-10-31T12:00:00Z', '2026-11-01T12:00:00Z', sunday('00:00', '04:00'))).toBe(300);
    expect(next('2026-10-31T12:00:00Z', sunday('00:00', '04:00'))).toBe('2026-11-01T04:00:00.000Z');
  });

  it('makes the changeover Sundays 23 and 25 hours long', () => {
    expect(between('2026-03-08T00:00:00Z', '2026-03-10T00:00:00Z', sunday('00:00', '24:00'))).toBe(1380);
    expect(between('2026-11-01T00:00:00Z', '2026-11-03T00:00:00Z', sunday('00:00', '24:00'))).toBe(1500);
  });

  it('shifts the skipped 02:30 forward to 03:30 EDT', () => {
    expect(next('2026-03-08T05:00:00Z', sunday('02:30', '04:00'))).toBe('2026-03-08T07:30:00.000Z');
  });
});

describe('overnight hours Fri 22:00 → Sat 06:00', () => {
  const overnight = calendar('Europe/London', [{ day: 5, open: '22:00', close: '06:00' }]);

  it('counts across midnight into Saturday', () => {
    expect(add('2026-03-06T21:00:00Z', 120, overnight)).toBe('2026-03-07T00:00:00.000Z');
    expect(add('2026-03-06T21:00:00Z', 480, overnight)).toBe('2026-03-07T06:00:00.000Z');
    expect(add('2026-03-06T21:00:00Z', 481, overnight)).toBe('2026-03-13T22:01:00.000Z');
    expect(between('2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z', overnight)).toBe(480);
  });

  it('is open from Friday 22:00 until Saturday 06:00, exclusive', () => {
    expect(isOpen('2026-03-06T21:59:00Z', overnight)).toBe(false);
    expect(isOpen('2026-03-06T22:00:00Z', overnight)).toBe(true);
    expect(isOpen('2026-03-07T05:59:00Z', overnight)).toBe(true);
    expect(isOpen('2026-03-07T06:00:00Z', overnight)).toBe(false);
  });

  it('stops at midnight when the Saturday is a holiday', () => {
    const saturdayOff = { ...overnight, holidays: ['2026-03-07'] };
    expect(between('2026-03-06T00:00:00Z', '2026-03-08T00:00:00Z', saturdayOff)).toBe(120);
    expect(isOpen('2026-03-07T01:00:00Z', saturdayOff)).toBe(false);
    // 60 minutes on Friday night, the other 30 a week later.
    expect(add('2026-03-06T23:00:00Z', 90, saturdayOff)).toBe('2026-03-13T22:30:00.000Z');
  });

  it('still counts the Saturday part when the Friday is a holiday', () => {
    const fridayOff = { ...overnight, holidays: ['2026-03-06'] };
    expect(between('2026-03-06T00:00:00Z', '2026-03-08T00:00:00Z', fridayOff)).toBe(360);
    expect(next('2026-03-06T20:00:00Z', fridayOff)).toBe('2026-03-07T00:00:00.000Z');
  });
});

describe("close '24:00' and overlapping intervals", () => {
  it('closes at the midnight ending the day', () => {
    const evening = calendar('Europe/London', [{ day: 1, open: '18:00', close: '24:00' }]);
    expect(add('2026-03-02T23:30:00Z', 30, evening)).toBe('2026-03-03T00:00:00.000Z');
    expect(isOpen('2026-03-02T23:59:59.999Z', evening)).toBe(true);
    expect(isOpen('2026-03-03T00:00:00Z', evening)).toBe(false);
  });

  it('runs seamlessly into an interval opening at the next midnight', () => {
    const lateShift = calendar('Europe/London', [
      { day: 1, open: '18:00', close: '24:00' },
      { day: 2, open: '00:00', close: '06:00' },
    ]);
    expect(add('2026-03-02T23:30:00Z', 60, lateShift)).toBe('2026-03-03T00:30:00.000Z');
    expect(between('2026-03-02T12:00:00Z', '2026-03-04T00:00:00Z', lateShift)).toBe(720);
  });

  it('counts a whole 00:00-24:00 day as 1440 minutes outside DST changes', () => {
    expect(between('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z', calendar('Europe/London', [{ day: 3, open: '00:00', close: '24:00' }]))).toBe(1440);
  });

  it('counts time covered by overlapping intervals once', () => {
    const overlapping = calendar('Europe/London', [
      { day: 1, open: '09:00', close: '13:00' },
      { day: 1, open: '12:00', close: '18:00' },
      { day: 0, open: '20:00', close: '10:00' }, // Sunday night into Monday's hours
    ]);
    // Sunday 20:00 to Monday 18:00 without gaps: 22 hours.
    expect(between('2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z', overlapping)).toBe(1320);
    expect(add('2026-03-01T20:00:00Z', 1320, overlapping)).toBe('2026-03-02T18:00:00.000Z');
  });
});

/** mulberry32: a tiny seeded generator, so the property checks are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('businessMinutesBetween inverts addBusinessMinutes', () => {
  const yearStart = Date.UTC(2026, 0, 1);
  const yearMs = 365 * 86_400_000;
  const calendars: [string, BusinessCalendar][] = [
    [
      'London, mixed hours and holidays',
      calendar(
        'Europe/London',
        [
          ...weekdays('09:00', '17:30'),
          { day: 6, open: '10:00', close: '14:00' },
          { day: 5, open: '22:00', close: '02:00' },
          { day: 0, open: '00:30', close: '03:30' },
        ],
        ['2026-04-03', '2026-04-06', '2026-12-25'],
      ),
    ],
    [
      'New York, long weekdays and Sunday nights',
      calendar('America/New_York', [...weekdays('08:00', '20:00'), { day: 0, open: '00:00', close: '04:00' }], ['2026-07-03']),
    ],
    ['Shanghai, with a lunch break', calendar('Asia/Shanghai', [...weekdays('09:00', '12:00'), ...weekdays('13:00', '18:00')], ['2026-10-01'])],
  ];

  for (const [name, cal] of calendars) {
    it(`recovers the minutes added, for ${name}`, () => {
      const random = seededRandom(name.length * 7919);
      for (let i = 0; i < 40; i += 1) {
        const start = new Date(yearStart + Math.floor(random() * yearMs));
        const minutes = Math.round(random() * 6000 * 1000) / 1000;
        const end = addBusinessMinutes(start, minutes, cal);
        const label = `${start.toISOString()} + ${minutes}`;
        expect(end.getTime(), label).toBeGreaterThanOrEqual(start.getTime());
        expect(businessMinutesBetween(start, end, cal), label).toBeCloseTo(minutes, 4);
      }
    });

    it(`adding the minutes between two instants reaches the later one without overshooting, for ${name}`, () => {
      const random = seededRandom(name.length * 104_729);
      for (let i = 0; i < 40; i += 1) {
        const from = new Date(yearStart + Math.floor(random() * yearMs));
        const to = new Date(from.getTime() + Math.floor(random() * 10 * 86_400_000));
        const minutes = businessMinutesBetween(from, to, cal);
        const reached = addBusinessMinutes(from, minutes, cal);
        const label = `${from.toISOString()} → ${to.toISOString()}`;
        if (minutes > 0) {
          expect(reached.getTime(), label).toBeLessThanOrEqual(to.getTime());
          expect(businessMinutesBetween(from, reached, cal), label).toBeCloseTo(minutes, 4);
        } else {
          // Nothing open in between: zero minutes means "the next opening", which is not before `to`.
          expect(reached.getTime(), label).toBeGreaterThanOrEqual(to.getTime());
          expect(reached, label).toEqual(nextBusinessTime(from, cal));
        }
      }
    });
  }
});

describe('a calendar that never opens', () => {
  const closed = calendar('Europe/London', []);

  it('throws instead of looping when minutes are added, even zero', () => {
    expect(() => add('2026-03-02T10:00:00Z', 30, closed)).toThrow(/no opening hours/);
    expect(() => add('2026-03-02T10:00:00Z', 0, closed)).toThrow(/no opening hours/);
  });

  it('has no next business time and counts no minutes', () => {
    expect(next('2026-03-02T10:00:00Z', closed)).toBeNull();
    expect(isOpen('2026-03-02T10:00:00Z', closed)).toBe(false);
    expect(between('2026-03-02T10:00:00Z', '2027-03-02T10:00:00Z', closed)).toBe(0);
  });

  it('is treated as never opening once holidays close it for over three years', () => {
    const sundaysOff = calendar('Europe/London', [{ day: 0, open: '09:00', close: '10:00' }], allSundays(2026, 2030));
    expect(next('2026-01-01T00:00:00Z', sundaysOff)).toBeNull();
  });
});

/** Every Sunday from 1 January of `fromYear` to 31 December of `toYear`, as YYYY-MM-DD. */
function allSundays(fromYear: number, toYear: number): string[] {
  const dates: string[] = [];
  for (let day = Date.UTC(fromYear, 0, 1); day < Date.UTC(toYear + 1, 0, 1); day += 86_400_000) {
    if (new Date(day).getUTCDay() === 0) dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
}

describe('very long spans', () => {
  it('refuses spans of more than twenty years instead of scanning them', () => {
    const sundayMornings = calendar('Europe/London', [{ day: 0, open: '09:00', close: '10:00' }]);
    expect(between('2026-01-01T00:00:00Z', '2036-01-01T00:00:00Z', sundayMornings)).toBe(522 * 60);
    expect(() => between('2026-01-01T00:00:00Z', '2056-01-01T00:00:00Z', sundayMornings)).toThrow(RangeError);
    expect(() => add('2026-01-01T00:00:00Z', 60 * 60 * 24 * 366, sundayMornings)).toThrow(/more than 7320 days/);
  });
});

describe('a calendar that did not come through parseBusinessCalendar', () => {
  it('fails clearly on an unknown time zone or a malformed interval', () => {
    expect(() => add('2026-03-02T10:00:00Z', 5, calendar('Mars/Olympus', weekdays('09:00', '18:00')))).toThrow(/unknown time zone 'Mars\/Olympus'/);
    expect(() => add('2026-03-02T10:00:00Z', 5, calendar('Europe/London', [{ day: 1, open: '9am', close: '18:00' }]))).toThrow(/invalid opening interval/);
  });
});

describe('parseBusinessCalendar', () => {
  const valid = {
    timeZone: 'Asia/Shanghai',
    weekly: [
      { day: 1, open: '09:00', close: '18:00' },
      { day: 5, open: '22:00', close: '06:00' },
      { day: 6, open: '00:00', close: '24:00' },
    ],
    holidays: ['2026-10-01', '2026-02-28'],
  };

  it('accepts a valid calendar, overnight and 24:00 intervals included', () => {
    expect(parseBusinessCalendar(valid)).toEqual(valid);
  });

  it('accepts a calendar with no hours (it never opens)', () => {
    expect(parseBusinessCalendar({ timeZone: 'UTC', weekly: [], holidays: [] }).weekly).toEqual([]);
  });

  it('rejects an unknown time zone, naming the field', () => {
    expect(() => parseBusinessCalendar({ ...valid, timeZone: 'Mars/Olympus' })).toThrow(/timeZone: must be a valid IANA time zone/);
    expect(() => parseBusinessCalendar({ ...valid, timeZone: '+08:00' })).toThrow(/timeZone/);
  });

  it('rejects times that are not HH:MM, naming the interval and field', () => {
    const withInterval = (interval: unknown) => ({ ...valid, weekly: [valid.weekly[0], interval] });
    expect(() => parseBusinessCalendar(withInterval({ day: 1, open: '9:00', close: '18:00' }))).toThrow(/weekly\[1\]\.open: must be a local time HH:MM/);
    expect(() => parseBusinessCalendar(withInterval({ day: 1, open: '24:00', close: '18:00' }))).toThrow(/weekly\[1\]\.open/);
    expect(() => parseBusinessCalendar(withInterval({ day: 1, open: '09:00', close: '18:60' }))).toThrow(/weekly\[1\]\.close/);
    expect(() => parseBusinessCalendar(withInterval({ day: 1, open: '09:00', close: '24:01' }))).toThrow(/weekly\[1\]\.close/);
  });

  it('rejects a day outside 0-6 or not a whole number', () => {
    expect(() => parseBusinessCalendar({ ...valid, weekly: [{ day: 7, open: '09:00', close: '18:00' }] })).toThrow(/weekly\[0\]\.day: must be 0-6/);
    expect(() => parseBusinessCalendar({ ...valid, weekly: [{ day: 1.5, open: '09:00', close: '18:00' }] })).toThrow(/weekly\[0\]\.day/);
  });

  it('rejects holidays that are not real YYYY-MM-DD dates', () => {
    expect(() => parseBusinessCalendar({ ...valid, holidays: ['25/12/2026'] })).toThrow(/holidays\[0\]: must be a local date YYYY-MM-DD/);
    expect(() => parseBusinessCalendar({ ...valid, holidays: ['2026-12-25', '2026-02-30'] })).toThrow(/holidays\[1\]: must be a real calendar date/);
  });

  it('rejects a value that is not a calendar, and lists every bad field at once', () => {
    expect(() => parseBusinessCalendar('Europe/London')).toThrow(/Invalid business calendar: calendar:/);
    expect(() => parseBusinessCalendar({ timeZone: 'Nowhere', weekly: [{ day: 9, open: '09:00', close: '18:00' }] })).toThrow(
      /timeZone: .*; weekly\[0\]\.day: .*; holidays: /,
    );
  });
});

describe('localDateIn (the cached local date)', () => {
  it('agrees with luxon every 241 minutes for a year in zones whose clocks change at midnight or by half an hour', () => {
    const zones = ['Europe/London', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham'];
    const start = Date.parse('2026-01-01T00:00:00Z');
    let mismatches = 0;
    for (const zone of zones) {
      for (let at = start; at < start + 366 * 86_400_000; at += 241 * 60_000 + 13) {
        if (localDateIn(new Date(at), zone) !== DateTime.fromMillis(at, { zone }).toISODate()) mismatches += 1;
      }
    }
    expect(mismatches).toBe(0);
  });
});
