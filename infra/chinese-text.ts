// Chinese text, shared by knowledge search (search/text.ts) and the local AI's tokenizer
// (ai/tokenize.ts): the jieba segmenter, and Traditional characters folded to Simplified.
// Customers in Hong Kong and Taiwan write 我的卡還沒收到 to articles written as 我的卡还没收到; without
// folding, their words and characters never meet (Chinese eval questions in Traditional script:
// top-1 94 → 83 %). OpenCC's Taiwan table also maps Taiwan's own words (軟體 → 软件).
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { Converter } from 'opencc-js/t2cn';

let jieba: Jieba | undefined;
/** Loading the dictionary takes a few hundred milliseconds: once per process, on first use. */
export function chineseSegmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

let traditionalToSimplified: ((text: string) => string) | undefined;
const hanCharacter = /\p{Script=Han}/u;

/** The text with Traditional Chinese written in Simplified (text without Han characters as it is). */
export function simplifiedChinese(text: string): string {
  if (!hanCharacter.test(text)) return text;
  const convert = (traditionalToSimplified ??= Converter({ from: 'twp', to: 'cn' }));
  return convert(text);
}
