import { describe, expect, it } from 'vitest';
import { parseInboundEmail, type InboundEmail, type ParseInboundResult } from './parse-inbound.js';
import * as samples from '../../../test/support/mail-samples.js';

function accepted(result: ParseInboundResult): InboundEmail {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code} ${result.refusal.message}`);
  return result.email;
}

describe('parseInboundEmail', () => {
  it('normalises a Gmail reply: ids without brackets, lower-cased addresses, text and sanitised html', async () => {
    const email = accepted(await parseInboundEmail(samples.gmailReply));
    expect(email.messageId).toBe('CAFx8Jk2mQ=abc123@mail.gmail.com');
    expect(email.inReplyTo).toEqual(['11111111-2222-4333-8444-555555555555.abcdefghijklmnop@support.example.com']);
    expect(email.references).toEqual(['11111111-2222-4333-8444-555555555555.abcdefghijklmnop@support.example.com']);
    expect(email.from).toEqual({ address: 'ann.customer@gmail.com', name: 'Ann Customer' });
    expect(email.to).toEqual([{ address: 'reply+token@support.example.com', name: 'Example Support' }]);
    expect(email.deliveredTo).toEqual(['reply+token@support.example.com']);
    expect(email.subject).toBe('Re: Your refund [#42]');
    expect(email.date?.toISOString()).toBe('2026-12-01T02:15:02.000Z');
    expect(email.text).toContain('Thanks, that worked!');
    expect(email.html).toContain('data-email-part="quote"');
    expect(email.automated).toMatchObject({ autoReply: false, bounce: null, list: false, ownLoop: false });
    expect(email.size).toBe(samples.gmailReply.length);
    expect(email.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps an Outlook reply without thread headers, its inline image by Content-ID, and sniffs an .exe sent as a PDF named .png', async () => {
    const email = accepted(await parseInboundEmail(samples.outlookReplyWithoutThreadHeaders));
    expect(email.inReplyTo).toEqual([]);
    expect(email.references).toEqual([]);
    expect(email.subject).toBe('RE: Invoice question [#77]');
    const [inline, file] = email.attachments;
    expect(inline).toMatchObject({ fileName: 'image001.png', contentType: 'image/png', contentId: 'image001.png@01DB43A1.5C2E3F00', inline: true });
    expect(file).toMatchObject({ fileName: 'invoice.png', declaredType: 'application/pdf', contentType: 'application/x-msdownload', inline: false, size: 512 });
    expect(email.html).toContain('data-cid="image001.png@01DB43A1.5C2E3F00"');
    expect(email.html).not.toMatch(/<style|MsoNormal|class=/);
  });

  it('decodes Apple Mail Chinese (UTF-8 encoded words and base64 body)', async () => {
    const email = accepted(await parseInboundEmail(samples.appleMailChineseReply));
    expect(email.from).toEqual({ address: 'lilei@icloud.com', name: '李雷' });
    expect(email.subject).toBe('回复：发票问题');
    expect(email.text).toContain('好的，收到了，谢谢！');
    expect(email.references).toHaveLength(2);
  });

  it('decodes GBK mail labelled gb2312 with characters only GBK has', async () => {
    const email = accepted(await parseInboundEmail(samples.gbkMail));
    expect(email.from?.name).toBe('张三');
    expect(email.subject).toBe('订单未发货');
    expect(email.text.trim()).toBe(samples.gbkMailText);
  });

  it('decodes raw 8-bit GBK in the subject and an attachment file name', async () => {
    const email = accepted(await parseInboundEmail(samples.rawGbkHeadersMail));
    expect(email.subject).toBe('订单未发货');
    expect(email.text.trim()).toBe(samples.gbkMailText);
    expect(email.attachments.map((attachment) => attachment.fileName)).toEqual(['报价单.txt']);
    expect(new TextDecoder('gbk').decode(email.attachments[0]!.content)).toBe('报价：一百元');
  });

  it('decodes Big5 Traditional Chinese and GB18030 four-byte characters', async () => {
    const big5 = accepted(await parseInboundEmail(samples.big5Mail));
    expect(big5.from?.name).toBe('陳美玲');
    expect(big5.subject).toBe('退貨申請');
    expect(big5.text.trim()).toBe(samples.big5MailText);
    const gb18030 = accepted(await parseInboundEmail(samples.gb18030Mail));
    expect(gb18030.text.trim()).toBe('生僻字：𠀀 与 €');
  });

  it('sanitises hostile HTML: nothing executable, remote images withheld', async () => {
    const email = accepted(await parseInboundEmail(samples.maliciousHtmlMail));
    const html = email.html!;
    expect(html).not.toMatch(/<script|<iframe|<object|<embed|<form|<input|<button|<svg|<math|<style|<meta|<base/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/javascript|expression\(|url\(|position/i);
    expect(html).not.toContain('someone-elses');
    expect(html).not.toMatch(/\ssrc=/);
    expect(html).toContain('data-remote-src="https://evil.example/pixel.gif?u=victim"');
    expect(html).toContain('href="https://example.com/ok"');
    expect(email.remoteImages).toBe(1);
  });

  it('classifies a DSN bounce and names the failed recipient and the bounced message', async () => {
    const email = accepted(await parseInboundEmail(samples.dsnBounce));
    expect(email.automated.autoReply).toBe(true);
    expect(email.automated.bounce).toEqual({
      failedRecipients: ['nobody@example.org'],
      permanent: true,
      status: '5.1.1',
      originalMessageId: '11111111-2222-4333-8444-555555555555.abcdefghijklmnop@support.example.com',
    });
    // The report parts are read, not kept as attachments.
    expect(email.attachments).toEqual([]);
  });

  it('parses broken MIME as far as it goes and keeps the text the parser could not place', async () => {
    const email = accepted(await parseInboundEmail(samples.brokenMime));
    expect(email.from?.address).toBe('broken@example.com');
    expect(email.text).toContain('text in a part nobody opened');
  });

  it('refuses what is not a message, with a reason, instead of throwing', async () => {
    for (const raw of [Buffer.alloc(0), Buffer.from('\x00\x01\x02 binary'), samples.pngBytes, Buffer.from('no header here\r\n\r\nbody')]) {
      const result = await parseInboundEmail(raw);
      expect(result).toEqual({ ok: false, refusal: { code: 'not_a_message', message: expect.any(String) } });
    }
  });

  it('refuses a message larger than the limit', async () => {
    const result = await parseInboundEmail(samples.gmailReply, { limits: { maxMessageBytes: 1000 } });
    expect(result).toMatchObject({ ok: false, refusal: { code: 'message_too_large' } });
    if (!result.ok) expect(result.refusal.message).toMatch(/the 1000 bytes allowed/);
  });

  it('refuses 1,000 attachments before parsing them, and accepts a few', async () => {
    const result = await parseInboundEmail(samples.manyAttachments(1000));
    expect(result).toMatchObject({ ok: false, refusal: { code: 'too_many_attachments' } });
    const few = accepted(await parseInboundEmail(samples.manyAttachments(3)));
    expect(few.attachments.map((attachment) => attachment.fileName)).toEqual(['f0.txt', 'f1.txt', 'f2.txt']);
  });

  it('refuses an attachment over the per-attachment limit, the whole message with it', async () => {
    const result = await parseInboundEmail(samples.attachmentsMail, { limits: { maxAttachmentBytes: 100 } });
    expect(result).toMatchObject({ ok: false, refusal: { code: 'attachment_too_large' } });
  });

  it('refuses a zip-bomb-like nesting of multiparts, and accepts normal nesting', async () => {
    expect(await parseInboundEmail(samples.nestedMultipartBomb(5000))).toMatchObject({ ok: false, refusal: { code: 'mime_too_deep' } });
    const shallow = accepted(await parseInboundEmail(samples.nestedMultipartBomb(5)));
    expect(shallow.text.trim()).toBe('innermost');
  });

  it('cuts the display copy of a huge HTML body and says so', async () => {
    const html = '<p>段落 paragraph</p>'.repeat(2000);
    const raw = Buffer.from(`From: a@example.com\r\nMessage-ID: <huge@example.com>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`);
    const email = accepted(await parseInboundEmail(raw, { limits: { maxHtmlChars: 1000 } }));
    expect(email.htmlTruncated).toBe(true);
    // The cut may leave a tag open; the sanitiser closes it.
    expect(email.html!.length).toBeLessThan(1100);
    expect(email.html).toMatch(/^<p>段落 paragraph<\/p>/);
    expect(accepted(await parseInboundEmail(raw)).htmlTruncated).toBe(false);
  });

  it('never uses the client file name as given: path parts are dropped', async () => {
    const email = accepted(await parseInboundEmail(samples.attachmentsMail));
    expect(email.attachments.map((attachment) => [attachment.fileName, attachment.contentType])).toEqual([
      ['photo.png', 'image/png'],
      ['cat.png', 'application/x-msdownload'],
    ]);
  });

  it('marks our own mail come back, by Message-ID or X-Loop', async () => {
    const own = accepted(await parseInboundEmail(samples.gmailReply, { isOwnMessageId: (id) => id.endsWith('@mail.gmail.com') }));
    expect(own.automated.ownLoop).toBe(true);
    const looped = Buffer.concat([Buffer.from('X-Loop: support@support.example.com\r\n'), samples.gmailReply]);
    const loop = accepted(await parseInboundEmail(looped, { ownLoopTags: ['support@support.example.com'] }));
    expect(loop.automated).toMatchObject({ ownLoop: true, autoReply: true });
  });
});

describe('parseInboundEmail on damaged input', () => {
  // A small deterministic generator: the same damage on every run.
  function random(seed: number) {
    let state = seed >>> 0;
    return (below: number) => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % below;
    };
  }

  it('answers every truncated or corrupted sample with a message or a refusal, never a throw', async () => {
    const next = random(17);
    const sources = [
      samples.gmailReply,
      samples.outlookReplyWithoutThreadHeaders,
      samples.gbkMail,
      samples.big5Mail,
      samples.dsnBounce,
      samples.maliciousHtmlMail,
      samples.rawGbkHeadersMail,
    ];
    let outcomes = 0;
    for (const source of sources) {
      for (let round = 0; round < 25; round += 1) {
        const damaged = Buffer.from(source.subarray(0, 1 + next(source.length)));
        for (let flips = next(20); flips > 0; flips -= 1) damaged[next(damaged.length)] = next(256);
        const result = await parseInboundEmail(damaged);
        expect(typeof result.ok).toBe('boolean');
        outcomes += 1;
      }
    }
    expect(outcomes).toBe(sources.length * 25);
  });
});
