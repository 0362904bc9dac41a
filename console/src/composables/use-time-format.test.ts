import { afterEach, describe, expect, it } from 'vitest';
import { setLocale, timeZone } from '../i18n/i18n';
import { useTimeFormat } from './use-time-format';

describe('useTimeFormat', () => {
  const zone = timeZone.value;
  afterEach(() => {
    setLocale('en');
    timeZone.value = zone;
  });

  it("writes an instant in the user's time zone and language", () => {
    const { fullTime } = useTimeFormat();
    const at = '2024-03-05T23:30:00Z';
    timeZone.value = 'UTC';
    setLocale('en');
    expect(fullTime(at)).toMatch(/Mar 5, 2024/);
    timeZone.value = 'Asia/Shanghai';
    expect(fullTime(at)).toMatch(/Mar 6, 2024/);
    setLocale('zh-CN');
    expect(fullTime(at)).toMatch(/2024年3月6日/);
  });

  it('gives no text without an instant', () => {
    const { listTime, messageTime, fullTime } = useTimeFormat();
    expect([listTime(null), messageTime(undefined), fullTime('')]).toEqual(['', '', '']);
  });
});
