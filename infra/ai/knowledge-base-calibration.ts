// A confidence calibration fitted on a knowledge base itself, from what every deployment has:
// - its articles' own example questions as pseudo-queries, each asked against the knowledge base
//   with it held out from its own article (k-fold: the questions of one fold are removed from every
//   article, then asked; a right top article is a right answer);
// - near-miss negatives: the questions of some articles asked against the knowledge base without
//   those articles (k-fold over articles): every answer there is wrong, and they share the
//   knowledge base's words, as the near-misses customers send do;
//   a held-out example the bot would not answer but ask about ("Do you mean A or B?", the
//   decisive-term check) is left out when its own article is one of the two: the bot gives no
//   answer there, right or wrong, and counting it as a confident wrong one (its sibling ranked
//   first) pushed the threshold up for every question (eval/README.md). A question whose two
//   choices miss its article stays in, as the wrong answer it is;
// - customers' verdicts on the bot's answers as they accumulate (helpful: right; not helpful or
//   "talk to a person": wrong), asked against the whole knowledge base.
// It fits the same model and thresholds as the shipped calibration (`fitWithThresholds`). With too
// few example questions (`minimumExamples`) it fits nothing and the shipped calibration stays.
import { confidenceFeatures, confidenceOf, fitCalibration, fitWithThresholds, type CalibrationModel, type CalibrationSample } from './confidence.js';
import { clarifyingSibling, createDecisiveTerms } from './decisive-terms.js';
import { createLexicalRetriever, type KnowledgeArticle, type RetrievalHit } from './lexical-retrieval.js';

/**
 * The least a knowledge base needs for its own calibration: this many example questions in all,
 * over this many articles that have at least two (one to ask, one to keep). Below it the samples
 * are too few for a threshold at 99 % precision (one wrong answer in 50 already breaks it).
 */
export const minimumExamples = { questions: 100, articles: 5 } as const;

/** The threshold a knowledge base's own calibration answers at: its 99 % precision one, as the shipped one. */
export const calibratedPrecision = '0.99';

/** A customer's verdict on a bot answer: the question asked, the article answered with, and the verdict. */
export interface FeedbackSample {
  question: string;
  articleId: string;
  helpful: boolean;
}

export interface KnowledgeBaseSampleOptions {
  /** Folds for the held-out example questions and for the near-miss articles (default 5). */
  folds?: number;
  /** Example questions asked per article, spread evenly over its list (default 16). */
  questionsPerArticle?: number;
  /** Questions per left-out article asked as near-miss negatives (default 8). */
  negativesPerArticle?: number;
}

export interface KnowledgeBaseSamples {
  inScope: CalibrationSample[];
  outOfScope: CalibrationSample[];
  /** `examples`: the held-out example questions in the samples (those the bot would ask about with their article among the choices are not). */
  counts: { articles: number; examples: number; negatives: number; feedback: number };
  /** Held-out example questions left out because the bot would ask "A or B?" with their own article as A or B. */
  clarified: number;
  /** Each sample's half (0 or 1, by its article): the estimate scores one half with a model fitted on the other. */
  halves: { inScope: (0 | 1)[]; outOfScope: (0 | 1)[] };
}

/** `count` items spread evenly over a list (all of them when it is not longer), deterministic. */
function spread<T>(items: readonly T[], count: number): { item: T; index: number }[] {
  if (items.length <= count) return items.map((item, index) => ({ item, index }));
  return Array.from({ length: count }, (_, i) => {
    const index = Math.floor((i * items.length) / count);
    return { item: items[index]!, index };
  });
}

/** The articles of one locale that can ask and still keep a question. */
const askingArticles = (articles: readonly KnowledgeArticle[]) => articles.filter((article) => (article.questions?.length ?? 0) >= 2);

/** Whether a knowledge base has enough example questions for its own calibration. */
export function hasEnoughExamples(articles: readonly KnowledgeArticle[]): boolean {
  const asking = askingArticles(articles);
  return asking.length >= minimumExamples.articles && asking.reduce((sum, article) => sum + article.questions!.length, 0) >= minimumExamples.questions;
}

/**
 * Whether the bot, instead of answering, asks "Do you mean A or B?" with the question's own article
 * as A or B: then it gives no answer, right or wrong. Asking about two others is a miss.
 */
