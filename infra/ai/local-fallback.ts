// The AI API the product calls when no OpenAI-compatible endpoint is configured: classification
// by rules and a small lexicon, answers by lexical retrieval with a calibrated confidence. The
// OpenAI path implements the same `AiApi` interface, so activities depend on the interface only.
// Honest by design: below the confidence threshold it refuses instead of guessing.
import { classifyMessage, detectLanguage, type Classification, type Sentiment } from '../../domain/classification.js';
import { confidenceFeatures, confidenceOf, type CalibrationModel } from './confidence.js';
import { createLexicalRetriever, type KnowledgeArticle, type LexicalRetriever } from './lexical-retrieval.js';

export interface AiClassification extends Classification {
  /** The knowledge article the message is most likely about, when retrieval is confident. */
  article?: { id: string; confidence: number };
}

export type AnswerResult =
  | { answer: string; citations: string[]; confidence: number }
  | { refused: true; reason: 'empty_question' | 'no_articles' | 'low_confidence'; confidence: number };

/** What the product needs from an AI backend (local fallback or an OpenAI-compatible model). */
export interface AiApi {
  /** Language, sentiment, topic intent and routing tier of a customer message. */
  classify(text: string, customer?: { vip: boolean }): Promise<AiClassification>;
  /** The best article's most relevant passage with its citation, or a refusal. */
  answer(question: string, articles: readonly KnowledgeArticle[]): Promise<AnswerResult>;
}

export interface LocalFallbackOptions {
  /** Articles `classify` matches messages against (optional; `answer` takes its own). */
  articles?: readonly KnowledgeArticle[];
  /** A fitted calibration (see eval/README.md); without one a conservative heuristic is used. */
  calibration?: CalibrationModel;
  /** Answer only at or above this confidence; default: the calibration's 95 % threshold, else 0.6. */
  threshold?: number;
}

// A deliberately small lexicon: the rules in domain/classification.ts plus common words. A
// negation just before an English word ("not happy") flips it.
const negativeLexicon = [
  'angry', 'terrible', 'awful', 'worst', 'unacceptable', 'furious', 'scam', 'lawyer', 'complain', 'ridiculous', 'disappointed',
  'frustrated', 'annoyed', 'useless', 'horrible', 'upset', 'bad', 'hate', 'stolen', 'fraud', 'still waiting', 'wrong',
  '生气', '糟糕', '投诉', '骗', '太差', '垃圾', '失望', '愤怒', '烦', '差劲', '离谱', '不满', '气死', '坑',
];
const positiveLexicon = [
  'thanks', 'thank you', 'great', 'love', 'perfect', 'awesome', 'excellent', 'helpful', 'happy', 'appreciate', 'good', 'amazing',
  '谢谢', '感谢', '太好了', '满意', '很好', '不错', '棒', '开心', '给力',
];
const negations = /\b(?:not|never|no|isn't|wasn't|don't|didn't)\s+(?:very\s+|so\s+|really\s+)?$/;

export function sentimentOf(text: string): Sentiment {
  const lower = text.toLowerCase();
  let score = 0;
  const count = (words: readonly string[], sign: number) => {
    for (const word of words) {
      const isHan = /\p{Script=Han}/u.test(word);
      const pattern = isHan ? new RegExp(word, 'gu') : new RegExp(`\\b${word}\\b`, 'g');
      for (const match of lower.matchAll(pattern)) {
        const before = lower.slice(0, match.index);
        const negated = isHan ? /(?:不|没|没有)$/u.test(before) : negations.test(before);
        score += negated ? -sign : sign;
      }
    }
  };
  count(negativeLexicon, -1);
  count(positiveLexicon, 1);
  return score < 0 ? 'negative' : score > 0 ? 'positive' : 'neutral';
}

const localeOf = (language: Classification['language']) => (language === 'zh-CN' ? 'zh-CN' : 'en');

/** Builds the local fallback. Retrieval indexes are built once per articles array. */
export function createLocalFallback(options: LocalFallbackOptions = {}): AiApi {
  const { calibration } = options;
  const threshold = options.threshold ?? calibration?.thresholds['0.95'] ?? 0.6;
  const retrievers = new WeakMap<readonly KnowledgeArticle[], LexicalRetriever>();
  const retrieverFor = (articles: readonly KnowledgeArticle[]) => {
    let retriever = retrievers.get(articles);
    if (!retriever) retrievers.set(articles, (retriever = createLexicalRetriever(articles)));
    return retriever;
  };

  function best(question: string, articles: readonly KnowledgeArticle[]) {
    const retriever = retrieverFor(articles);
    const wanted = localeOf(detectLanguage(question));
    // Prefer the question's language; a knowledge base in one language still gets searched.
    const locale = retriever.locales().includes(wanted) ? wanted : retriever.locales()[0];
    if (!locale) return undefined;
    const hits = retriever.retrieve(question, { locale, limit: 3 });
    const features = confidenceFeatures(hits);
    // Uncalibrated fallback: the top cosine, discounted by what the article does not cover.
    const confidence = calibration ? confidenceOf(calibration, features) : (hits[0]?.score ?? 0) * (hits[0]?.coverage ?? 0);
    return { hit: hits[0], confidence };
  }

  return {
    async classify(text, customer = { vip: false }) {
      const rules = classifyMessage(text, customer);
      const result: AiClassification = { ...rules, sentiment: sentimentOf(text) };
      if (options.articles?.length) {
        const found = best(text, options.articles);
        if (found?.hit && found.confidence >= threshold) result.article = { id: found.hit.articleId, confidence: found.confidence };
      }
      return result;
    },
    async answer(question, articles) {
      if (!/[\p{L}\p{N}]/u.test(question)) return { refused: true, reason: 'empty_question', confidence: 0 };
      if (articles.length === 0) return { refused: true, reason: 'no_articles', confidence: 0 };
      const found = best(question, articles);
      if (!found?.hit || found.confidence < threshold) return { refused: true, reason: 'low_confidence', confidence: found?.confidence ?? 0 };
      return { answer: found.hit.passage, citations: [found.hit.articleId], confidence: found.confidence };
    },
  };
}
