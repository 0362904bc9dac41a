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

const intents: Record<string, readonly string[]> = {
  cards: ['card', 'declined', 'pin', 'atm', '卡', '拒绝', '密码'],
  transfers: ['transfer', 'iban', 'swift', 'wire', '转账', '汇款', '到账'],
  billing: ['refund', 'charge', 'fee', 'invoice', 'bill', 'payment', '退款', '扣费', '费用', '账单', '付款'],
  technical: ['error', 'bug', 'crash', 'api', 'login', 'password reset', 'app', '报错', '错误', '闪退', '登录', '无法'],
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
  '糟糕',
  '投诉',
  '骗',
  '太差',
  '垃圾',
];
export const positiveWords = ['thanks', 'thank you', 'great', 'love', 'perfect', 'awesome', '谢谢', '感谢', '太好了', '满意'];

const hanCharacters = /\p{Script=Han}/gu;

export function detectLanguage(text: string): Classification['language'] {
  const han = text.match(hanCharacters)?.length ?? 0;
  const letters = text.replace(/\s/g, '').length || 1;
  // Han characters carry a word each: a modest share already means Chinese text.
  return han / letters >= 0.2 ? 'zh-CN' : 'en';
}

const countMatches = (text: string, words: readonly string[]) => words.filter((word) => text.includes(word)).length;

export function classifyMessage(text: string, customer: { vip: boolean }): Classification {
  const lower = text.toLowerCase();
  const negative = countMatches(lower, negativeWords);
  const positive = countMatches(lower, positiveWords);
  const sentiment: Sentiment = negative > positive ? 'negative' : positive > negative ? 'positive' : 'neutral';
  let intent = 'general';
  let best = 0;
  for (const [name, words] of Object.entries(intents)) {
    const score = countMatches(lower, words);
    if (score > best) [intent, best] = [name, score];
  }
  const needsExpert = customer.vip || expertIntents.has(intent) || (sentiment === 'negative' && negative >= 2);
  return { language: detectLanguage(text), sentiment, intent, tier: needsExpert ? 'expert' : 'junior' };
}

/** The agent skill a topic needs; none for general questions. */
export const skillOf = (intent: string): string | null => (intent === 'general' ? null : intent);
