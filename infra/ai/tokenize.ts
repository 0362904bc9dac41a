// Tokenization for the local AI fallback. English: lowercased words, contractions expanded
// ("can't" → "can not", so negation survives), a light suffix stemmer, stopwords dropped.
// Chinese: Traditional characters folded to Simplified, spelling variants, a few synonyms and
// "V不了" normalised first; then jieba in search mode (long words also yield their parts) plus Han
// characters, character bigrams and pairs of nearby characters, so a query segmented or worded
// differently from the article (丢 / 丢失 / 弄丢, 卡丢了 / 银行卡丢失) still meets it. For a Chinese
// index, English words mixed into the text ("top up 失败") are mapped to the Chinese term.
// Retrieval adds its own features on top (word bigrams, character n-grams): see lexical-retrieval.ts.
import { chineseSegmenter as segmenter, simplifiedChinese } from '../chinese-text.js';

// Deliberately short: negations ("not", "no", "can") and question words that change the intent
// ("why", "how", "when") are kept; BM25/IDF already discounts words that are everywhere.
const englishStopwords = new Set(
  'a an and are as at be been but by did do does for from had has have i in into is it its me my of on or our so that the their them then there these they this to was we were will with would you your am im'.split(
    ' ',
  ),
);
const chineseStopwords = new Set(
  '的 了 是 我 你 您 他 她 它 在 吗 呢 吧 啊 呀 和 与 及 也 都 就 还 又 很 请 把 被 让 给 这 那 这个 那个 一个 我的 你的 您的 我们 你们'.split(' '),
);

// Spelling variants and the commonest input-method slips (homophones) of everyday Chinese: 帐/账
// (账户 is the standard form), 登陆 for 登录, 冲值 for 充值, and colloquial 啥/咋. Applied to
// articles and queries alike, before segmentation.
const chineseVariants: [RegExp, string][] = [
  [/帐(?=[户号单])|(?<=[转到入对记查])帐/g, '账'],
  [/登陆/g, '登录'],
  [/冲值/g, '充值'],
  [/为啥/g, '为什么'],
  [/咋办/g, '怎么办'],
  [/咋/g, '怎么'],
  [/啥/g, '什么'],
];

// Everyday words for a banking action that share no character with the standard term (so Han
// character features cannot meet them): rewritten to the standard term, articles and queries alike.
const chineseSynonyms: [RegExp, string][] = [
  [/入金|充钱/g, '充值'],
  [/退钱/g, '退款'],
  [/提现/g, '取现'],
  [/打钱|转钱/g, '转账'],
  [/销户/g, '注销账户'],
  [/刷脸/g, '人脸识别'],
];

// The potential complement "V不了 / V不出来 / V不进去" is how Chinese says "cannot V" (取不了钱,
// 刷不了, 充不进去); articles write 无法V. Like "can't" → "can not" in English. Only the unambiguous
// complements: 不了解 is "not know", and 不到 / 不上 / 不出 also start ordinary phrases (不到一周, 不上班).
const chinesePotentialNegation: [RegExp, string] = [/(\p{Script=Han})不(?:了(?!解)|出来|进去)/gu, '无法$1'];

// English words that Chinese customers mix into their messages ("top up 失败", "PIN 被锁"),
// mapped to the standard Chinese banking term so they meet Chinese articles. Used only when the
// text is tokenized for a Chinese index; in English nothing changes.
const codeSwitchGlossary: [RegExp, string][] = [
  [/\btop[\s-]*ups?\b/g, '充值'],
  [/\bexchange rates?\b/g, '汇率'],
  [/\bvirtual cards?\b/g, '虚拟卡'],
  [/\b(?:pin|passcode|password)s?\b/g, '密码'],
  [/\brefund(?:s|ed)?\b/g, '退款'],
  [/\btransfer(?:s|red)?\b/g, '转账'],
  [/\bcards?\b/g, '卡'],
  [/\baccounts?\b/g, '账户'],
  [/\bfees?\b/g, '手续费'],
  [/\bcharg(?:e|es|ed)\b/g, '收费'],
  [/\bpending\b/g, '处理中'],
  [/\bcash\b/g, '现金'],
  [/\bwithdraw(?:al|als|n)?\b/g, '取款'],
  [/\bdeclined?\b/g, '拒绝'],
  [/\bfail(?:s|ed|ure)?\b/g, '失败'],
  [/\bcancel(?:led)?\b/g, '取消'],
  [/\b(?:verify|verification|kyc)\b/g, '验证'],
  [/\bidentity\b/g, '身份'],
  [/\blost\b/g, '丢失'],
  [/\bstolen\b/g, '被盗'],
  [/\b(?:blocked|locked)\b/g, '锁定'],
  [/\bcontactless\b/g, '闪付'],
  [/\baddress\b/g, '地址'],
  [/\bemail\b/g, '邮箱'],
  [/\bphone\b/g, '手机'],
  [/\bpayments?\b/g, '付款'],
  [/\brecipient\b/g, '收款人'],
  [/\bforg[eo]t\b/g, '忘记'],
  [/\bchange\b/g, '修改'],
  [/\bclose\b/g, '关闭'],
  [/\bdelete\b/g, '删除'],
  [/\bexpir(?:e|es|ed|ing)\b/g, '到期'],
  [/\bbalance\b/g, '余额'],
  [/\blimits?\b/g, '限额'],
];

