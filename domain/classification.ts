// Rule-based first classification of a customer's message: language, sentiment, intent and the
// routing tier. Simple on purpose: the AI layer (with a model or its local fallback) replaces
// it, and this stays as the deterministic floor every conversation gets.
import type { RoutingTier } from './vocabulary.js';

export type Sentiment = 'negative' | 'neutral' | 'positive';

export interface Classification {
  language: 'zh-CN' | 'en';
  sentiment: Sentiment;
  /** A topic key that matches agent skills (e.g. 'cards', 'transfers'), or 'general'. */
  intent: string;
  tier: Exclude<RoutingTier, 'self_service'>;
}

// Each topic's common words in English and in both Chinese scripts (simplified, then traditional
// where it differs): a Chinese customer must land on the same topic as an English one
// (classification.test.ts pairs the phrasings). English words match as whole words with their
// common endings ("charge" finds "charged", "fee" not "feel", "pin" not "shipping"); Chinese
// words match anywhere.
const intents: Record<string, readonly string[]> = {
  cards: [
    'card',
    'declined',
    'pin',
    'atm',
    'cash machine',
    'contactless',
    '卡',
    '银行卡',
    '銀行卡',
    '信用卡',
    '借记卡',
    '借記卡',
    '拒绝',
    '拒絕',
    '挂失',
    '掛失',
    '取款机',
    '提款机',
    '提款機',
    '吞卡',
    '闪付',
    '閃付',
    '感应支付',
    '感應支付',
    '非接触',
    '非接觸',
  ],
  transfers: [
    'transfer',
    'transferred',
    'iban',
    'swift',
    'wire',
    'payee',
    'beneficiary',
    'sent money',
    'send money',
    '转账',
    '轉賬',
    '轉帳',
    '汇款',
    '匯款',
    '到账',
    '到賬',
    '到帳',
    '转错',
    '轉錯',
    '转给',
    '轉給',
    '收款人',
    '转帐',
    '电汇',
    '電匯',
    '打钱',
    '打錢',
    '打款',
    '打错',
    '打錯',
    '汇错',
    '匯錯',
  ],
  billing: [
    'refund',
    'charge',
    'overcharge',
    'charging',
    'fee',
    'invoice',
    'bill',
    'payment',
    'paid',
    'debited',
    '退款',
    '退费',
    '退費',
    '退钱',
    '退錢',
    '扣款',
    '扣费',
    '扣費',
    '扣钱',
    '扣錢',
    '收费',
    '收費',
    '费用',
    '費用',
    '手续费',
    '手續費',
    '账单',
    '帳單',
    '賬單',
    '发票',
    '發票',
    '付款',
    '支付',
    '扣了',
    '被扣',
    '多扣',
    '多收',
    '乱扣',
    '亂扣',
    '年费',
    '年費',
    '月费',
    '月費',
    '服务费',
    '服務費',
  ],
  technical: [
    'error',
    'bug',
    'crash',
    'api',
    'login',
    'log in',
    'sign in',
    'locked out',
    'password',
    'verification code',
    'app',
    'website',
    '报错',
    '報錯',
    '错误',
    '錯誤',
    '闪退',
    '閃退',
    '登录',
    '登錄',
    '登入',
    '登陆',
    '登陸',
    '密码',
    '密碼',
    '账号',
    '帳號',
    '賬號',
    '验证码',
    '驗證碼',
    '无法',
    '無法',
    '网站',
    '網站',
    '应用',
    '應用',
    '网页',
    '網頁',
    '出错',
    '出錯',
    '崩溃',
    '崩潰',
    '登不上',
    '登不进',
    '登不進',
    '系统',
    '系統',
  ],
};

/** Topics that need an expert from the first message. */
const expertIntents = new Set(['technical']);

/** The words the rules read as a complaint or as thanks (the local model's lexicon starts from them). */
export const negativeWords = [
  'angry',
  'terrible',
  'awful',
  'worst',
  'unacceptable',
  'furious',
  'scam',
  'lawyer',
  'complain',
  '生气',
  '生氣',
  '糟糕',
  '投诉',
  '投訴',
  '骗',
  '騙',
  '太差',
  '垃圾',
];
export const positiveWords = ['thanks', 'thank you', 'great', 'love', 'perfect', 'awesome', '谢谢', '謝謝', '感谢', '感謝', '太好了', '满意', '滿意'];

const hanCharacters = /\p{Script=Han}/gu;

export function detectLanguage(text: string): Classification['language'] {
  const han = text.match(hanCharacters)?.length ?? 0;
  const letters = text.replace(/\s/g, '').length || 1;
  // Han characters carry a word each: a modest share already means Chinese text.
  return han / letters >= 0.2 ? 'zh-CN' : 'en';
}

const countMatches = (text: string, words: readonly string[]) => words.filter((word) => text.includes(word)).length;

const hanWord = /\p{Script=Han}/u;
const escaped = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const matcherOf = (word: string) => (hanWord.test(word) ? new RegExp(escaped(word), 'u') : new RegExp(`\\b${escaped(word)}(?:s|es|d|ed|ing)?\\b`));
/** A topic's words as one matcher each: Chinese anywhere, English as whole words. */
const intentMatchers = Object.entries(intents).map(([name, words]) => [name, words.map(matcherOf)] as const);

export function classifyMessage(text: string, customer: { vip: boolean }): Classification {
  const lower = text.toLowerCase();
  const negative = countMatches(lower, negativeWords);
  const positive = countMatches(lower, positiveWords);
  const sentiment: Sentiment = negative > positive ? 'negative' : positive > negative ? 'positive' : 'neutral';
  let intent = 'general';
  let best = 0;
  for (const [name, matchers] of intentMatchers) {
    const score = matchers.filter((matcher) => matcher.test(lower)).length;
    if (score > best) [intent, best] = [name, score];
  }
  const needsExpert = customer.vip || expertIntents.has(intent) || (sentiment === 'negative' && negative >= 2);
  return { language: detectLanguage(text), sentiment, intent, tier: needsExpert ? 'expert' : 'junior' };
}

/** The agent skill a topic needs; none for general questions. */
export const skillOf = (intent: string): string | null => (intent === 'general' ? null : intent);
