// The AI layer's contract. Two implementations: an OpenAI-compatible model (openai-ai.ts) and
// the local fallback (local-fallback.ts). Activities depend on this interface only, and record
// each call's usage (tokens, latency) that every result carries.
import type { ActionTool } from '../../domain/bot-actions.js';
import type { Classification } from '../../domain/classification.js';
import type { AuthorKind, RoutingTier } from '../../domain/vocabulary.js';
import type { CalibrationModel } from './confidence.js';
import type { Embedder } from './embeddings.js';
import type { KnowledgeArticle } from './lexical-retrieval.js';

export type { KnowledgeArticle };

export type AiProvider = 'openai' | 'local';
/** `tool`: the model chose among the bot's HTTP actions (function calling). */
export type AiOperation = 'classify' | 'answer' | 'rerank' | 'verify' | 'embed' | 'summarize' | 'draft' | 'tool';

/** What one call cost. Local calls have no tokens. */
export interface AiUsage {
  provider: AiProvider;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  /** From the price table (infra/ai/prices.ts); null: the model has no price there. Local calls cost 0. */
  cost?: number | null;
}

export type WithUsage<T> = T & { usage: AiUsage };

export interface AiClassification extends Classification {
  /** How hard the question is: self-service (the knowledge base can answer), junior or expert.
   * `tier` stays the human tier routing uses when the bot hands off. */
  complexity?: RoutingTier;
  /** The knowledge article the message is most likely about, when retrieval is confident. */
  article?: { id: string; confidence: number };
}

export type RefusalReason =
  | 'empty_question'
  | 'no_articles'
  | 'low_confidence'
  | 'not_in_articles'
  | 'invalid_citation'
  | 'ambiguous'
  /** The streamed answer broke off before it ended: nothing of it is kept. */
  | 'interrupted'
  /** The verification call did not find that the answer follows from its passages. */
  | 'not_verified';

/**
 * How the answer was decided, where the implementation knows (the local fallback): the threshold
 * it held the confidence to, whether that came from this knowledge base's own calibration, and
 * the best articles retrieved with their scores (domain/explanation.ts, the bot's explanation).
 */
export interface AnswerDecision {
  threshold?: number;
  calibrated?: boolean;
  ranking?: { articleId: string; score: number }[];
}

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
  /** Stream the answer (the model path): called with each new piece of its text, in order, while it
   * is written. What it was given is only a preview: the result decides (a refusal may follow). */
  onDelta?: (text: string) => void | Promise<void>;
  /** A streamed answer's confidence, which the caller established (the reranker's score): the model gives none when it streams. Default 0. */
  confidence?: number;
}

/** A piece of an article the model path reranks, answers from and checks against. */
export interface Passage {
  /** Short and unique among the passages of one call (p1, p2, …): the model cites it. */
  id: string;
  articleId: string;
  title: string;
  locale: string;
  text: string;
}

/** The reranker's order of the passages (best first, those it left out dropped), or `malformed`:
 * its reply was unusable and the caller keeps the lexical order. */
export type RerankResult = { ranked: { id: string; score: number }[] } | { malformed: true };

/** One message of a conversation as the AI sees it (private notes excluded by the caller). */
export interface TranscriptMessage {
  authorKind: AuthorKind;
  body: string;
}

/**
 * What the model made of a conversation with the bot's actions as tools: call one (its arguments
 * as the model gave them, still to be checked), ask the customer for an input of one, or none.
 */
export type ActionChoice =
  { kind: 'call'; tool: string; arguments: unknown } | { kind: 'ask'; tool: string; input: string; question: string } | { kind: 'none' };

export interface AiApi {
  readonly provider: AiProvider;
  /** The model path: an answer is verified (`verify`) unless the reranker scored its best passage above this (AI_VERIFY_BELOW; 1: always). */
  readonly verifyBelow?: number;
  /** The model path with AI_EMBEDDING_MODEL: the endpoint's /embeddings, for dense retrieval fused with the lexical one (embeddings.ts). */
  readonly embeddings?: Embedder;
  /** Language, sentiment, topic intent and routing tier of a customer message. */
  classify(text: string, customer?: { vip: boolean }): Promise<WithUsage<AiClassification>>;
  /** An answer drawn only from these articles, citing them; a refusal when they do not hold it
   * or the confidence is below the threshold. */
  answer(question: string, articles: readonly KnowledgeArticle[], options?: AnswerOptions): Promise<WithUsage<AnswerResult & AnswerDecision>>;
  /** A short hand-off summary, so the customer never has to repeat themselves. */
  summarize(transcript: readonly TranscriptMessage[]): Promise<WithUsage<{ summary: string }>>;
  /** A reply the agent can edit and send, grounded in the articles when they help. */
  draftReply(transcript: readonly TranscriptMessage[], articles: readonly KnowledgeArticle[]): Promise<WithUsage<{ draft: string; citations: string[] }>>;
  /** The model path only: the passages ranked by how well they answer the question, each scored 0-1. */
  rerank?(question: string, passages: readonly Passage[]): Promise<WithUsage<RerankResult>>;
  /** The model path only: whether the answer follows from the passages (an unusable reply: false). */
  verify?(question: string, answer: string, passages: readonly Passage[]): Promise<WithUsage<{ supported: boolean }>>;
  /** The model path only: which action (tool) the conversation calls for, or the input to ask for (function calling). */
  chooseAction?(transcript: readonly TranscriptMessage[], tools: readonly ActionTool[]): Promise<WithUsage<ActionChoice>>;
  /**
   * The model path only: the answer to the customer from an action's result (the picked fields only,
   * sent back as the tool's result); null when the model gave none.
   */
  actionReply?(
    transcript: readonly TranscriptMessage[],
    call: { tool: ActionTool; values: Readonly<Record<string, string>> },
    result: Readonly<Record<string, string>>,
  ): Promise<WithUsage<{ answer: string | null }>>;
}