export function asksWithItsArticle(hits: readonly RetrievalHit[], sibling: RetrievalHit | undefined, articleId: string): boolean {
  return sibling !== undefined && (hits[0]?.articleId === articleId || sibling.articleId === articleId);
}

/** The labelled samples of one locale's articles (the same for the same articles, whatever their ids). */
export function knowledgeBaseSamples(
  allArticles: readonly KnowledgeArticle[],
  locale: string,
  feedback: readonly FeedbackSample[] = [],
  options: KnowledgeBaseSampleOptions = {},
): KnowledgeBaseSamples {
  const { folds = 5, questionsPerArticle = 16, negativesPerArticle = 8 } = options;
  // Ordered by content (title, then id), not by id alone: ids are random, and the folds must not
  // change from one fit to the next when the articles did not.
  const key = (article: KnowledgeArticle) => `${article.title}\u0000${article.id}`;
  const articles = allArticles.filter((article) => article.locale === locale).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const ask = (retriever: ReturnType<typeof createLexicalRetriever>, question: string) => retriever.retrieve(question, { locale, limit: 3 });
  const sample = (hits: RetrievalHit[], articleId: string | undefined): CalibrationSample => ({
    features: confidenceFeatures(hits),
    correct: articleId !== undefined && hits[0]?.articleId === articleId,
  });

  const halfOf = new Map(articles.map((article, index) => [article.id, (index % 2) as 0 | 1]));
  const halves: KnowledgeBaseSamples['halves'] = { inScope: [], outOfScope: [] };

  // Held-out example questions: fold k's questions leave every article, then are asked, and the
  // bot's decisive-term check runs on the same knowledge base.
  const inScope: CalibrationSample[] = [];
  let clarified = 0;
  const asked = askingArticles(articles).map((article) => ({ article, questions: spread(article.questions!, questionsPerArticle) }));
  for (let fold = 0; fold < folds; fold++) {
    const held = asked.flatMap(({ article, questions }) => questions.filter((q) => q.index % folds === fold).map((q) => ({ article, text: q.item })));
    if (held.length === 0) continue;
    const kept = articles.map((article) => ({ ...article, questions: (article.questions ?? []).filter((_, index) => index % folds !== fold) }));
    const retriever = createLexicalRetriever(kept);
    const decisive = createDecisiveTerms(kept);
    for (const { article, text } of held) {
      const hits = ask(retriever, text);
      if (asksWithItsArticle(hits, clarifyingSibling(decisive, text, hits), article.id)) {
        clarified += 1;
        continue;
      }
      inScope.push(sample(hits, article.id));
      halves.inScope.push(halfOf.get(article.id)!);
    }
  }

  // Near-miss negatives: fold g's articles leave the knowledge base; their questions are asked.
  const outOfScope: CalibrationSample[] = [];
  if (articles.length >= 2) {
    for (let fold = 0; fold < folds; fold++) {
      const left = articles.filter((_, index) => index % folds === fold);
      if (left.length === 0 || left.length === articles.length) continue;
      const retriever = createLexicalRetriever(articles.filter((_, index) => index % folds !== fold));
      for (const article of left) {
        for (const { item } of spread(article.questions ?? [], negativesPerArticle)) {
          outOfScope.push(sample(ask(retriever, item), undefined));
          halves.outOfScope.push(halfOf.get(article.id)!);
        }
      }
    }
  }

  // Customers' verdicts, against the whole knowledge base as the bot saw it.
  const known = new Set(articles.map((article) => article.id));
  const judged = feedback.filter((verdict) => known.has(verdict.articleId));
  if (judged.length) {
    const retriever = createLexicalRetriever(articles);
    for (const verdict of judged) {
      const { features, correct } = sample(ask(retriever, verdict.question), verdict.articleId);
      inScope.push({ features, correct: correct && verdict.helpful });
      halves.inScope.push(halfOf.get(verdict.articleId)!);
    }
  }
  return {
    inScope,
    outOfScope,
    counts: { articles: articles.length, examples: inScope.length - judged.length, negatives: outOfScope.length, feedback: judged.length },
    clarified,
    halves,
  };
}

