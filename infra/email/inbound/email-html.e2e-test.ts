// Sanitised email HTML rendered by a real browser (Debian's Chromium): whatever a sender wrote,
// nothing runs, nothing loads from the network, and the text (Chinese too) is still there. The
// console will show email bodies the same way; this proves the sanitiser, not the console.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/support/browser.js';
import { sanitizeEmailHtml, stripQuotedHtml } from './email-html.js';
import { maliciousHtmlMail } from '../../../test/support/mail-samples.js';
import { parseInboundEmail } from './parse-inbound.js';

/** Classic and mutation XSS vectors, and every way HTML can make a browser fetch something. */
const hostile = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<svg><style><img src=x onerror=alert(1)></style></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
  '<a href="&#106;avascript:alert(1)">a</a><a href="  javascript:alert(1)">b</a><a href="java\tscript:alert(1)">c</a>',
  '<img src=x:alert(alt) onerror=eval(src) alt=0>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<details open ontoggle=alert(1)>x</details>',
  '<textarea><script>alert(1)</script></textarea>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<title><img src=x onerror=alert(1)></title>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<img src="https://evil.example/track.png">',
  '<img srcset="https://evil.example/s.png 1x">',
  '<picture><source srcset="https://evil.example/p.png"><img alt="p"></picture>',
  '<table background="https://evil.example/bg.png"><tr><td background="https://evil.example/td.png">t</td></tr></table>',
  '<div style="background-image:url(https://evil.example/bg.png)">d</div>',
  '<div style="background:url(&quot;https://evil.example/q.png&quot;)">d</div>',
  '<link rel=stylesheet href=https://evil.example/x.css>',
  '<style>@import url(https://evil.example/i.css); body{background:url(https://evil.example/b.png)}</style>',
  '<video poster=https://evil.example/p.png src=https://evil.example/v.mp4></video><audio src=https://evil.example/a.mp3></audio>',
  '<input type=image src=https://evil.example/i.png>',
  '<body background="https://evil.example/b.png">b</body>',
  '<base href="https://evil.example/"><img src="relative.png">',
];

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

interface Rendered {
  page: Page;
  dialogs: string[];
  requests: string[];
}

async function render(html: string): Promise<Rendered> {
  const page = await browser.newPage();
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  // The page itself allows everything: only the sanitiser stands between the mail and the browser.
  await page.setContent(`<!doctype html><html><head><meta charset="utf-8"></head><body>${html}</body></html>`, { waitUntil: 'load' });
  return { page, dialogs, requests };
}

// Browser-side code as text: the server tsconfig has no DOM types (as in the console e2e tests).
const findProblems = `(() => {
  const problems = [];
  const banned = ['script', 'iframe', 'object', 'embed', 'form', 'input', 'link', 'style', 'base', 'meta', 'svg', 'math', 'video', 'audio', 'source'];
  for (const element of Array.from(document.querySelectorAll('*'))) {
    const tag = element.tagName.toLowerCase();
    if (banned.includes(tag) && element.closest('head') === null) problems.push(tag);
    for (const attribute of Array.from(element.attributes)) {
      if (attribute.name.startsWith('on')) problems.push(tag + '[' + attribute.name + ']');
      const dangerous = /^\\s*(javascript|vbscript|data):/i.test(attribute.value);
      const rasterImage = tag === 'img' && attribute.name === 'src' && /^data:image\\/(png|jpe?g|gif|webp|bmp);/i.test(attribute.value);
      if (dangerous && !rasterImage) problems.push(tag + '[' + attribute.name + '=' + attribute.value.slice(0, 30) + ']');
    }
  }
  return problems;
})()`;

const domProblems = (page: Page) => page.evaluate<string[]>(findProblems);
const bodyText = (page: Page) => page.evaluate<string>('document.body.innerText');

describe('sanitised email HTML in Chromium', () => {
  it('the harness sees what unsanitised HTML does (so the checks below can fail)', async () => {
    const { page, dialogs, requests } = await render(
      '<img src=x onerror=alert(1)><img src="https://evil.example/track.png"><a href="javascript:alert(2)">x</a>',
    );
    try {
      expect(dialogs).toEqual(['1']);
      expect(requests).toContain('https://evil.example/track.png');
      expect(await domProblems(page)).toEqual(expect.arrayContaining(['img[onerror]', 'a[href=javascript:alert(2)]']));
    } finally {
      await page.close();
    }
  });

  it.each(hostile)('runs nothing and loads nothing: %s', async (html) => {
    const { page, dialogs, requests } = await render(sanitizeEmailHtml(html).html);
    try {
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
      expect(await domProblems(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('renders the hostile sample mail and its quote-stripped view safely, text intact', async () => {
    const parsed = await parseInboundEmail(maliciousHtmlMail);
    if (!parsed.ok) throw new Error(parsed.refusal.message);
    for (const html of [parsed.email.html!, stripQuotedHtml(parsed.email.html!) ?? parsed.email.html!]) {
      const { page, dialogs, requests } = await render(html);
      try {
        expect(dialogs).toEqual([]);
        expect(requests).toEqual([]);
        expect(await domProblems(page)).toEqual([]);
        expect(await bodyText(page)).toContain('fine link');
      } finally {
        await page.close();
      }
    }
  });

  it('shows Chinese text and a withheld remote image that loads only when the console sets its src', async () => {
    const { html } = sanitizeEmailHtml('<p>您好，附件是发票。<img alt="logo" src="https://cdn.example.com/logo.png"></p>');
    const { page, requests } = await render(html);
    try {
      expect(await bodyText(page)).toContain('您好，附件是发票。');
      expect(requests).toEqual([]);
      // "Show images": the console copies data-remote-src into src.
      await page.evaluate("for (const image of document.querySelectorAll('img[data-remote-src]')) image.src = image.dataset.remoteSrc");
      await page.waitForFunction('Array.from(document.images).every((image) => image.complete)');
      expect(requests).toEqual(['https://cdn.example.com/logo.png']);
    } finally {
      await page.close();
    }
  });
});
