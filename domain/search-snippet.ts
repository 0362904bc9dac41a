// The snippet a search result shows (issue 21): a stretch of the matched text around its first
// match, with every match in it as ranges. The server sends ranges, never markup: the console
// wraps them in <mark> itself, so no text a customer wrote is ever read as HTML.

/** A match inside a snippet's text: UTF-16 offsets, `end` exclusive (what String.slice takes). */
export interface SnippetRange {
  start: number;
  end: number;
}

export interface Snippet {
  text: string;
  highlights: SnippetRange[];
}

/** Characters a snippet shows at most (its ellipses aside). */
export const snippetLength = 140;
/** Characters of context shown before the first match, at most, when the text is longer than a snippet. */
const leadLength = 40;
const ellipsis = '…';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The snippet of `text` around the first case-insensitive occurrence of any of `variants` (the
 * query as typed and in the other Chinese script), whitespace runs shown as one space; null when
 * none occurs. Chinese has no spaces between words: a variant matches anywhere, as a substring.
 */
export function searchSnippet(text: string, variants: readonly string[], length = snippetLength): Snippet | null {
  const words = [...new Set(variants.map((variant) => variant.replace(/\s+/g, ' ').trim()).filter(Boolean))];
  if (words.length === 0) return null;
  const flat = text.replace(/\s+/g, ' ').trim();
  // The longest first, so that an alternation prefers 被盜用 over 被盜 at the same place.
  const pattern = new RegExp(
    words
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'giu',
  );
  const matches = [...flat.matchAll(pattern)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  const first = matches[0];
  if (!first) return null;
  // Context before the match, never so much that the match falls out of the window.
  const lead = Math.max(0, Math.min(leadLength, Math.floor((length - (first.end - first.start)) / 2)));
  let start = flat.length <= length ? 0 : Math.max(0, Math.min(first.start - lead, flat.length - length));
  if (start > 0 && isLowSurrogate(flat.charCodeAt(start))) start -= 1;
  let end = Math.min(flat.length, start + Math.max(length, first.end - first.start));
  if (end < flat.length && isLowSurrogate(flat.charCodeAt(end))) end += 1;
  const before = start > 0 ? ellipsis : '';
  const after = end < flat.length ? ellipsis : '';
  const highlights = matches
    .filter((match) => match.start >= start && match.end <= end)
    .map((match) => ({ start: match.start - start + before.length, end: match.end - start + before.length }));
  return { text: before + flat.slice(start, end) + after, highlights };
}

/** The snippet cut into plain and matched parts, in order: what the console renders (matched parts in <mark>). */
export function snippetParts(snippet: Snippet): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const range of [...snippet.highlights].sort((a, b) => a.start - b.start)) {
    if (range.start < at || range.end > snippet.text.length || range.end <= range.start) continue;
    if (range.start > at) parts.push({ text: snippet.text.slice(at, range.start), match: false });
    parts.push({ text: snippet.text.slice(range.start, range.end), match: true });
    at = range.end;
  }
  if (at < snippet.text.length) parts.push({ text: snippet.text.slice(at), match: false });
  return parts;
}
