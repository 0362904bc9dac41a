// Chinese text, shared by knowledge search (search/text.ts), the local AI's tokenizer
// (ai/tokenize.ts) and text searches: the jieba segmenter, and the two scripts converted.
// Customers in Hong Kong and Taiwan write 我的卡還沒收到 to articles written as 我的卡还没收到; without
// folding, their words and characters never meet (Chinese eval questions in Traditional script:
// top-1 94 → 83 %). OpenCC's Taiwan table also maps Taiwan's own words (軟體 → 软件).
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { Converter as TraditionalToSimplified } from 'opencc-js/t2cn';
import { Converter as SimplifiedToTraditional } from 'opencc-js/cn2t';

let jieba: Jieba | undefined;
/** Loading the dictionary takes a few hundred milliseconds: once per process, on first use. */
export function chineseSegmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

let toSimplified: ((text: string) => string) | undefined;
let toTraditional: ((text: string) => string) | undefined;
const hanCharacter = /\p{Script=Han}/u;

/** The text with Traditional Chinese written in Simplified (text without Han characters as it is). */
export function simplifiedChinese(text: string): string {
  if (!hanCharacter.test(text)) return text;
  const convert = (toSimplified ??= TraditionalToSimplified({ from: 'twp', to: 'cn' }));
  return convert(text);
}

/** The text with Simplified Chinese written in Traditional (Taiwan), for matching stored text as typed. */
export function traditionalChinese(text: string): string {
  if (!hanCharacter.test(text)) return text;
  const convert = (toTraditional ??= SimplifiedToTraditional({ from: 'cn', to: 'twp' }));
  return convert(text);
}

/** The text in both Chinese scripts (one entry when it has none to convert): to find it in text stored as typed. */
export function inBothChineseScripts(text: string): string[] {
  return [...new Set([text, simplifiedChinese(text), traditionalChinese(text)])];
}
