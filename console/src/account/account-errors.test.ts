import { describe, expect, it } from 'vitest';
import { createConsoleI18n, translatorOf } from '../i18n/create-i18n';
import { ApiError } from '../shared/http';
import { accountErrorText } from './account-errors';

describe('accountErrorText', () => {
  const en = translatorOf(createConsoleI18n('en'));
  const zh = translatorOf(createConsoleI18n('zh-CN'));

  it('words the account codes in the reader’s language', () => {
    const reused = new ApiError(401, 'code_already_used', 'This code was used already: wait for the next one in your app.');
    expect(accountErrorText(reused, en)).toMatch(/used already/);
    expect(accountErrorText(reused, zh)).toMatch(/已使用/);
    expect(accountErrorText(new ApiError(400, 'password_too_common', 'x'), zh)).not.toBe('x');
  });

  it('keeps the server’s words for other refusals, and says when the server was not reached', () => {
    expect(accountErrorText(new ApiError(409, 'two_factor_already_enabled', 'It is on already.'), en)).toBe('It is on already.');
    expect(accountErrorText(new ApiError(0, 'network', 'unreachable'), en)).toBe(en('error.network'));
  });
});
