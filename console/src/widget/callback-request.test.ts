// The visitor's "Call me back" (issue 24): what each choice asks for, and the promise as the visitor
// reads it, in their language and their own time zone; kept for a reload, gone once long past.
import { describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n';
import type { Translate } from '../i18n/create-i18n';
import { callbackBody, callbackLine, promisedCallback } from './callback-request';

const t: Translate = (key, params) => i18n.global.t(key, params ?? {});
const halfPastSixUtc = '2026-12-07T06:30:00.000Z';

describe('the call-back the visitor asked for', () => {
  it('asks for as soon as possible without a time, else for a time that many minutes ahead', () => {
    const now = Date.parse('2026-12-07T05:00:00.000Z');
    expect(callbackBody(0, now)).toEqual({});
    expect(callbackBody(60, now)).toEqual({ dueAt: '2026-12-07T06:00:00.000Z' });
  });

  it('says when, in the visitor’s zone and language', () => {
    i18n.global.locale.value = 'en';
    expect(callbackLine({ dueAt: halfPastSixUtc, asap: false }, t, 'en', 'Asia/Shanghai')).toBe('We’ll call you back at 14:30.');
    expect(callbackLine({ dueAt: halfPastSixUtc, asap: false }, t, 'en', 'Europe/London')).toBe('We’ll call you back at 06:30.');
    expect(callbackLine({ dueAt: halfPastSixUtc, asap: true }, t, 'en', 'UTC')).toBe('We’ll call you back shortly.');
    i18n.global.locale.value = 'zh-CN';
    expect(callbackLine({ dueAt: halfPastSixUtc, asap: false }, t, 'zh-CN', 'Asia/Shanghai')).toBe('我们将在 14:30 给您回电。');
    // A Taiwan browser: the zh-CN strings, its own zone.
    expect(callbackLine({ dueAt: halfPastSixUtc, asap: false }, t, 'zh-TW', 'Asia/Taipei')).toBe('我们将在 14:30 给您回电。');
    expect(callbackLine({ dueAt: halfPastSixUtc, asap: true }, t, 'zh-CN', 'Asia/Shanghai')).toBe('我们会尽快给您回电。');
    i18n.global.locale.value = 'en';
  });

  it('shows a stored promise again after a reload until an hour past its time', () => {
    const stored = JSON.stringify({ dueAt: halfPastSixUtc, asap: false });
    expect(promisedCallback(stored, Date.parse('2026-12-07T07:29:00.000Z'))).toEqual({ dueAt: halfPastSixUtc, asap: false });
    expect(promisedCallback(stored, Date.parse('2026-12-07T07:31:00.000Z'))).toBeNull();
    expect(promisedCallback('not json', Date.now())).toBeNull();
    expect(promisedCallback(null, Date.now())).toBeNull();
  });
});
