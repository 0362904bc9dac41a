import { describe, expect, it } from 'vitest';
import { en, zhCN } from './messages';
import { formattingLocale, pickLocale, translate } from './translate';

describe('pickLocale', () => {
  it('chooses Simplified Chinese for any Chinese browser language', () => {
    expect(pickLocale(['zh-CN'])).toBe('zh-CN');
    expect(pickLocale(['zh-TW', 'en-US'])).toBe('zh-CN');
    expect(pickLocale(['zh'])).toBe('zh-CN');
  });

  it('chooses the first supported language in preference order', () => {
    expect(pickLocale(['fr-FR', 'en-GB', 'zh-CN'])).toBe('en');
  });

  it('falls back to English for unsupported languages', () => {
    expect(pickLocale(['de-DE'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });
});

describe('translate', () => {
  it('fills in placeholders', () => {
    expect(translate('en', 'conversation.number', { number: 42 })).toBe('#42');
    expect(translate('zh-CN', 'reply.failed', { message: '超时' })).toBe('发送失败：超时');
  });

  it('leaves an unknown placeholder visible rather than printing undefined', () => {
    expect(translate('en', 'reply.failed')).toBe('Not sent: {message}');
  });

  it('has a non-empty Chinese string for every English one', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(zhCN[key], key).toBeTruthy();
  });
});

describe('formattingLocale', () => {
  it('keeps the regional variant of the chosen language for dates', () => {
    expect(formattingLocale('en', ['en-GB', 'zh-CN'])).toBe('en-GB');
  });

  it('uses the chosen language when the browser prefers another one', () => {
    expect(formattingLocale('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(formattingLocale('en', ['zh-CN'])).toBe('en');
  });
});
