// @mentions in private notes: the "@word" being typed, the colleagues it may mean, and which
// of the chosen colleagues the note still names when it is sent (an agent may delete one).
import type { TextRange } from './canned-responses';

export interface Colleague {
  id: string;
  name: string;
}

/** The "@word" that ends at the caret (after a space or at the start), or null. */
export function mentionQueryAt(text: string, caret: number): { query: string; range: TextRange } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@]*)$/u.exec(before);
  if (!match) return null;
  const start = caret - match[2]!.length - 1;
  return { query: match[2]!, range: { start, end: caret } };
}

/** Colleagues whose name (any word of it) or email starts with the query, best first; at most `limit`. */
export function matchColleagues<C extends Colleague & { email?: string }>(colleagues: readonly C[], query: string, limit = 6): C[] {
  const q = query.toLocaleLowerCase();
  const score = (colleague: C) => {
    const name = colleague.name.toLocaleLowerCase();
    if (name.startsWith(q)) return 0;
    if (name.split(/\s+/u).some((word) => word.startsWith(q))) return 1;
    if (colleague.email?.toLocaleLowerCase().startsWith(q)) return 2;
    if (name.includes(q)) return 3;
    return null;
  };
  return colleagues
    .map((colleague) => ({ colleague, rank: score(colleague) }))
    .filter((entry): entry is { colleague: C; rank: number } => entry.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.colleague.name.localeCompare(b.colleague.name))
    .slice(0, limit)
    .map((entry) => entry.colleague);
}

/** Replaces the "@word" with "@Name " and says where the caret goes. */
export function insertMention(text: string, range: TextRange, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  return { text: text.slice(0, range.start) + inserted + text.slice(range.end), caret: range.start + inserted.length };
}

/** The chosen colleagues the text still names ("@Name"), each once. */
export function mentionedIds(text: string, chosen: readonly Colleague[]): string[] {
  return [...new Set(chosen.filter((colleague) => text.includes(`@${colleague.name}`)).map((colleague) => colleague.id))];
}
