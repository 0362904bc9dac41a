// The AI layer's contract. Two implementations: an OpenAI-compatible model (openai-ai.ts) and
// the local fallback (local-fallback.ts). Activities depend on this interface only, and record
// each call's usage (tokens, latency) that every result carries.
import type { Classification } from '../../domain/classification.js';
import type { AuthorKind, RoutingTier } from '../../domain/vocabulary.js';
import type { CalibrationModel } from './confidence.js';
import type { KnowledgeArticle } from './lexical-retrieval.js';

export type { KnowledgeArticle };

export type AiProvider = 'openai' | 'local';
export type AiOperation = 'classify' | 'answer' | 'summarize' | 'draft';

/** What one call cost. Local calls have no tokens. */
export interface AiUsage {
  provider: AiProvider;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
}

export type WithUsage<T> = T & { usage: AiUsage };

export interface AiClassification extends Classification {
  /** How hard the question is: self-service (the knowledge base can answer), junior or expert.
   * `tier` stays the human tier routing uses when the bot hands off. */
  complexity?: RoutingTier;
  /** The knowledge article the message is most likely about, when retrieval is confident. */
  article?: { id: string; confidence: number };
}

export type RefusalReason = 'empty_question' | 'no_articles' | 'low_confidence' | 'not_in_articles' | 'invalid_citation' | 'ambiguous';

export type AnswerResult =
  | {
      answer: string;
      citations: string[];
      confidence: number;
      /** The answer quotes part of a longer text: the cited article has more to read. */
      partial?: boolean;
    }
  | {
      refused: true;
      reason: RefusalReason;
      confidence: number;
      /** 'ambiguous': the articles the question may mean (the best one first); the bot asks which one. */
      choices?: string[];
    };

export interface AnswerOptions {
  /** Answer only at or above this confidence (an admin's choice); default: the implementation's own. */
  threshold?: number | null;
  /** The knowledge base's own calibration for the question's locale (the local fallback; infra/ai/calibration-store.ts), instead of the shipped one. */
  calibration?: CalibrationModel;
}

/** One message of a conversation as the AI sees it (private notes excluded by the caller). */
export interface TranscriptMessage {
  authorKind: AuthorKind;
  body: string;
}

export interface AiApi {
  readonly provider: AiProvider;
  /** Language, sentiment, topic intent and routing tier of a customer message. */
  classify(text: string, customer?: { vip: boolean }): Promise<WithUsage<AiClassification>>;
  /** An answer drawn only from these articles, citing them; a refusal when they do not hold it
   * or the confidence is below the threshold. */
  answer(question: string, articles: readonly KnowledgeArticle[], options?: AnswerOptions): Promise<WithUsage<AnswerResult>>;
  /** A short hand-off summary, so the customer never has to repeat themselves. */
  summarize(transcript: readonly TranscriptMessage[]): Promise<WithUsage<{ summary: string }>>;
  /** A reply the agent can edit and send, grounded in the articles when they help. */
  draftReply(transcript: readonly TranscriptMessage[], articles: readonly KnowledgeArticle[]): Promise<WithUsage<{ draft: string; citations: string[] }>>;
}
