import { describe, expect, it } from 'vitest';
import { inBothChineseScripts, simplifiedChinese, traditionalChinese } from './chinese-text.js';

describe('Chinese scripts', () => {
  it('converts Traditional to Simplified and back, Taiwan words included', () => {
    expect(simplifiedChinese('我的卡還沒收到，軟體也登入不了')).toBe('我的卡还没收到，软件也登录不了');
    expect(traditionalChinese('我的卡还没收到')).toBe('我的卡還沒收到');
  });

  it('leaves text without Han characters alone, and lists a text once when no script changes it', () => {
    expect(simplifiedChinese('card not arrived')).toBe('card not arrived');
    expect(inBothChineseScripts('refund')).toEqual(['refund']);
    expect(inBothChineseScripts('盜刷')).toEqual(['盜刷', '盗刷']);
    expect(inBothChineseScripts('盗刷')).toEqual(['盗刷', '盜刷']);
  });
});
