// The widget's "we usually reply …" line in English and Chinese, in the visitor's own time zone.
import { describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n';
import type { Translate } from '../i18n/create-i18n';
import { replyExpectation, weekdayAndTime } from './reply-expectation';

const t: Translate = (key, params) => i18n.global.t(key, params ?? {});
const mondayNineInShanghai = '2026-12-07T01:00:00.000Z';

describe('replyExpectation', () => {
  it('promises a reply in minutes inside hours, and until the availability is known', () => {
    i18n.global.locale.value = 'en';
    expect(replyExpectation({ open: true, backAt: null }, t, 'en', 'UTC')).toBe('We usually reply within a few minutes.');
    expect(replyExpectation(null, t, 'en', 'UTC')).toBe('We usually reply within a few minutes.');
  });

  it('says when someone is back, in the visitor’s zone and language', () => {
    i18n.global.locale.value = 'en';
    expect(replyExpectation({ open: false, backAt: mondayNineInShanghai }, t, 'en-GB', 'Asia/Shanghai')).toBe('We’re back Monday 09:00.');
    // The same instant for a visitor in London: Monday 01:00 there.
    expect(replyExpectation({ open: false, backAt: mondayNineInShanghai }, t, 'en', 'Europe/London')).toBe('We’re back Monday 01:00.');
    i18n.global.locale.value = 'zh-CN';
    expect(replyExpectation({ open: false, backAt: mondayNineInShanghai }, t, 'zh-CN', 'Asia/Shanghai')).toBe('我们将于星期一 09:00 回来。');
    // A Taiwan browser: the zh-CN strings, the date in its own regional form.
    expect(replyExpectation({ open: false, backAt: mondayNineInShanghai }, t, 'zh-TW', 'Asia/Taipei')).toBe('我们将于星期一 09:00 回来。');
    expect(replyExpectation({ open: false, backAt: null }, t, 'zh-CN', 'Asia/Shanghai')).toBe('我们会尽快回复您。');
    i18n.global.locale.value = 'en';
  });
});

describe('weekdayAndTime', () => {
  it('uses the 24-hour clock and the day in the given zone', () => {
    expect(weekdayAndTime(new Date('2026-12-06T23:30:00Z'), 'en-US', 'America/New_York')).toBe('Sunday 18:30');
    expect(weekdayAndTime(new Date('2026-12-06T23:30:00Z'), 'en-US', 'Asia/Tokyo')).toBe('Monday 08:30');
  });
});
