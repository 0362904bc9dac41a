import { describe, expect, it } from 'vitest';
import { createConsoleI18n, translatorOf } from '../i18n/create-i18n';
import { errorText } from './error-text';
import { ApiError } from './http';

const t = translatorOf(createConsoleI18n('en'));
const zh = translatorOf(createConsoleI18n('zh-CN'));

describe('errorText', () => {
  it("shows the server's own message when it answered", () => {
    expect(errorText(new ApiError(409, 'conflict', 'The team still has members.'), t)).toBe('The team still has members.');
  });

  it('says the server could not be reached when the request never got there, in either language', () => {
    const offline = new ApiError(0, 'network', 'The server could not be reached.');
    expect(errorText(offline, t)).toBe(t('error.network'));
    expect(errorText(offline, zh)).toBe(zh('error.network'));
    expect(zh('error.network')).not.toBe(t('error.network'));
  });

  it('calls any other failure generic unless the screen asks for another text', () => {
    expect(errorText(new TypeError('x is undefined'), t)).toBe(t('error.generic'));
    expect(errorText(new TypeError('x is undefined'), t, 'error.network')).toBe(t('error.network'));
  });
});
