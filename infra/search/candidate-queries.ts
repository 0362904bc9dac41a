// The tsqueries the PostgreSQL backend finds its ranking candidates with (pure: no I/O; the SQL
// and the reasons are in postgres-search.ts). Words come from segment(): letters and digits only.

/** "All but one" is spelled out as one conjunction per left-out word: n of them, n - 1 words each. */
export const maxAllButOneWords = 8;

// Quotes and backslashes are dropped all the same, so a word can never break out of its quotes.
const quoted = (word: string) => `'${word.replace(/['\\]/g, '')}'`;

/** `'a' | 'b'`: any query word may match (questions are phrased freely); ranking prefers more. */
export function anyWordQuery(words: readonly string[]): string {
  return words.map(quoted).join(' | ');
}

/** `'a' & 'b'`: every word. */
export function allWordsQuery(words: readonly string[]): string {
  return words.map(quoted).join(' & ');
}

/**
 * `('b' & 'c') | ('a' & 'c') | ('a' & 'b')`: every word but one — what a question with one typo,
 * or one word the article does not use, still finds. Null for fewer than 3 words (that is "any
 * word") and for more than maxAllButOneWords (the query grows with the square of the count, and
 * long questions are carried by their rare words).
 */
export function allButOneQuery(words: readonly string[]): string | null {
  if (words.length < 3 || words.length > maxAllButOneWords) return null;
  return words.map((_, left) => `(${allWordsQuery(words.filter((__, at) => at !== left))})`).join(' | ');
}
