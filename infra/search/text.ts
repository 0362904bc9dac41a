// Text segmentation shared by indexing and querying: Chinese (Han) runs, Traditional folded to
// Simplified, are cut into words by jieba; other letters and digits form words on their own;
// everything is lowercased, punctuation dropped and a short stopword list removed. The PostgreSQL
// index and the query must be cut by the same function, or their words would not meet.
import { chineseSegmenter as segmenter, simplifiedChinese } from '../chinese-text.js';

const englishStopwords = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its me my no not of on or our ' +
    'so than that the their them then there these they this to too was we were what when where which who why will with would you your'
  ).split(' '),
);
const chineseStopwords = new Set(
  '的 了 是 我 你 您 他 她 它 在 吗 呢 吧 啊 呀 和 与 及 也 都 就 还 又 很 请 把 被 让 给 这 那 这个 那个 一个 我的 你的 您的 我们 你们 怎么 怎么办 怎样 如何 什么 为什么 哪里 可以 能 会 要 想 有 没有'.split(
    ' ',
  ),
);

/** Every stopword (English and Chinese), for an engine that drops them itself (Meilisearch). */
export const stopwords: readonly string[] = [...englishStopwords, ...chineseStopwords];

export function isStopword(word: string): boolean {
  return englishStopwords.has(word) || chineseStopwords.has(word);
}

// A run of Han characters, or a word of other letters and digits (an inner apostrophe, as in
// "hasn't", stays part of the word and is then dropped).
const wordPattern = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+(?:['’](?:(?!\p{Script=Han})[\p{L}\p{N}])+)*)/gu;
const hanWord = /\p{Script=Han}/u;

/** The words of a text, in order, lowercased, without punctuation or stopwords (duplicates kept). */
export function segment(text: string): string[] {
  const words: string[] = [];
  for (const match of simplifiedChinese(text.normalize('NFKC').toLowerCase()).matchAll(wordPattern)) {
    if (match[1]) {
      // Search mode also yields the shorter words inside long ones (身份验证 → 身份, 验证, 身份验证),
      // so a query phrased differently still meets the indexed text.
      for (const word of segmenter().cutForSearch(match[1], true)) {
        if (hanWord.test(word) && !isStopword(word)) words.push(word);
      }
    } else if (match[2]) {
      const word = match[2].replace(/['’]/g, '');
      // Single Latin letters ("t" of "don't", list markers) carry no meaning; digits do.
      if ((word.length > 1 || /\d/.test(word)) && !isStopword(word)) words.push(word);
    }
  }
  return words;
}

/** The distinct words of a query, in order of first appearance. */
export function queryWords(query: string): string[] {
  return [...new Set(segment(query))];
}

/**
 * The `searchText` column: the title's words, a newline, then the body's words and the example
 * questions' words. The newline lets the ranking weigh title words above the rest
 * (`split_part(searchText, E'\n', 1)`); to the full-text index it is whitespace like any other.
 * The questions share the body's weight: the stored vector knows only these two lines, and on the
 * title's line their words would also count as title matches (the title index, its ranking tier).
 */
export function searchTextOf(title: string, body: string, questions: readonly string[] = []): string {
  return `${segment(title).join(' ')}\n${[body, ...questions].flatMap((text) => segment(text)).join(' ')}`;
}
