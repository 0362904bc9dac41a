import { describe, expect, it } from 'vitest';
import { actionFailedApology, inputQuestion } from '../domain/bot-actions.js';
import { chineseScriptOf, customerLanguage, inCustomerLanguage, languageOfLocale, traditionalLocale } from './customer-language.js';

describe("the customer's language", () => {
  it('tells Traditional from Simplified by the characters, Taiwan words included', () => {
    expect(chineseScriptOf('我的订单到哪了')).toBe('simplified');
    expect(chineseScriptOf('我的訂單到哪了')).toBe('traditional');
    expect(chineseScriptOf('鵜鶘付能只還一部分嗎')).toBe('traditional');
    expect(chineseScriptOf('軟體')).toBe('traditional');
    // The same in both scripts, or no Chinese at all: nothing to tell.
    expect(chineseScriptOf('我的包裹呢')).toBeNull();
    expect(chineseScriptOf('where is my order')).toBeNull();
  });

  it("is the message's script, the widget's locale when the characters do not tell, English otherwise", () => {
    expect(customerLanguage('我的訂單ＳＯ５４３２１到哪了？')).toBe('zh-TW');
    expect(customerLanguage('我的订单到哪了', 'zh-TW')).toBe('zh-CN');
    expect(customerLanguage('我的包裹呢')).toBe('zh-CN');
    expect(customerLanguage('我的包裹呢', 'zh-HK')).toBe('zh-TW');
    expect(customerLanguage('where is my order', 'zh-TW')).toBe('en');
    expect(['zh-TW', 'zh_hk', 'zh-Hant-TW', 'zh-MO'].every(traditionalLocale)).toBe(true);
    expect(['zh-CN', 'zh', 'zh-Hans', 'en-TW'].some(traditionalLocale)).toBe(false);
  });

  it("is a locale's own when that is all there is (an admin's, a visitor's widget)", () => {
    expect(['zh-TW', 'zh_TW', 'zh-HK', 'zh-Hant-TW'].map(languageOfLocale)).toEqual(['zh-TW', 'zh-TW', 'zh-TW', 'zh-TW']);
    expect(['zh-CN', 'zh', 'zh-Hans', 'ZH-cn'].map(languageOfLocale)).toEqual(['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN']);
    expect(['en', 'en-TW', 'zhx', '', null, undefined].map(languageOfLocale)).toEqual(['en', 'en', 'en', 'en', 'en', 'en']);
  });
});

describe('server texts in Traditional Chinese', () => {
  const order = { name: 'order', type: 'string' as const, description: '订单号', questionZh: '请问您的订单号是多少？以 SO 开头。' };

  it("asks for an action's input and apologises in the customer's script", () => {
    expect(inCustomerLanguage('zh-TW', (language) => inputQuestion(order, language))).toBe('請問您的訂單號是多少？以 SO 開頭。');
    expect(inCustomerLanguage('zh-TW', (language) => inputQuestion(order, language, { again: true }))).toBe(
      '這似乎不是有效的訂單號。請問您的訂單號是多少？以 SO 開頭。',
    );
    expect(inCustomerLanguage('zh-TW', actionFailedApology)).toBe('抱歉，我暫時無法查詢到這些資訊。我已為您轉接人工客服，請稍候。');
    expect(inCustomerLanguage('zh-CN', actionFailedApology)).toBe(actionFailedApology('zh-CN'));
    expect(inCustomerLanguage('en', actionFailedApology)).toBe(actionFailedApology('en'));
  });
});
