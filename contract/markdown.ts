// Knowledge-article Markdown to HTML, safe to put in a page as is. Article bodies are written by
// admins, but a stolen admin session or a pasted snippet must not become script on a public page,
// so the safety lives here, in one configured renderer, not in each caller. The help center
// (api/routes/help-center/pages.ts) and the console's article preview both render with it, so
// what the admin previews is what customers get; it is pure (markdown-it only), so it runs in both.
import MarkdownIt, { type RendererRule } from 'markdown-it';

const markdown = new MarkdownIt('default', {
  // Raw HTML (<script>, <img onerror=…>, <a href="javascript:…">) is escaped and shown as text:
  // escaping everything is simpler to trust than an allow-list sanitiser.
  html: false,
  // Bare http(s):// and mailto: URLs become links (linkify-it 6 leaves fuzzy "www.x.com" alone);
  // they pass through the same validateLink and link_open rule as written links.
  linkify: true,
  // Typographer rewrites quotes and dashes, which would change commands and codes in articles.
  typographer: false,
});
// md.validateLink is deliberately left as markdown-it's default: it refuses javascript:,
// vbscript:, file: and data: URLs other than data:image/(gif|png|jpeg|webp), after decoding
// entities and ignoring case. A refused link stays as plain text.

const absoluteHttp = /^https?:\/\//i;
const renderToken: RendererRule = (tokens, idx, options, _env, renderer) => renderer.renderToken(tokens, idx, options);
const defaultLinkOpen = markdown.renderer.rules.link_open ?? renderToken;

markdown.renderer.rules.link_open = (tokens, idx, options, env, renderer) => {
  const token = tokens[idx];
  if (token) {
    // nofollow: article links are not endorsements; noopener/noreferrer: a linked page gets no
    // handle on this window and no Referer with the help-center URL.
    token.attrSet('rel', 'noopener noreferrer nofollow');
    // Only links that leave the site open in a new tab; relative links (other articles) stay put.
    if (absoluteHttp.test(String(token.attrGet('href') ?? ''))) token.attrSet('target', '_blank');
  }
  return defaultLinkOpen(tokens, idx, options, env, renderer);
};

/** An article body (Markdown) as HTML: raw HTML shown as text, unsafe links left unlinked. */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
