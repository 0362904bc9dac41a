// The AI API the product calls when no OpenAI-compatible endpoint is configured: classification
// by rules and a small lexicon, answers by lexical retrieval with a calibrated confidence. The
// OpenAI path implements the same `AiApi` interface, so activities depend on the interface only.
// Honest by design: below the confidence threshold it refuses instead of guessing.
import { classifyMessage, detectLanguage, negativeWords, positiveWords, type Classification, type Sentiment } from '../../domain/classification.js';
import type { AiApi, AiClassification, AiUsage, TranscriptMessage } from './ai-api.js';
import { answerSection, type AnswerSection } from './answer-section.js';
import { confidenceFeatures, confidenceOf, type CalibrationModel } from './confidence.js';
import { clarifyingSibling, createDecisiveTerms, type DecisiveTerms } from './decisive-terms.js';
import { createLexicalRetriever, type KnowledgeArticle, type LexicalRetriever, type RetrievalHit } from './lexical-retrieval.js';

export interface LocalFallbackOptions {
  /** Articles `classify` matches messages against (optional; `answer` takes its own). */
  articles?: readonly KnowledgeArticle[];
  /** Fitted calibrations per locale ('en', 'zh-CN'; see eval/README.md); without one a
   * conservative heuristic is used. */
  calibrations?: Partial<Record<string, CalibrationModel>>;
  /** Answer only at or above this confidence; default: the locale's calibrated 95 % precision
   * threshold, else 0.6. */
  threshold?: number;
  /** Check the decisive terms between the best article and its siblings (decisive-terms.ts); default true. */
  decisiveTerms?: boolean;
}

