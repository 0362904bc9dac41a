import { describe, expect, it } from 'vitest';
import { chooseLocale, chooseTimeZone, formattingLocale, pickLocale, serverLanguage } from './locale';

describe('pickLocale', () => {
  it('chooses Traditional Chinese for Taiwan, Hong Kong, Macau and Hant, Simplified for other Chinese', () => {
    expect(pickLocale(['zh-CN'])).toBe('zh-CN');
    expect(pickLocale(['zh'])).toBe('zh-CN');
    expect(pickLocale(['zh-SG'])).toBe('zh-CN');
    expect(pickLocale(['zh-Hans-HK'])).toBe('zh-CN');
    expect(pickLocale(['zh-TW', 'en-US'])).toBe('zh-TW');
    expect(pickLocale(['zh-HK'])).toBe('zh-TW');
    expect(pickLocale(['zh-MO'])).toBe('zh-TW');
    expect(pickLocale(['zh-Hant'])).toBe('zh-TW');
    expect(pickLocale(['zh-Hant-TW'])).toBe('zh-TW');
  });

  it('chooses the first supported language in preference order', () => {
    expect(pickLocale(['fr-FR', 'en-GB', 'zh-CN'])).toBe('en');
  });

  it('falls back to English for unsupported languages', () => {
    expect(pickLocale(['de-DE'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });
});

describe('chooseLocale', () => {
  it("prefers the signed-in user's own choice over the device's and the browser's", () => {
    expect(chooseLocale({ user: 'zh-CN', device: 'en', browser: ['en-US'] })).toBe('zh-CN');
  });

  it("uses the device's last choice, then the browser language, when the user has none", () => {
    expect(chooseLocale({ user: null, device: 'zh-CN', browser: ['en-US'] })).toBe('zh-CN');
    expect(chooseLocale({ browser: ['zh-TW'] })).toBe('zh-TW');
  });

  it('ignores stored values that are not a supported language', () => {
    expect(chooseLocale({ user: 'fr', device: 'klingon', browser: ['en-GB'] })).toBe('en');
  });
});

describe('serverLanguage', () => {
  it('asks the API for Simplified text when the console shows Traditional', () => {
    expect(serverLanguage('zh-TW')).toBe('zh-CN');
    expect(serverLanguage('zh-CN')).toBe('zh-CN');
    expect(serverLanguage('en')).toBe('en');
  });
});

describe('formattingLocale', () => {
  it('keeps the regional variant of the chosen language for dates', () => {
    expect(formattingLocale('en', ['en-GB', 'zh-CN'])).toBe('en-GB');
  });

  it('uses the chosen language when the browser prefers another one', () => {
    expect(formattingLocale('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(formattingLocale('en', ['zh-CN'])).toBe('en');
    expect(formattingLocale('zh-TW', ['zh-HK'])).toBe('zh-HK');
  });
});

describe('chooseTimeZone', () => {
  it("uses the time zone of the user's profile", () => {
    expect(chooseTimeZone('Asia/Shanghai', 'Europe/London')).toBe('Asia/Shanghai');
  });

  it("falls back to the browser's zone for a missing or unknown one", () => {
    expect(chooseTimeZone(null, 'Europe/London')).toBe('Europe/London');
    expect(chooseTimeZone('Mars/Olympus_Mons', 'Europe/London')).toBe('Europe/London');
  });
});
