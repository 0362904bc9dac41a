import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

/** Every real tag in the output (text `<` is escaped to `&lt;`, so these are all markup). */
const tagsOf = (html: string) => html.match(/<[^>]*>/g) ?? [];
/** Name and value of every attribute of every tag; markdown-it always double-quotes values. */
const attributesOf = (html: string) =>
  tagsOf(html).flatMap((tag) => [...tag.matchAll(/\s([^\s=>]+)="([^"]*)"/g)].map(([, name, value]) => ({ name: name!, value: value! })));

/** Output that a browser cannot turn into script: no script tag, no handler, no script URL. */
function expectInert(html: string) {
  expect(html).not.toMatch(/<script/i);
  for (const { name, value } of attributesOf(html)) {
    expect(['href', 'src', 'alt', 'title', 'rel', 'target', 'start', 'class']).toContain(name);
    if (name === 'href' || name === 'src') expect(value).not.toMatch(/^\s*(javascript|vbscript|file|data:text):?/i);
  }
}

describe('renderMarkdown', () => {
  it('renders headings, lists, emphasis and code', () => {
    const html = renderMarkdown(
      '# Freeze a card\n\n## Steps\n\n- Open **Cards**\n- Tap *Freeze*\n\n1. one\n2. two\n\nRun `pin --reset`:\n\n```\nif (a < b) echo "<b>"\n```\n',
    );
    expect(html).toContain('<h1>Freeze a card</h1>');
    expect(html).toContain('<h2>Steps</h2>');
    expect(html).toContain('<ul>\n<li>Open <strong>Cards</strong></li>\n<li>Tap <em>Freeze</em></li>\n</ul>');
    expect(html).toContain('<ol>\n<li>one</li>\n<li>two</li>\n</ol>');
    expect(html).toContain('<code>pin --reset</code>');
    // Code blocks keep their text, escaped.
    expect(html).toContain('<pre><code>if (a &lt; b) echo &quot;&lt;b&gt;&quot;\n</code></pre>');
  });

  it('keeps quotes and dashes as typed (no typographer)', () => {
    expect(renderMarkdown('"quoted" -- (c)')).toBe('<p>&quot;quoted&quot; -- (c)</p>\n');
  });

  it('opens absolute http(s) links in a new tab with rel noopener noreferrer nofollow', () => {
    expect(renderMarkdown('[Status](https://status.example.com)')).toBe(
      '<p><a href="https://status.example.com" rel="noopener noreferrer nofollow" target="_blank">Status</a></p>\n',
    );
    expect(renderMarkdown('[Old](HTTP://example.com)')).toContain('target="_blank"');
  });

  it('keeps relative and mailto links in the same tab, still with rel', () => {
    expect(renderMarkdown('[PIN](/help/en/change-pin)')).toBe('<p><a href="/help/en/change-pin" rel="noopener noreferrer nofollow">PIN</a></p>\n');
    const mail = renderMarkdown('[Write us](mailto:help@example.com)');
    expect(mail).toContain('rel="noopener noreferrer nofollow"');
    expect(mail).not.toContain('target=');
  });

  it('links bare URLs (linkify) with the same rel and target', () => {
    expect(renderMarkdown('See https://example.com/status now')).toBe(
      '<p>See <a href="https://example.com/status" rel="noopener noreferrer nofollow" target="_blank">https://example.com/status</a> now</p>\n',
    );
  });

  it('allows image data URLs only', () => {
    const html = renderMarkdown('![dot](data:image/png;base64,iVBORw0KGgo=)');
    expect(html).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">');
    expectInert(html);
  });

  it('keeps Chinese text intact', () => {
    expect(renderMarkdown('## 冻结卡片\n\n点击 **卡片 → 冻结**，卡片会立即停止支付。「好」')).toBe(
      '<h2>冻结卡片</h2>\n<p>点击 <strong>卡片 → 冻结</strong>，卡片会立即停止支付。「好」</p>\n',
    );
  });

  describe('renders injection attempts inert', () => {
    it('shows a <script> element as text', () => {
      const html = renderMarkdown('<script>alert(1)</script>');
      expect(html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
      expectInert(html);
    });

    it('shows an <img onerror> as text', () => {
      const html = renderMarkdown('Look: <img src=x onerror=alert(1)>');
      expect(html).toBe('<p>Look: &lt;img src=x onerror=alert(1)&gt;</p>\n');
      expect(tagsOf(html)).toEqual(['<p>', '</p>']);
    });

    it('shows a raw <a href="javascript:…"> as text', () => {
      const html = renderMarkdown('<a href="javascript:alert(1)">click</a>');
      expect(html).toBe('<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;</p>\n');
      expect(html).not.toContain('<a');
    });

    it.each([
      ['javascript:', '[x](javascript:alert(1))'],
      ['JAVASCRIPT: in capitals', '[x](JAVASCRIPT:alert(1))'],
      ['javascript: spelled with an entity', '[x](&#106;avascript:alert(1))'],
      ['javascript: in angle brackets', '[x](<javascript:alert(1)>)'],
      ['a javascript: reference definition', '[x]: javascript:alert(1)\n\n[x]'],
      ['data:text/html', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
      ['vbscript:', '[x](vbscript:msgbox(1))'],
      ['file:', '[x](file:///etc/passwd)'],
      ['a javascript: image', '![x](javascript:alert(1))'],
    ])('leaves a %s link unlinked', (_name, source) => {
      const html = renderMarkdown(source);
      expect(html).not.toMatch(/<a |<img /);
      expectInert(html);
    });

    it.each([
      ['a link title', '[x](https://example.com "t\\" onmouseover=\\"alert(1)")'],
      ['an image alt text', '![a" onmouseover="alert(1)](https://example.com/i.png)'],
      ['a link destination', '[x](https://example.com/"onmouseover="alert(1))'],
      ['an autolink', '<https://example.com/" onmouseover="alert(1)>'],
      ['a bare URL', 'https://example.com/"onmouseover="alert(1)'],
    ])('keeps an onmouseover smuggled in %s inside a quoted value or text', (_name, source) => {
      const html = renderMarkdown(source);
      expect(attributesOf(html).map((attribute) => attribute.name)).not.toContain('onmouseover');
      expectInert(html);
    });
  });
});
