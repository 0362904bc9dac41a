// Tokenization for the local AI fallback. English: lowercased words, contractions expanded
// ("can't" → "can not", so negation survives), a light suffix stemmer, stopwords dropped.
// Chinese: jieba in search mode (long words also yield their parts) plus Han character bigrams,
// so a query segmented differently from the article still meets it.
// Retrieval adds its own features on top (word bigrams, character n-grams): see lexical-retrieval.ts.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | undefined;
/** Loading the dictionary takes a few hundred milliseconds: once per process, on first use. */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

// Deliberately short: negations ("not", "no", "can") and question words that change the intent
// ("why", "how", "when") are kept; BM25/IDF already discounts words that are everywhere.
const englishStopwords = new Set(
  'a an and are as at be been but by did do does for from had has have i in into is it its me my of on or our so that the their them then there these they this to was we were will with would you your am im'.split(
    ' ',
  ),
);
const chineseStopwords = new Set('的 了 是 我 你 您 他 她 它 在 吗 呢 吧 啊 呀 和 与 及 也 都 就 还 又 很 请 把 被 让 给 这 那 这个 那个 一个 我的 你的 您的 我们 你们'.split(' '));

const contractions: [RegExp, string][] = [
  [/\bcan['’]t\b/g, 'can not'],
  [/\bwon['’]t\b/g, 'will not'],
  [/n['’]t\b/g, ' not'],
  [/['’](?:s|re|ve|ll|d|m)\b/g, ''],
];

/**
 * A small suffix stemmer (in the spirit of Porter step 1): plurals, -ed, -ing, -ly, a final
 * "e" and "y" → "i", so charge / charged / charges / charging meet as "charg" and
 * verify / verified / verifying as "verifi". Words of four letters or fewer stay as they are.
 */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  for (const suffix of ['ingly', 'edly', 'ing', 'ed', 'ly']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3 && /[aeiouy]/.test(w.slice(0, -suffix.length))) {
      w = w.slice(0, -suffix.length);
      // topping → top, but keep "ll", "ss", "zz" (billed → bill).
      if (/([^aeiouslz])\1$/.test(w)) w = w.slice(0, -1);
      break;
    }
  }
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('y')) w = `${w.slice(0, -1)}i`;
  return w;
}

const wordPattern = /(\p{Script=Han}+)|([\p{L}\p{N}]+)/gu;

export interface Tokens {
  /** Normalised words (stemmed English, jieba Chinese), stopwords removed, in order. */
  words: string[];
  /** Han character bigrams (empty for English). */
  hanBigrams: string[];
  /** Word sequence with stopwords kept, for word bigrams ("not working" vs "working"). */
  sequence: string[];
}

/** Tokenizes English, Chinese or mixed text (each run of Han characters goes to jieba). */
export function tokenize(text: string): Tokens {
  let normal = text.normalize('NFKC').toLowerCase();
  for (const [pattern, replacement] of contractions) normal = normal.replace(pattern, replacement);
  const words: string[] = [];
  const hanBigrams: string[] = [];
  const sequence: string[] = [];
  for (const match of normal.matchAll(wordPattern)) {
    if (match[1]) {
      const run = match[1];
      for (const word of segmenter().cutForSearch(run, true)) {
        if (!chineseStopwords.has(word)) words.push(word);
      }
      for (const word of segmenter().cut(run, true)) sequence.push(word);
      for (let i = 0; i + 1 < run.length; i++) hanBigrams.push(run.slice(i, i + 2));
    } else if (match[2]) {
      const raw = match[2];
      const word = stem(raw);
      sequence.push(word);
      if ((raw.length > 1 || /\d/.test(raw)) && !englishStopwords.has(raw)) words.push(word);
    }
  }
  return { words, hanBigrams, sequence };
}

/** Just the words (the common case for callers that need no n-grams). */
export function words(text: string): string[] {
  return tokenize(text).words;
}
