import { describe, expect, it } from 'vitest';
import { parseBusinessCalendar } from '../domain/business-hours.js';
import { canonicalTimeZone, channelSettings, escalation, escapeLike, holidays, normalisedOrigin, openingInterval, shortcut, weekly } from './admin-fields.js';

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];

describe('time zones', () => {
  it('accepts IANA zones in their canonical spelling and refuses unknown zones and bare offsets', () => {
    expect(canonicalTimeZone('Europe/London')).toBe('Europe/London');
    expect(canonicalTimeZone('asia/shanghai')).toBe('Asia/Shanghai');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(canonicalTimeZone('+08:00')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
    expect(canonicalTimeZone('Europe/London; DROP TABLE')).toBeNull();
  });
});

describe('opening hours', () => {
  it('accepts day intervals, overnight intervals and 24:00 as the end of the day', () => {
    expect(openingInterval.safeParse({ day: 1, open: '09:00', close: '17:30' }).success).toBe(true);
    expect(openingInterval.safeParse({ day: 5, open: '22:00', close: '06:00' }).success).toBe(true);
    expect(openingInterval.safeParse({ day: 0, open: '00:00', close: '24:00' }).success).toBe(true);
  });

  it('refuses bad days, times that are not HH:MM, 24:00 as an opening and equal times', () => {
    expect(issues(openingInterval.safeParse({ day: 7, open: '09:00', close: '17:00' }))).toEqual(['day: must be 0-6 (0 = Sunday)']);
    expect(issues(openingInterval.safeParse({ day: 1, open: '9:00', close: '17:00' }))).toEqual(['open: must be a local time HH:MM between 00:00 and 23:59']);
    expect(issues(openingInterval.safeParse({ day: 1, open: '09:00', close: '25:00' }))).toEqual(['close: must be a local time HH:MM between 00:00 and 24:00']);
    expect(openingInterval.safeParse({ day: 1, open: '24:00', close: '06:00' }).success).toBe(false);
    expect(issues(openingInterval.safeParse({ day: 1, open: '09:00', close: '09:00' }))).toEqual([
      'close: close must differ from open (use 00:00-24:00 for a whole day)',
    ]);
    expect(openingInterval.safeParse({ day: 1, open: '09:00', close: '17:00', note: 'x' }).success).toBe(false);
  });

  it('needs at least one interval and sorts them by day and time', () => {
    expect(issues(weekly.safeParse([]))).toEqual([': must have at least one opening interval']);
    expect(
      weekly.parse([
        { day: 2, open: '09:00', close: '17:00' },
        { day: 1, open: '13:00', close: '17:00' },
        { day: 1, open: '08:00', close: '12:00' },
      ]),
    ).toEqual([
      { day: 1, open: '08:00', close: '12:00' },
      { day: 1, open: '13:00', close: '17:00' },
      { day: 2, open: '09:00', close: '17:00' },
    ]);
  });

  it('accepts only what the business-hours arithmetic accepts', () => {
    const calendar = { timeZone: 'Asia/Shanghai', weekly: weekly.parse([{ day: 5, open: '22:00', close: '06:00' }]), holidays: holidays.parse(['2027-01-01']) };
    expect(() => parseBusinessCalendar(calendar)).not.toThrow();
  });
});

describe('holidays', () => {
  it('keeps real local dates once, sorted, and refuses anything else', () => {
    expect(holidays.parse(['2026-12-25', '2026-01-01', '2026-12-25'])).toEqual(['2026-01-01', '2026-12-25']);
    expect(issues(holidays.safeParse(['2026-02-30']))).toEqual(['0: must be a real calendar date']);
    expect(issues(holidays.safeParse(['25/12/2026']))).toContain('0: must be a local date YYYY-MM-DD');
  });
});

describe('escalation ladders', () => {
  it('accepts the steps the SLA activities run, in order, each once', () => {
    expect(escalation.parse([{ action: 'notify' }, { action: 'raise_priority' }, { action: 'move_to_expert' }, { action: 'reassign_to_lead' }])).toEqual([
      { action: 'notify' },
      { action: 'raise_priority' },
      { action: 'move_to_expert' },
      { action: 'reassign_to_lead' },
    ]);
    expect(escalation.parse([])).toEqual([]);
  });

  it('refuses unknown steps, extra fields and repeated steps', () => {
    expect(escalation.safeParse([{ action: 'call_the_ceo' }]).success).toBe(false);
    expect(escalation.safeParse([{ action: 'notify', to: 'everyone' }]).success).toBe(false);
    expect(issues(escalation.safeParse([{ action: 'notify' }, { action: 'notify' }]))).toEqual([': must not repeat a step']);
  });
});

describe('widget origins', () => {
  it('keeps http(s) origins, with or without a trailing slash', () => {
    expect(normalisedOrigin('https://Shop.Example')).toBe('https://shop.example');
    expect(normalisedOrigin('https://shop.example/')).toBe('https://shop.example');
    expect(normalisedOrigin('http://localhost:5173')).toBe('http://localhost:5173');
  });

  it('refuses other schemes, paths, queries, fragments and credentials', () => {
    for (const value of [
      'ftp://shop.example',
      'javascript:alert(1)',
      'https://shop.example/widget',
      'https://shop.example?x=1',
      'https://shop.example/#top',
      'https://user:pw@shop.example',
      'shop.example',
      '*',
    ]) {
      expect(normalisedOrigin(value), value).toBeNull();
    }
  });

  it('validates settings per kind of channel, one origin at a time', () => {
    expect(channelSettings.web_chat.parse({ allowedOrigins: ['https://shop.example/', 'https://shop.example'] })).toEqual({
      allowedOrigins: ['https://shop.example'],
    });
    expect(issues(channelSettings.web_chat.safeParse({ allowedOrigins: ['https://shop.example', 'https://shop.example/widget'] }))).toEqual([
      'allowedOrigins.1: must be an http(s) origin such as https://shop.example (no path)',
    ]);
    expect(channelSettings.email.parse({ address: 'help@shop.example' })).toEqual({ address: 'help@shop.example' });
    expect(channelSettings.email.safeParse({ address: 'not an address' }).success).toBe(false);
    expect(channelSettings.email.parse({ address: 'help@shop.example', fromName: ' Shop 客服 ', signature: 'The Shop team' })).toEqual({
      address: 'help@shop.example',
      fromName: 'Shop 客服',
      signature: 'The Shop team',
    });
    expect(channelSettings.email.safeParse({ address: 'help@shop.example', signature: 'x'.repeat(2001) }).success).toBe(false);
    expect(channelSettings.email.parse({ address: 'help@shop.example', replyAll: false, createTickets: true })).toEqual({
      address: 'help@shop.example',
      replyAll: false,
      createTickets: true,
    });
    expect(channelSettings.email.safeParse({ address: 'help@shop.example', replyAll: 'yes' }).success).toBe(false);
    expect(channelSettings.email.safeParse({ address: 'help@shop.example', allowedOrigins: [] }).success).toBe(false);
    expect(channelSettings.api.safeParse({ anything: true }).success).toBe(false);
  });
});

describe('shortcuts', () => {
  it('are lower-case letters, digits, "-" and "_"', () => {
    expect(shortcut.parse('refund-status_2')).toBe('refund-status_2');
    for (const value of ['Refund', 'refund status', '/refund', '退款', '', 'x'.repeat(51)]) expect(shortcut.safeParse(value).success, value).toBe(false);
  });
});

describe('escapeLike', () => {
  it('makes LIKE wildcards and the escape character match themselves', () => {
    expect(escapeLike('100%_off\\')).toBe('100\\%\\_off\\\\');
    expect(escapeLike('退款')).toBe('退款');
  });
});
