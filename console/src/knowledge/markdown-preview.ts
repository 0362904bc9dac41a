// The article preview: Markdown to HTML exactly as the help center renders it (infra/markdown.ts,
// which the console may not import), so what the admin sees is what customers get. Safety is in
// this one configured renderer: raw HTML in an article (<script>, <img onerror>, <iframe>) is
// escaped and shown as text, and markdown-it's validateLink refuses javascript:, vbscript:,
// file: and non-image data: links. Its output is the only HTML the console puts into a page
// (MarkdownPreview.vue); the console's CSP (no inline script) backs it up.
import MarkdownIt, { type RendererRule } from 'markdown-it';

const markdown = new MarkdownIt('default', {
  // Escape every tag: simpler to trust than an allow-list sanitiser.
  html: false,
  linkify: true,
  // Typographer rewrites quotes and dashes, which would change commands and codes in articles.
  typographer: false,
});

const absoluteHttp = /^https?:\/\//i;
const renderToken: RendererRule = (tokens, idx, options, _env, renderer) => renderer.renderToken(tokens, idx, options);
const defaultLinkOpen = markdown.renderer.rules.link_open ?? renderToken;

markdown.renderer.rules.link_open = (tokens, idx, options, env, renderer) => {
  const token = tokens[idx];
  if (token) {
    token.attrSet('rel', 'noopener noreferrer nofollow');
    // Links that leave the site open in a new tab: the editor (and its unsaved text) stays put.
    if (absoluteHttp.test(String(token.attrGet('href') ?? ''))) token.attrSet('target', '_blank');
  }
  return defaultLinkOpen(tokens, idx, options, env, renderer);
};

/** An article body as HTML that is safe to put into the page. */
export function renderPreview(source: string): string {
  return markdown.render(source);
}
