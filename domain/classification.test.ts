import { describe, expect, it } from 'vitest';
import { classifyMessage, detectLanguage } from './classification.js';

// The same request in English, simplified Chinese and (where given) traditional Chinese: every
// phrasing of a row must land on the row's topic, so a Chinese customer is routed and answered
// like an English one (issue 21: "我被重复扣款了" was `general` while "charged twice" was `billing`).
const phrasings: [topic: string, en: string, zhCN: string, zhTW?: string][] = [
  ['billing', 'I was charged twice', '我被重复扣款了', '我被重複扣款了'],
  ['billing', 'I want a refund', '我要退款', '我要退費'],
  ['billing', 'Why is there a fee on my statement?', '为什么我的对账单上有一笔手续费？', '為什麼我的對帳單上有一筆手續費？'],
  ['billing', 'My invoice is wrong', '我的发票开错了', '我的發票開錯了'],
  ['billing', 'Where is my bill for this month?', '这个月的账单在哪里？', '這個月的帳單在哪裡？'],
  ['billing', 'I was overcharged', '你们多收费了', '你們多收費了'],
  ['billing', 'My payment went through twice', '我付款付了两次', '我付款付了兩次'],
  ['cards', 'My card was declined', '我的卡被拒绝了', '我的卡被拒絕了'],
  ['cards', 'I forgot the PIN of my card', '我忘了银行卡密码', '我忘了銀行卡密碼'],
  ['cards', 'The ATM kept my card', '取款机吞卡了', '提款機吞卡了'],
  ['cards', 'I lost my credit card, please block it', '我的信用卡丢了，请帮我挂失', '我的信用卡遺失了，請幫我掛失'],
  ['transfers', 'My transfer has not arrived', '我的转账还没到账', '我的轉帳還沒到帳'],
  ['transfers', 'How do I send a wire to another bank?', '怎么汇款到其他银行？', '怎麼匯款到其他銀行？'],
  ['transfers', 'What is your SWIFT code?', '你们的SWIFT代码是什么？', '你們的SWIFT代碼是什麼？'],
  ['transfers', 'I transferred money to the wrong payee', '我把钱转错收款人了', '我把錢轉錯收款人了'],
  ['technical', 'The app keeps crashing', '应用一直闪退', '應用程式一直閃退'],
  ['technical', "I can't log in", '我登录不了', '我登入不了'],
  ['technical', 'I forgot my password', '我忘记密码了', '我忘記密碼了'],
  ['technical', 'The website shows an error', '网站显示错误', '網站顯示錯誤'],
  ['technical', 'I never receive the verification code', '我一直收不到验证码', '我一直收不到驗證碼'],
  ['billing', 'They debited me twice', '我被扣了两次钱', '我被扣了兩次錢'],
  ['billing', 'Why was I charged an annual fee?', '为什么收了我年费？', '為什麼收了我年費？'],
  ['billing', 'You overcharged me by 50', '多扣了我50块', '多扣了我50塊'],
  ['cards', 'Contactless does not work', '闪付用不了', '閃付用不了'],
  ['transfers', 'How long does a wire take?', '电汇要多久？', '電匯要多久？'],
  ['transfers', 'I sent money to the wrong account', '钱打错账户了', '錢打錯帳戶了'],
  ['technical', 'The website will not load, it shows an error', '网页打不开，出错了', '網頁打不開，出錯了'],
  ['technical', 'The app crashed', '应用崩溃了', '應用程式崩潰了'],
  ['technical', "I can't sign in to mobile banking", '手机银行登不上去', '手機銀行登不上去'],
  ['general', 'What are your opening hours?', '你们几点开门？', '你們幾點開門？'],
];

const customer = { vip: false };

describe('classifyMessage in both languages', () => {
  it.each(phrasings)('%s: "%s" / "%s" / "%s"', (topic, en, zhCN, zhTW) => {
    for (const text of [en, zhCN, zhTW ?? zhCN]) expect(classifyMessage(text, customer).intent, text).toBe(topic);
    expect(detectLanguage(en)).toBe('en');
    expect(detectLanguage(zhCN)).toBe('zh-CN');
  });

  it('reads English words whole, so "feel", "happy" and "shipping" name no topic', () => {
    for (const text of ['I feel fine today', 'I am happy with you', 'Is shipping free?']) expect(classifyMessage(text, customer).intent, text).toBe('general');
  });

  it('reads complaints and thanks in traditional script too', () => {
    expect(classifyMessage('我要投訴，太差了', customer).sentiment).toBe('negative');
    expect(classifyMessage('謝謝，很滿意', customer).sentiment).toBe('positive');
  });
});