// A deliberately small lexicon: the rules' words (domain/classification.ts) plus common ones. A
// negation just before an English word ("not happy") flips it.
const negativeLexicon = [
  ...negativeWords,
  'ridiculous',
  'disappointed',
  'frustrated',
  'annoyed',
  'useless',
  'horrible',
  'upset',
  'bad',
  'hate',
  'stolen',
  'fraud',
  'still waiting',
  'wrong',
  // Chinese in both scripts (traditional where it differs), as the rules' words are.
  '失望',
  '愤怒',
  '憤怒',
  '烦',
  '煩',
  '差劲',
  '差勁',
  '离谱',
  '離譜',
  '不满',
  '不滿',
  '气死',
  '氣死',
  '坑',
];
const positiveLexicon = [
  ...positiveWords,
  'excellent',
  'helpful',
  'happy',
  'appreciate',
  'good',
  'amazing',
  '很好',
  '不错',
  '不錯',
  '棒',
  '开心',
  '開心',
  '给力',
  '給力',
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

const localModel = 'lexical-retrieval';
/** Runs a local computation and reports it the way a model call is reported. */
async function measured<T>(compute: () => T): Promise<T & { usage: AiUsage }> {
  const started = performance.now();
  const value = compute();
  const latencyMs = Math.round(performance.now() - started);
  return { ...value, usage: { provider: 'local', model: localModel, promptTokens: 0, completionTokens: 0, latencyMs, cost: 0 } };
}

/** What the bot says from a hit: the section of its article around the matched passage (answer-section.ts). */
function quoted(hit: RetrievalHit, articles: readonly KnowledgeArticle[]): AnswerSection {
  const article = articles.find((candidate) => candidate.id === hit.articleId);
  return article ? answerSection(article.body, hit.passage) : { text: hit.passage, partial: false };
}

/** The first sentence (or line) of a text, cut to a length. */
function firstSentence(text: string, maxLength = 200): string {
  const sentence = text.trim().split(/(?<=[.!?。！？])\s*|\n+/u)[0] ?? '';
  return sentence.length > maxLength ? `${sentence.slice(0, maxLength - 1)}…` : sentence;
}

/** Builds the local fallback. Retrieval indexes are built once per articles array. */
export function createLocalFallback(options: LocalFallbackOptions = {}): AiApi {
  const calibrationOf = (locale: string) => options.calibrations?.[locale];
  // By default the bot answers at the 99 % threshold: measured on a knowledge base it was not
  // fitted on, the 95 % one kept only 81-94 % of answers right (eval/README.md); an admin who has
  // measured their own may lower it in the self-service settings.
  const thresholdOf = (locale: string) => options.threshold ?? calibrationOf(locale)?.thresholds['0.99'] ?? 0.6;
  const retrievers = new WeakMap<readonly KnowledgeArticle[], LexicalRetriever>();
  const retrieverFor = (articles: readonly KnowledgeArticle[]) => {
    let retriever = retrievers.get(articles);
    if (!retriever) retrievers.set(articles, (retriever = createLexicalRetriever(articles)));
    return retriever;
  };

  const decisiveIndexes = new WeakMap<readonly KnowledgeArticle[], DecisiveTerms>();
  const decisiveFor = (articles: readonly KnowledgeArticle[]) => {
    let index = decisiveIndexes.get(articles);
    if (!index) decisiveIndexes.set(articles, (index = createDecisiveTerms(articles)));
    return index;
  };

  /** `own`: the knowledge base's own calibration, used (with its threshold) instead of the shipped one. */
  function best(question: string, articles: readonly KnowledgeArticle[], own?: CalibrationModel) {
    const retriever = retrieverFor(articles);
    const wanted = localeOf(detectLanguage(question));
    // Prefer the question's language; a knowledge base in one language still gets searched.
    const locale = retriever.locales().includes(wanted) ? wanted : retriever.locales()[0];
    if (!locale) return undefined;
    const hits = retriever.retrieve(question, { locale, limit: 3 });
    const calibration = own ?? calibrationOf(locale);
    // Uncalibrated fallback: the top cosine, discounted by what the article does not cover.
    const confidence = calibration ? confidenceOf(calibration, confidenceFeatures(hits)) : (hits[0]?.score ?? 0) * (hits[0]?.coverage ?? 0);
    const threshold = own ? (options.threshold ?? own.thresholds['0.99'] ?? 1) : thresholdOf(locale);
    // A close sibling the question points at by a term that separates it from the best article
    // ("unfreeze" / "freeze", 星付 / 星贷): the answer is not safe, the customer is asked which one.
    const sibling = options.decisiveTerms !== false ? clarifyingSibling(decisiveFor(articles), question, hits) : undefined;
    return { hit: hits[0], hits, confidence, threshold, sibling };
  }

  const lastCustomerMessage = (transcript: readonly TranscriptMessage[]) =>
    [...transcript].reverse().find((message) => message.authorKind === 'customer')?.body ?? '';

  return {
    provider: 'local',
    classify: (text, customer = { vip: false }) =>
      measured(() => {
        const rules = classifyMessage(text, customer);
        const result: AiClassification = { ...rules, sentiment: sentimentOf(text) };
        if (options.articles?.length) {
          const found = best(text, options.articles);
          if (found?.hit && !found.sibling && found.confidence >= found.threshold) result.article = { id: found.hit.articleId, confidence: found.confidence };
        }
        return result;
      }),
    answer: (question, articles, answerOptions = {}) =>
      measured(() => {
        if (!/[\p{L}\p{N}]/u.test(question)) return { refused: true as const, reason: 'empty_question' as const, confidence: 0 };
        if (articles.length === 0) return { refused: true as const, reason: 'no_articles' as const, confidence: 0 };
        const found = best(question, articles, answerOptions.calibration);
        const threshold = answerOptions.threshold ?? found?.threshold ?? 1;
        // How it decided, for the bot's explanation: scores rounded, the best three.
        const decision = {
          threshold,
          calibrated: answerOptions.threshold == null && answerOptions.calibration !== undefined,
          ranking: (found?.hits ?? []).map((hit) => ({ articleId: hit.articleId, score: Math.round(hit.score * 100) / 100 })),
        };
        if (!found?.hit || found.confidence < threshold)
          return { refused: true as const, reason: 'low_confidence' as const, confidence: found?.confidence ?? 0, ...decision };
        if (found.sibling)
          return {
            refused: true as const,
            reason: 'ambiguous' as const,
            confidence: found.confidence,
            choices: [found.hit.articleId, found.sibling.articleId],
            ...decision,
          };
        const { text, partial } = quoted(found.hit, articles);
        return { answer: text, citations: [found.hit.articleId], confidence: found.confidence, ...(partial ? { partial } : {}), ...decision };
      }),
    // Extractive: who the customer is talking about what, in their own first sentences.
    summarize: (transcript) =>
      measured(() => {
        const fromCustomer = transcript.filter((message) => message.authorKind === 'customer' && message.body.trim());
        const firstText = fromCustomer[0]?.body ?? '';
        const rules = classifyMessage(firstText, { vip: false });
        const chinese = rules.language === 'zh-CN';
        const asked = fromCustomer
          .slice(0, 3)
          .map((message) => firstSentence(message.body))
          .join(chinese ? ' / ' : ' / ');
        const botAnswers = transcript.filter((message) => message.authorKind === 'bot').length;
        const parts = chinese
          ? [
              `客户问题：${asked || '（无）'}`,
              `主题：${rules.intent}，情绪：${sentimentOf(firstText)}`,
              botAnswers ? `机器人已回答 ${botAnswers} 次，客户仍需人工协助。` : '',
            ]
          : [
              `Customer asks: ${asked || '(nothing yet)'}`,
              `Topic: ${rules.intent}, sentiment: ${sentimentOf(firstText)}.`,
              botAnswers ? `The bot answered ${botAnswers} time(s); the customer still wants a person.` : '',
            ];
        return { summary: parts.filter(Boolean).join('\n') };
      }),
    // The best article passage for the customer's last message, or a holding reply.
    draftReply: (transcript, articles) =>
      measured(() => {
        const question = lastCustomerMessage(transcript);
        const chinese = detectLanguage(question) === 'zh-CN';
        const found = articles.length && question ? best(question, articles) : undefined;
        if (found?.hit && !found.sibling && found.confidence >= found.threshold) {
          const draft = chinese ? `您好！${quoted(found.hit, articles).text}` : `Hi! ${quoted(found.hit, articles).text}`;
          return { draft, citations: [found.hit.articleId] };
        }
        const draft = chinese
          ? '您好！感谢您的耐心，我正在为您查看这个问题，稍后回复您。'
          : "Hi! Thanks for your patience — I'm looking into this and will get back to you shortly.";
        return { draft, citations: [] };
      }),
  };
}
