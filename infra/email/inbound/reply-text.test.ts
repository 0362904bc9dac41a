import { describe, expect, it } from 'vitest';
import { splitReplyText } from './reply-text.js';

describe('splitReplyText', () => {
  it('cuts Gmail’s wrapped "On … wrote:" header and the quoted lines', () => {
    const split = splitReplyText(
      'Thanks, that worked!\n\nAnn\n\nOn Mon, Dec 1, 2026 at 9:00 AM Support <s@example.com>\nwrote:\n\n> Hello Ann,\n> your refund was sent.\n',
    );
    expect(split).toEqual({ reply: 'Thanks, that worked!\n\nAnn', quoted: expect.stringMatching(/^On Mon[\s\S]*> your refund was sent\.$/), signature: null });
  });

  it('cuts Gmail’s Chinese header “在 … 写道：”', () => {
    const split = splitReplyText('好的，谢谢！\r\n\r\n在 2026年12月1日周二 上午10:00，张三 <zhang@example.com> 写道：\r\n> 您好\r\n> 请问');
    expect(split.reply).toBe('好的，谢谢！');
    expect(split.quoted).toMatch(/^在 2026年12月1日/);
  });

  it('cuts a wrapped Chinese header and a Traditional Chinese Apple Mail header', () => {
    expect(splitReplyText('收到\n\n在 2026年12月1日周二 10:00，张三 <zhang@example.com>\n写道：\n> 原文').reply).toBe('收到');
    expect(splitReplyText('好的\n\n2026年12月1日 上午10:00，張三 <zhang@example.tw> 寫道：\n\n> 原文').reply).toBe('好的');
  });

  it('cuts Outlook’s header block in English and Chinese, and QQ Mail’s separator', () => {
    expect(
      splitReplyText('See attached.\n\nFrom: Support <s@example.com>\nSent: Monday, December 1, 2026 9:00 AM\nTo: Bob\nSubject: Invoice\n\nold').reply,
    ).toBe('See attached.');
    expect(splitReplyText('已处理\n\n发件人: 客服 <s@example.com>\n发送时间: 2026年12月1日 9:00\n收件人: 我\n主题: 发票\n\n原文').reply).toBe('已处理');
    expect(splitReplyText('已收到\n\n------------------ 原始邮件 ------------------\n发件人: "客服"<s@example.com>\n原文').reply).toBe('已收到');
    expect(splitReplyText('OK\n\n-----Original Message-----\nFrom: a\nold').reply).toBe('OK');
  });

  it('does not take a sentence that starts with "From:" for a header', () => {
    expect(splitReplyText('From: my phone I cannot open the app.\nPlease help.').quoted).toBeNull();
  });

  it('separates the signature delimiter and device lines', () => {
    expect(splitReplyText('Thanks\n\n-- \nBob Smith\nACME Inc.')).toEqual({ reply: 'Thanks', quoted: null, signature: '-- \nBob Smith\nACME Inc.' });
    expect(splitReplyText('好的，收到了\n\n发自我的iPhone')).toEqual({ reply: '好的，收到了', quoted: null, signature: '发自我的iPhone' });
    expect(splitReplyText('OK\n\nSent from my iPhone\n\n> old')).toEqual({ reply: 'OK', quoted: '> old', signature: 'Sent from my iPhone' });
  });

  it('shows a message that is all quote (a forward) in full rather than nothing', () => {
    const body = '-----Original Message-----\nFrom: a\nthe forwarded text';
    expect(splitReplyText(body)).toEqual({ reply: body, quoted: null, signature: null });
  });

  it('leaves a message without history as it is', () => {
    expect(splitReplyText('  Where is my order?\n')).toEqual({ reply: 'Where is my order?', quoted: null, signature: null });
  });

  it('stays linear on a long Chinese body full of lines starting with 在', () => {
    const body = '在这里我们讨论一下这个问题的细节部分\n'.repeat(50_000);
    expect(splitReplyText(body).quoted).toBeNull();
  });
});
