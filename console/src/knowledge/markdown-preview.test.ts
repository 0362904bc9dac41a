import { describe, expect, it } from 'vitest';
import { renderPreview } from './markdown-preview';

/**
 * Every tag the renderer writes, with its attribute names. markdown-it writes each attribute as
 * name="value" with `"` inside a value escaped, so anything outside the quotes is a name.
 */
function tagsOf(html: string): { name: string; attributes: string[] }[] {
  return [...html.matchAll(/<\/?([a-zA-Z][\w-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)].map((match) => ({
    name: match[1]!.toLowerCase(),
    attributes: [...match[2]!.matchAll(/\s+([^\s=>]+)(?:="[^"]*")?/g)].map((attribute) => attribute[1]!.toLowerCase()),
  }));
}

const allowedTags = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'em',
  's',
  'a',
  'ul',
  'ol',
  'li',
  'code',
  'pre',
  'blockquote',
  'hr',
  'br',
  'img',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);
const allowedAttributes = new Set(['href', 'rel', 'target', 'src', 'alt', 'title', 'class', 'start', 'style']);

const attacks = [
  '<script>window.hacked = 1</script>',
  '<img src=x onerror="window.hacked = 1">',
  '<iframe src="https://evil.example"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<javascript:alert(1)>',
  '![x](javascript:alert(1))',
  '[x](https://example.com" onmouseover="alert(1))',
  '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
  '<svg onload=alert(1)>',
  '<style>body { display: none }</style>',
  '``` onload=alert(1)\ncode\n```',
  '| a | b |\n|:-|-:|\n| <b onclick=x>1</b> | 2 |',
];

describe('renderPreview', () => {
  it('renders Markdown as the help center does', () => {
    expect(renderPreview('# 标题\n\n**加粗** and *italic*\n\n- one\n- two')).toBe(
      '<h1>标题</h1>\n<p><strong>加粗</strong> and <em>italic</em></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n',
    );
  });

  it('shows raw HTML as text instead of running it', () => {
    const html = renderPreview('Hello <script>window.hacked = 1</script> <img src=x onerror=alert(1)>');
    expect(html).toContain('&lt;script&gt;window.hacked = 1&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<script|<img/i);
  });

  it('leaves javascript:, vbscript: and data: links unlinked', () => {
    for (const source of [
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click](&#106;avascript:alert(1))',
      '[c](vbscript:x)',
      '[c](data:text/html,x)',
    ]) {
      expect(renderPreview(source), source).not.toContain('<a');
    }
  });

  it('writes only harmless tags and attributes, whatever the article says', () => {
    for (const source of attacks) {
      const html = renderPreview(source);
      // Text `<` is escaped, so every `<` left must open a tag the parser above understood.
      expect(tagsOf(html).length, source).toBe(html.split('<').length - 1);
      for (const tag of tagsOf(html)) {
        expect(allowedTags.has(tag.name), `${source} → <${tag.name}>`).toBe(true);
        for (const attribute of tag.attributes) expect(allowedAttributes.has(attribute), `${source} → ${attribute}`).toBe(true);
      }
      expect(html, source).not.toMatch(/href="\s*(javascript|vbscript|data:text)/i);
    }
  });

  it('keeps quotes inside attributes escaped, so a link cannot add an event handler', () => {
    const html = renderPreview('[x](https://example.com" onmouseover="alert(1))');
    expect(html).not.toMatch(/<a[^>]*\sonmouseover=/i);
  });

  it('marks outgoing links noopener and opens them in a new tab; relative links stay in place', () => {
    expect(renderPreview('[docs](https://example.com/a)')).toBe(
      '<p><a href="https://example.com/a" rel="noopener noreferrer nofollow" target="_blank">docs</a></p>\n',
    );
    expect(renderPreview('[other](/help/en/refund-status)')).toBe('<p><a href="/help/en/refund-status" rel="noopener noreferrer nofollow">other</a></p>\n');
  });
});
