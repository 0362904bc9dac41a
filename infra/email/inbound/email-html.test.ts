import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml, stripQuotedHtml } from './email-html.js';

describe('sanitizeEmailHtml', () => {
  it.each([
    ['<script>alert(1)</script><p>x</p>', /script|alert/],
    ['<img src=x onerror=alert(1)>', /onerror|alert/],
    ['<a href="javascript:alert(1)">x</a>', /javascript/],
    ['<a href="jav&#x09;ascript:alert(1)">x</a>', /ascript/],
    ['<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', /data:/],
    ['<iframe src="https://evil.example"></iframe>', /iframe|evil/],
    ['<object data="x"></object><embed src="y">', /object|embed/],
    ['<form action="https://evil.example"><input name=p></form>', /form|input|evil/],
    ['<p style="background:url(https://evil.example/x)">x</p>', /url|evil/],
    ['<p style="width:expression(alert(1))">x</p>', /expression/],
    ['<svg onload=alert(1)><circle/></svg>', /svg|onload/],
    ['<style>@import "https://evil.example/x.css";</style>', /import|evil/],
    ['<base href="https://evil.example/"><meta http-equiv=refresh content="0;url=https://evil.example">', /base|meta|evil/],
    ['<div onclick="steal()" onmouseover="steal()">x</div>', /onclick|onmouseover|steal/],
    ['<img src="data:image/svg+xml;base64,PHN2Zz4=">', /svg/],
    ['<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>', /javascript|math/],
  ])('removes what can run or leak: %s', (html, forbidden) => {
    expect(sanitizeEmailHtml(html).html).not.toMatch(forbidden);
  });

  it('keeps ordinary formatting, safe links opening in a new tab, and inline styles without url()', () => {
    const { html } = sanitizeEmailHtml(
      '<table><tr><td style="color:#333;font-weight:bold;position:absolute">你好 <a href="https://example.com/a?b=1">link</a></td></tr></table>',
    );
    expect(html).toBe(
      '<table><tr><td style="color:#333;font-weight:bold">你好 <a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer nofollow">link</a></td></tr></table>',
    );
  });

  it('withholds remote images as data-remote-src and counts them', () => {
    const result = sanitizeEmailHtml('<img src="https://cdn.example.com/logo.png" alt="logo"><img src="http://t.example/p.gif">');
    expect(result.html).toBe('<img alt="logo" data-remote-src="https://cdn.example.com/logo.png" /><img data-remote-src="http://t.example/p.gif" />');
    expect(result.remoteImages).toBe(2);
  });

  it('maps cid: images to attachment ids, or keeps the Content-ID until the ids are known', () => {
    const html = '<img src="cid:logo@x"><img src="cid:other@x">';
    const unbound = sanitizeEmailHtml(html);
    expect(unbound.html).toBe('<img data-cid="logo@x" /><img data-cid="other@x" />');
    expect(unbound.unresolvedCids).toEqual(['logo@x', 'other@x']);
    const bound = sanitizeEmailHtml(unbound.html, { inlineImages: new Map([['logo@x', 'att_1']]) });
    expect(bound.html).toBe('<img data-attachment-id="att_1" /><img data-cid="other@x" />');
    expect(bound.unresolvedCids).toEqual(['other@x']);
  });

  it('drops attachment ids and data attributes the sender wrote', () => {
    const { html } = sanitizeEmailHtml('<img data-attachment-id="victims-file" data-remote-src="javascript:alert(1)"><p data-foo="1">x</p>');
    expect(html).toBe('<img /><p>x</p>');
  });

  it('keeps raster data: images, which load nothing', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(sanitizeEmailHtml(`<img src="${png}">`).html).toBe(`<img src="${png}" />`);
  });

  it('is stable: sanitising its own output again changes nothing', () => {
    const once = sanitizeEmailHtml('<div class="gmail_quote"><img src="https://x.example/a.png"><a href="https://x.example">x</a></div>').html;
    expect(sanitizeEmailHtml(once).html).toBe(once);
  });

  it('keeps the text of absurdly deep markup', () => {
    const deep = '<div>'.repeat(5000) + 'deep text' + '</div>'.repeat(5000);
    expect(sanitizeEmailHtml(deep).html).toContain('deep text');
  });
});

describe('stripQuotedHtml', () => {
  it('removes Gmail’s quote and signature containers', () => {
    const { html } = sanitizeEmailHtml(
      '<div>Thanks!</div><div class="gmail_signature">Ann</div><div class="gmail_quote"><div class="gmail_attr">On Mon … wrote:</div><blockquote class="gmail_quote">old</blockquote></div>',
    );
    expect(stripQuotedHtml(html)).toBe('<div>Thanks!</div>');
  });

  it('removes Apple Mail’s blockquote type=cite, in Chinese too', () => {
    const { html } = sanitizeEmailHtml('<div>好的，谢谢</div><blockquote type="cite"><div>2026年12月1日 10:00，客服 写道：</div><div>原文</div></blockquote>');
    expect(stripQuotedHtml(html)).toBe('<div>好的，谢谢</div>');
  });

  it('removes everything from Outlook’s reply header to the end, keeping the enclosing reply', () => {
    const { html } = sanitizeEmailHtml(
      '<div class="WordSection1"><p>New text</p><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> A</div><div><p>old</p></div></div>',
    );
    expect(stripQuotedHtml(html)).toBe('<div><p>New text</p></div>');
  });

  it('removes an Outlook desktop header block without ids and a Chinese “原始邮件” separator', () => {
    const outlook = sanitizeEmailHtml(
      '<div><p>Reply</p><div style="border-top:solid #E1E1E1 1.0pt"><p><b>From:</b> A<br><b>Sent:</b> Monday</p></div><p>old text</p></div>',
    ).html;
    expect(stripQuotedHtml(outlook)).toBe('<div><p>Reply</p></div>');
    const qq = sanitizeEmailHtml('<div>收到</div><div>------------------&nbsp;原始邮件&nbsp;------------------</div><div>发件人: 客服</div>').html;
    expect(stripQuotedHtml(qq)).toBe('<div>收到</div>');
  });

  it('returns null when there is no history to hide', () => {
    expect(stripQuotedHtml(sanitizeEmailHtml('<p>Just a question</p>').html)).toBeNull();
  });
});
