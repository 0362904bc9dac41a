import { describe, expect, it } from 'vitest';
import { formatFullTime, formatListTime, formatMessageTime, timeZoneName } from './time-format';

const now = new Date('2025-03-10T15:00:00.000Z');
const utc = { now, timeZone: 'UTC' };

describe('formatListTime', () => {
  it('shows only the time for today', () => {
    expect(formatListTime('2025-03-10T09:05:00.000Z', 'en-GB', utc)).toBe('09:05');
  });

  it('shows the day for an earlier date this year', () => {
    expect(formatListTime('2025-01-03T09:05:00.000Z', 'en-US', utc)).toBe('Jan 3');
  });

  it('shows the full date for an earlier year', () => {
    expect(formatListTime('2024-01-03T09:05:00.000Z', 'en-US', utc)).toBe('1/3/24');
  });

  it('decides "today" in the viewer\'s time zone', () => {
    // 23:30 UTC on the 9th is already the 10th in Shanghai (UTC+8).
    expect(formatListTime('2025-03-09T23:30:00.000Z', 'en-GB', { now, timeZone: 'Asia/Shanghai' })).toBe('07:30');
  });

  it('is empty for a missing or broken timestamp', () => {
    expect(formatListTime(null, 'en', utc)).toBe('');
    expect(formatListTime('nonsense', 'en', utc)).toBe('');
  });
});

describe('formatMessageTime', () => {
  it('adds the date for a message from another day', () => {
    expect(formatMessageTime('2025-03-10T09:05:00.000Z', 'en-GB', utc)).toBe('09:05');
    expect(formatMessageTime('2025-03-08T09:05:00.000Z', 'en-GB', utc)).toMatch(/^8 Mar\W+09:05$/);
  });
});

describe('formatFullTime', () => {
  it("shows the date and time in the viewer's time zone", () => {
    expect(formatFullTime('2025-03-10T09:05:00.000Z', 'en-GB', { timeZone: 'Asia/Shanghai' })).toBe('10 Mar 2025, 17:05');
    expect(formatFullTime('nonsense', 'en')).toBe('');
  });
});

describe('timeZoneName', () => {
  it('names the zone with its short form', () => {
    expect(timeZoneName('UTC', 'en-GB', now)).toBe('UTC (UTC)');
    expect(timeZoneName('Asia/Shanghai', 'en-US', now)).toBe('Asia/Shanghai (GMT+8)');
  });
});