/**
 * The samples scored by models that never saw them: each half (by article) by a model fitted on the
 * other half, so the estimate is held out twice over (from the knowledge base, and from the fit).
 * Falls back to the full model's scores when a half lacks in-scope or near-miss samples.
 */
function crossFittedCurve(samples: KnowledgeBaseSamples, model: CalibrationModel): CalibrationCurve {
  const curve: CalibrationCurve = { inScope: [], outOfScope: [] };
  const pick = <T>(items: readonly T[], of: readonly (0 | 1)[], half: 0 | 1) => items.filter((_, i) => of[i] === half);
  const parts = ([0, 1] as const).map((half) => ({
    inScope: pick(samples.inScope, samples.halves.inScope, half),
    outOfScope: pick(samples.outOfScope, samples.halves.outOfScope, half),
  }));
  const fitted = parts.map((part) =>
    part.inScope.length && part.outOfScope.length ? fitCalibration([...part.inScope, ...part.outOfScope.map((s) => ({ ...s, correct: false }))]) : null,
  );
  ([0, 1] as const).forEach((half) => {
    const scorer = fitted[1 - half] ?? model;
    for (const s of parts[half]!.inScope) curve.inScope.push([rounded(confidenceOf(scorer, s.features)), s.correct ? 1 : 0]);
    for (const s of parts[half]!.outOfScope) curve.outOfScope.push(rounded(confidenceOf(scorer, s.features)));
  });
  return curve;
}

export interface KnowledgeBaseCalibration {
  /** Null: too few example questions; the shipped calibration stays. */
  model: CalibrationModel | null;
  counts: KnowledgeBaseSamples['counts'];
  /** Held-out estimate at the threshold the bot answers at (`calibratedPrecision`). */
  estimate: CalibrationEstimate | null;
  /** The held-out samples' confidences, to estimate at another threshold (an admin's). */
  curve: CalibrationCurve | null;
}

/** Held-out samples as the fitted model scores them: in scope `[confidence, right ? 1 : 0]`, near-misses their confidence. */
export interface CalibrationCurve {
  inScope: [number, 0 | 1][];
  outOfScope: number[];
}

const rounded = (x: number) => Math.round(x * 1e4) / 1e4;

/** The estimate at any threshold, from a stored curve. */
export function estimateFromCurve(curve: CalibrationCurve, threshold: number): CalibrationEstimate {
  const answered = curve.inScope.filter(([confidence]) => confidence >= threshold);
  const share = (part: number, whole: number) => (whole ? part / whole : 0);
  return {
    threshold: Number.isFinite(threshold) ? threshold : null,
    answered: share(answered.length, curve.inScope.length),
    precision: answered.length ? share(answered.filter(([, right]) => right === 1).length, answered.length) : 1,
    nearMissAnswered: share(curve.outOfScope.filter((confidence) => confidence >= threshold).length, curve.outOfScope.length),
  };
}

export interface CalibrationEstimate {
  /** Null: no threshold keeps the precision (the bot would never answer). */
  threshold: number | null;
  /** Share of held-out example questions answered. */
  answered: number;
  /** Share of those answers that name the question's own article. */
  precision: number;
  /** Share of near-miss negatives answered (every such answer is wrong). */
  nearMissAnswered: number;
}

/** Fits a knowledge base's own calibration for one locale (null model when it has too few examples). */
export function fitKnowledgeBaseCalibration(
  articles: readonly KnowledgeArticle[],
  locale: string,
  feedback: readonly FeedbackSample[] = [],
  options: KnowledgeBaseSampleOptions = {},
): KnowledgeBaseCalibration {
  const ofLocale = articles.filter((article) => article.locale === locale);
  const samples = knowledgeBaseSamples(ofLocale, locale, feedback, options);
  if (!hasEnoughExamples(ofLocale) || samples.outOfScope.length === 0) return { model: null, counts: samples.counts, estimate: null, curve: null };
  const model = fitWithThresholds(samples.inScope, samples.outOfScope, { precisionOver: 'in_scope' });
  const curve = crossFittedCurve(samples, model);
  return { model, counts: samples.counts, estimate: estimateFromCurve(curve, model.thresholds[calibratedPrecision] ?? Infinity), curve };
}
