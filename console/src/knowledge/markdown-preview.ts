// The article preview renders with the help center's own renderer (contract/markdown.ts), so what
// the admin sees is what customers get, and its safety (raw HTML escaped, javascript: and similar
// links refused) is the one tested there. Its output is the only HTML the console puts into a
// page (MarkdownPreview.vue); the console's CSP (no inline script) backs it up.
export { renderMarkdown as renderPreview } from '../../../contract/markdown';
