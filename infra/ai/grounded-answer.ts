// The model path's answer to a customer, grounded in passages: the lexical search's best articles
// are cut into passages, the model reranks them (one call), answers from the best few only (streamed
// to the caller when it needs no verification), and a second short call checks that the answer
// follows from the passages it cites. Each call is made through `call`, which records it (operation rerank, answer,
// verify). Anything that does not check out is a refusal, which hands the customer to a person
// exactly as a low-confidence local answer does.
import type { AiApi, AiOperation, AiUsage, AnswerDecision, AnswerResult, KnowledgeArticle, Passage } from './ai-api.js';

/** Passages the answer call reads. */
export const answerPassages = 3;
/** A passage is at most about this long: paragraphs are packed into passages up to it. */
const passageCharacters = 900;
/** The reranker reads at most this many passages (the search gives five articles). */
const rerankPassages = 20;

export interface GroundedAnswerOptions {
  /** The reranker's score the best passage needs (the admin's threshold, else the model path's). */
  threshold: number;
  /** Makes one AI call and records it. */
  call: <T extends { usage: AiUsage }>(operation: Extract<AiOperation, 'rerank' | 'answer' | 'verify'>, run: () => Promise<T>) => Promise<T>;
  /** Streams the answer's text (AnswerOptions.onDelta). */
  onDelta?: (text: string) => void | Promise<void>;
  /** Told what was unusable (a malformed rerank reply). */
  log?: (message: string) => void;
}

export interface GroundedAnswer {
  /** With the threshold and the reranker's articles (their best passage's score) for the bot's explanation. */
  result: AnswerResult & AnswerDecision;
  /** `model`: the reranker's order; `lexical`: its reply was unusable and the search's order stood. */
  order: 'model' | 'lexical';
  /** The verification's verdict; null when it did not run. */
  verified: boolean | null;
}

/**
 * An article's passages: its paragraphs (blank-line separated), a paragraph ending in a colon kept
 * with the one it introduces, packed in order into pieces of up to ~900 characters. One paragraph
 * longer than that stays whole: cutting it could separate a lead-in from its list.
 */
export function passagesOf(article: KnowledgeArticle): string[] {
  const paragraphs = article.body
    .split(/\n\s*\n/u)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
  const pieces: string[] = [];
  let current = '';
  for (const paragraph of paragraphs) {
    const leadIn = /[:：]$/u.test(current);
    if (current && !leadIn && current.length + paragraph.length + 2 > passageCharacters) {
      pieces.push(current);
      current = paragraph;
    } else current = current ? `${current}\n\n${paragraph}` : paragraph;
  }
  if (current) pieces.push(current);
  return pieces;
}

/** The passages of the searched articles in the search's order, with short ids for the model. */
export function passagesFor(articles: readonly KnowledgeArticle[]): Passage[] {
  return articles
    .flatMap((article) => passagesOf(article).map((text) => ({ articleId: article.id, title: article.title, locale: article.locale, text })))
    .slice(0, rerankPassages)
    .map((passage, index) => ({ id: `p${index + 1}`, ...passage }));
}

/** The passages as the articles the answer call reads: one per article, its chosen passages only, in rank order. */
function asArticles(passages: readonly Passage[]): KnowledgeArticle[] {
  const byArticle = new Map<string, KnowledgeArticle>();
  for (const passage of passages) {
    const article = byArticle.get(passage.articleId);
    if (article) article.body = `${article.body}\n\n${passage.text}`;
    else byArticle.set(passage.articleId, { id: passage.articleId, title: passage.title, body: passage.text, locale: passage.locale });
  }
  return [...byArticle.values()];
}

const refused = (reason: 'no_articles' | 'low_confidence' | 'not_verified', confidence: number): AnswerResult => ({ refused: true, reason, confidence });

/** The model path's grounded answer. `ai` must have `rerank` and `verify` (the model path). */
export async function groundedAnswer(
  ai: AiApi,
  question: string,
  articles: readonly KnowledgeArticle[],
  options: GroundedAnswerOptions,
): Promise<GroundedAnswer> {
  const { threshold, call } = options;
  if (!ai.rerank || !ai.verify) throw new Error('groundedAnswer needs the model path (rerank and verify)');
  const passages = passagesFor(articles);
  if (passages.length === 0) return { result: { ...refused('no_articles', 0), threshold }, order: 'lexical', verified: null };

  const reranked = await call('rerank', () => ai.rerank!(question, passages));
  const ranking: { articleId: string; score: number }[] = [];
  const decision: AnswerDecision = { threshold, ranking };
  let chosen: Passage[];
  // The reranker's score of the best passage is the answer's confidence; after a malformed reply
  // there is none, and the answer must pass verification to clear the bar it stands in for.
  let confidence: number | null;
  if ('malformed' in reranked) {
    options.log?.('the reranker replied with nothing usable; the lexical order stands');
    chosen = passages.slice(0, answerPassages);
    confidence = null;
  } else {
    const byId = new Map(passages.map((passage) => [passage.id, passage]));
    for (const { id, score } of reranked.ranked) {
      const articleId = byId.get(id)!.articleId;
      if (!ranking.some((hit) => hit.articleId === articleId)) ranking.push({ articleId, score });
    }
    const best = reranked.ranked[0];
    if (!best || best.score < threshold) return { result: { ...refused('low_confidence', best?.score ?? 0), ...decision }, order: 'model', verified: null };
    chosen = reranked.ranked.slice(0, answerPassages).flatMap(({ id }) => byId.get(id) ?? []);
    confidence = best.score;
  }
  const order = 'malformed' in reranked ? ('lexical' as const) : ('model' as const);

  // The customer reads only text that passed every check: the pieces of an answer still to be
  // verified are not passed on (it is still asked for in the streamed format), since a "no"
  // afterwards could not unsay what was read. Confident answers (above AI_VERIFY_BELOW) skip
  // verification and stream.
  const verifies = confidence === null || confidence <= (ai.verifyBelow ?? 1);
  const onDelta = options.onDelta && (verifies ? () => {} : options.onDelta);
  const answered = await call('answer', () =>
    ai.answer(question, asArticles(chosen), { threshold, confidence: confidence ?? threshold, ...(onDelta ? { onDelta } : {}) }),
  );
  const { usage: _answerUsage, ...answer } = answered;
  void _answerUsage;
  const result = { ...answer, ...decision };
  if ('refused' in result) return { result, order, verified: null };

  if (!verifies) return { result, order, verified: null };
  const cited = chosen.filter((passage) => result.citations.includes(passage.articleId));
  const { supported } = await call('verify', () => ai.verify!(question, result.answer, cited));
  if (!supported) return { result: { ...refused('not_verified', result.confidence), ...decision }, order, verified: false };
  return { result, order, verified: true };
}