/** Function characters: particles, pronouns, measure words. Dropped from Han character features. */
const stopCharacters = new Set([...'的了吗呢吧啊呀哦嘛啦么我你您他她它们是在这那个就还也都又很把被让给和与及请之其而或着过得地']);

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

/** How far apart (in characters, stop characters removed) two Han characters still make a pair. */
export const hanPairSpan = 3;

// Han runs and other letter/digit runs are matched apart, so "ATM取款" or "PIN被锁" (no space,
// as Chinese is usually typed) still splits into "atm" + "取款".
const wordPattern = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;

export interface Tokens {
  /** Normalised words (stemmed English, jieba Chinese), stopwords removed, in order. */
  words: string[];
  /** Han character bigrams (empty for English). */
  hanBigrams: string[];
  /** Han characters, stop characters removed (empty for English). */
  hanChars: string[];
  /**
   * Pairs of those characters at most `hanPairSpan` apart within one run of Han text, order-free
   * ("卡…丢" = "丢…卡"): two concepts named together even when the words between them differ.
   */
  hanPairs: string[];
  /** Word sequence with stopwords kept, for word bigrams ("not working" vs "working"). */
  sequence: string[];
}

/** Tokenizes English, Chinese or mixed text (each run of Han characters goes to jieba). */
export function tokenize(text: string, options: { locale?: string } = {}): Tokens {
  let normal = simplifiedChinese(text.normalize('NFKC').toLowerCase());
  for (const [pattern, replacement] of contractions) normal = normal.replace(pattern, replacement);
  if (options.locale?.startsWith('zh')) for (const [pattern, replacement] of codeSwitchGlossary) normal = normal.replace(pattern, replacement);
  if (/\p{Script=Han}/u.test(normal)) {
    for (const [pattern, replacement] of [...chineseVariants, ...chineseSynonyms]) normal = normal.replace(pattern, replacement);
    normal = normal.replace(...chinesePotentialNegation);
  }
  const words: string[] = [];
  const hanBigrams: string[] = [];
  const hanChars: string[] = [];
  const hanPairs: string[] = [];
  const sequence: string[] = [];
  for (const match of normal.matchAll(wordPattern)) {
    if (match[1]) {
      const run = match[1];
      for (const word of segmenter().cutForSearch(run, true)) {
        if (!chineseStopwords.has(word)) words.push(word);
      }
      for (const word of segmenter().cut(run, true)) sequence.push(word);
      for (let i = 0; i + 1 < run.length; i++) hanBigrams.push(run.slice(i, i + 2));
      const chars = [...run].filter((char) => !stopCharacters.has(char));
      hanChars.push(...chars);
      for (let i = 0; i < chars.length; i++) {
        for (let j = i + 1; j <= Math.min(chars.length - 1, i + hanPairSpan); j++) {
          if (chars[i] !== chars[j]) hanPairs.push([chars[i], chars[j]].sort().join(''));
        }
      }
    } else if (match[2]) {
      const raw = match[2];
      const word = stem(raw);
      sequence.push(word);
      if ((raw.length > 1 || /\d/.test(raw)) && !englishStopwords.has(raw)) words.push(word);
    }
  }
  return { words, hanBigrams, hanChars, hanPairs, sequence };
}

/** Just the words (the common case for callers that need no n-grams). */
export function words(text: string): string[] {
  return tokenize(text).words;
}
