// Canned responses in the composer, the pure parts: when "/" at the start of the reply opens the
// list and with which query, which responses match it and in what order, how the chosen body
// goes into the text, and how the highlight moves. ReplyBox.vue only wires them to the DOM.

import type { CannedResponseView } from '../../../contract/views';

/** GET /api/canned-responses (contract/views.ts). */
export type CannedResponse = CannedResponseView;

/** A stretch of the reply text, as a textarea's selection gives it. */
export interface TextRange {
  start: number;
  end: number;
}

/**
 * The "/shortcut" the agent is typing at the very start of the reply: its range and the query
 * after the "/", or null when the reply does not start with "/" or the caret has left that word
 * (a space or a new line ends it, so a message that merely starts with "/" is left alone).
 */
export function slashQueryAt(text: string, caret: number): { query: string; range: TextRange } | null {
  const word = /^\/\S*/.exec(text)?.[0];
  if (word === undefined || caret < 1 || caret > word.length) return null;
  return { query: word.slice(1), range: { start: 0, end: word.length } };
}

/** How well a response matches: lower is better; null for no match. */
function rank(response: CannedResponse, query: string): number | null {
  if (!query) return 4;
  const shortcut = response.shortcut.toLowerCase();
  if (shortcut === query) return 0;
  if (shortcut.startsWith(query)) return 1;
  if (shortcut.includes(query)) return 2;
  if (response.title.toLowerCase().includes(query)) return 3;
  if (response.body.toLowerCase().includes(query)) return 4;
  return null;
}

/**
 * The responses matching the query, best first: the shortcut itself, then shortcuts starting
 * with it, containing it, then titles and bodies containing it (case-insensitive substrings, so
 * Chinese needs no word splitting); ties by shortcut, then the preferred locale first. A leading
 * "/" in the query is ignored, as the server does.
 */
export function matchCannedResponses(
  responses: readonly CannedResponse[],
  query: string,
  options: { preferredLocale?: string; limit?: number } = {},
): CannedResponse[] {
  const text = query.replace(/^\//, '').trim().toLowerCase();
  const localeRank = (response: CannedResponse) => (response.locale === options.preferredLocale ? 0 : 1);
  return responses
    .map((response) => ({ response, score: rank(response, text) }))
    .filter((entry): entry is { response: CannedResponse; score: number } => entry.score !== null)
    .sort(
      (a, b) =>
        a.score - b.score ||
        a.response.shortcut.localeCompare(b.response.shortcut) ||
        localeRank(a.response) - localeRank(b.response) ||
        a.response.locale.localeCompare(b.response.locale),
    )
    .slice(0, options.limit ?? 8)
    .map((entry) => entry.response);
}

/**
 * The text with `range` replaced by the response's body, and where the caret goes (just after
 * it). The "/shortcut" word is such a range; so is the selection when the list was opened by its
 * button. A space is put between the body and text that follows it directly.
 */
export function insertCannedResponse(text: string, range: TextRange, body: string): { text: string; caret: number } {
  const start = Math.max(0, Math.min(range.start, text.length));
  const end = Math.max(start, Math.min(range.end, text.length));
  const after = text.slice(end);
  const joiner = after && !/^\s/.test(after) ? ' ' : '';
  return { text: text.slice(0, start) + body + joiner + after, caret: start + body.length + joiner.length };
}

/** The highlighted option after an arrow key: wraps at both ends; -1 when there is none. */
export function moveHighlight(current: number, delta: number, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return delta > 0 ? 0 : count - 1;
  return (((current + delta) % count) + count) % count;
}
