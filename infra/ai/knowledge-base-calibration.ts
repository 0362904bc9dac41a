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
// It fits the same model and thresholds as the shipped calibration, over several draws of these
// samples (`fitOverDraws`, `calibrationDraws`): each draw asks other example questions where an
// article has more than it asks, and leaves other articles out together; the model is fitted on
// every draw and each threshold bound is the median of the draws' (one draw's threshold moved the
// answered share by up to 20 points with which samples it held, eval/README.md). With too few
// example questions (`minimumExamples`) it fits nothing and the shipped calibration stays.
import { confidenceFeatures, confidenceOf, fitCalibration, fitOverDraws, type CalibrationModel, type CalibrationSample } from './confidence.js';
import { clarifyingSibling, createDecisiveTerms } from './decisive-terms.js';
import {
  createLexicalRetriever,
  createTermCache,
  defaultRetrieverWeights,
  type KnowledgeArticle,
  type LexicalRetriever,
  type RetrievalHit,
} from './lexical-retrieval.js';

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
  /** Draws of samples (`knowledgeBaseDraws`; the fit's default `calibrationDraws`). */
  draws?: number;
}

/** The draws a knowledge base's own calibration takes its threshold's median over (odd: one middle draw). */
export const calibrationDraws = 5;

export interface KnowledgeBaseSamples {
  inScope: CalibrationSample[];
  outOfScope: CalibrationSample[];
  /** `examples`: the held-out example questions in the samples (those the bot would ask about with their article among the choices are not). */
  counts: { articles: number; examples: number; negatives: number; feedback: number };
  /** Held-out example questions left out because the bot would ask "A or B?" with their own article as A or B. */
  clarified: number;
  /** Each sample's half (0 or 1, by its article): the estimate scores one half with a model fitted on the other. */
  halves: { inScope: (0 | 1)[]; outOfScope: (0 | 1)[] };
  /** Each sample's question (article id and position, or the verdict's), to count distinct questions over draws. */
  keys: { inScope: string[]; outOfScope: string[] };
}

/**
 * `count` items spread evenly over a list (all of them when it is not longer), deterministic;
 * `offset` (0 to 1) shifts the picks within their stretch, so draws take other items.
 */
function spread<T>(items: readonly T[], count: number, offset = 0): { item: T; index: number }[] {
  if (items.length <= count) return items.map((item, index) => ({ item, index }));
  return Array.from({ length: count }, (_, i) => {
    const index = Math.min(items.length - 1, Math.floor((i * items.length) / count) + Math.round((offset * items.length) / count));
    return { item: items[index]!, index };
  });
}

/** FNV-1a: a stable hash of a string, to order articles differently in each draw. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
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

/** The labelled samples of one locale's articles (the same for the same articles, whatever their ids): one draw. */
export function knowledgeBaseSamples(
  allArticles: readonly KnowledgeArticle[],
  locale: string,
  feedback: readonly FeedbackSample[] = [],
  options: Omit<KnowledgeBaseSampleOptions, 'draws'> = {},
): KnowledgeBaseSamples {
  return knowledgeBaseDraws(allArticles, locale, feedback, { ...options, draws: 1 })[0]!;
}

/**
 * `draws` draws of the labelled samples. Each asks other example questions where an article has
 * more than it asks (the picks shift within their stretch), and after the first puts the articles
 * in another stable order, so other ones leave the knowledge base together as near-misses. A held-out
 * example is asked once however many draws hold it (its fold's knowledge base is the same in all).
 */
export function knowledgeBaseDraws(
  allArticles: readonly KnowledgeArticle[],
  locale: string,
  feedback: readonly FeedbackSample[] = [],
  options: KnowledgeBaseSampleOptions = {},
): KnowledgeBaseSamples[] {
  const { folds = 5, questionsPerArticle = 16, negativesPerArticle = 8, draws = 1 } = options;
  // Ordered by content (title, then id), not by id alone: ids are random, and the folds must not
  // change from one fit to the next when the articles did not.
  const key = (article: KnowledgeArticle) => `${article.title}\u0000${article.id}`;
  const articles = allArticles.filter((article) => article.locale === locale).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const ask = (retriever: LexicalRetriever, question: string) => retriever.retrieve(question, { locale, limit: 3 });
  const sample = (hits: RetrievalHit[], articleId: string | undefined): CalibrationSample => ({
    features: confidenceFeatures(hits),
    correct: articleId !== undefined && hits[0]?.articleId === articleId,
  });
  const halfOf = new Map(articles.map((article, index) => [article.id, (index % 2) as 0 | 1]));
  // Every index here holds the same texts (some left out), and every question is asked of several:
  // each text is tokenised once for all of them (the draws' indexes were nearly all the fit's time).
  const terms = createTermCache();
  const retrieverOf = (kept: KnowledgeArticle[]) => createLexicalRetriever(kept, defaultRetrieverWeights, terms);

  // Held-out example questions: fold k's questions leave every article, then are asked, and the
  // bot's decisive-term check runs on the same knowledge base. Null: the bot would ask "A or B?".
  const heldOutKnowledge = new Map<number, { retriever: LexicalRetriever; decisive: ReturnType<typeof createDecisiveTerms> }>();
  const heldOut = new Map<string, CalibrationSample | null>();
  const askHeldOut = (article: KnowledgeArticle, index: number): CalibrationSample | null => {
    const asked = `article:${article.id}#${index}`;
    if (!heldOut.has(asked)) {
      const fold = index % folds;
      if (!heldOutKnowledge.has(fold)) {
        const kept = articles.map((other) => ({ ...other, questions: (other.questions ?? []).filter((_, i) => i % folds !== fold) }));
        heldOutKnowledge.set(fold, { retriever: retrieverOf(kept), decisive: createDecisiveTerms(kept) });
      }
      const { retriever, decisive } = heldOutKnowledge.get(fold)!;
      const text = article.questions![index]!;
      const hits = ask(retriever, text);
      heldOut.set(asked, asksWithItsArticle(hits, clarifyingSibling(decisive, text, hits), article.id) ? null : sample(hits, article.id));
    }
    return heldOut.get(asked)!;
  };

  // Customers' verdicts, against the whole knowledge base as the bot saw it (the same in every draw).
  const known = new Set(articles.map((article) => article.id));
  const judged = feedback.filter((verdict) => known.has(verdict.articleId));
  const retriever = judged.length ? retrieverOf(articles) : null;
  const verdicts = judged.map((verdict) => {
    const { features, correct } = sample(ask(retriever!, verdict.question), verdict.articleId);
    return { articleId: verdict.articleId, sample: { features, correct: correct && verdict.helpful } };
  });

  return Array.from({ length: draws }, (_, draw) => {
    const offset = draw / draws;
    const drawn: KnowledgeBaseSamples = {
      inScope: [],
      outOfScope: [],
      counts: { articles: articles.length, examples: 0, negatives: 0, feedback: judged.length },
      clarified: 0,
      halves: { inScope: [], outOfScope: [] },
      keys: { inScope: [], outOfScope: [] },
    };
    const add = (side: 'inScope' | 'outOfScope', item: CalibrationSample, articleId: string, asked: string) => {
      drawn[side].push(item);
      drawn.halves[side].push(halfOf.get(articleId)!);
      drawn.keys[side].push(asked);
    };
    for (const article of askingArticles(articles))
      for (const { index } of spread(article.questions!, questionsPerArticle, offset)) {
        const held = askHeldOut(article, index);
        if (held) add('inScope', held, article.id, `article:${article.id}#${index}`);
        else drawn.clarified += 1;
      }

    // Near-miss negatives: fold g's articles leave the knowledge base; their questions are asked.
    const order = draw === 0 ? articles : [...articles].sort((a, b) => hashOf(`${draw}\u0000${key(a)}`) - hashOf(`${draw}\u0000${key(b)}`));
    for (let fold = 0; fold < folds && order.length >= 2; fold++) {
      const left = order.filter((article, index) => index % folds === fold && article.questions?.length);
      if (left.length === 0 || left.length === order.length) continue;
      const without = retrieverOf(order.filter((_, index) => index % folds !== fold));
      for (const article of left)
        for (const { item, index } of spread(article.questions!, negativesPerArticle, offset))
          add('outOfScope', sample(ask(without, item), undefined), article.id, `article:${article.id}#${index}`);
    }

    verdicts.forEach((verdict, index) => add('inScope', verdict.sample, verdict.articleId, `verdict:${index}`));
    drawn.counts.examples = drawn.inScope.length - judged.length;
    drawn.counts.negatives = drawn.outOfScope.length;
    return drawn;
  });
}

/**
 * The samples scored by models that never saw them: each half (by article) by a model fitted on the
 * other half, so the estimate is held out twice over (from the knowledge base, and from the fit).
 * Each question is scored once, as its first draw asked it. Falls back to the full model's scores
 * when a half lacks in-scope or near-miss samples.
 */
function crossFittedCurve(samples: KnowledgeBaseSamples, model: CalibrationModel): CalibrationCurve {
  const curve: CalibrationCurve = { inScope: [], outOfScope: [] };
  const pick = <T>(items: readonly T[], of: readonly (0 | 1)[], half: 0 | 1) => items.filter((_, i) => of[i] === half);
  const parts = ([0, 1] as const).map((half) => ({
    inScope: pick(samples.inScope, samples.halves.inScope, half),
    outOfScope: pick(samples.outOfScope, samples.halves.outOfScope, half),
    keys: { inScope: pick(samples.keys.inScope, samples.halves.inScope, half), outOfScope: pick(samples.keys.outOfScope, samples.halves.outOfScope, half) },
  }));
  const fitted = parts.map((part) =>
    part.inScope.length && part.outOfScope.length ? fitCalibration([...part.inScope, ...part.outOfScope.map((s) => ({ ...s, correct: false }))]) : null,
  );
  const firstOfEach = <T>(items: readonly T[], keys: readonly string[]) => {
    const seen = new Set<string>();
    return items.filter((_, i) => !seen.has(keys[i]!) && Boolean(seen.add(keys[i]!)));
  };
  ([0, 1] as const).forEach((half) => {
    const scorer = fitted[1 - half] ?? model;
    const { inScope, outOfScope, keys } = parts[half]!;
    for (const s of firstOfEach(inScope, keys.inScope)) curve.inScope.push([rounded(confidenceOf(scorer, s.features)), s.correct ? 1 : 0]);
    for (const s of firstOfEach(outOfScope, keys.outOfScope)) curve.outOfScope.push(rounded(confidenceOf(scorer, s.features)));
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
  // Too few examples: one draw, only to count what there is.
  const drawn = knowledgeBaseDraws(ofLocale, locale, feedback, { draws: hasEnoughExamples(ofLocale) ? calibrationDraws : 1, ...options });
  const samples = pooled(drawn);
  if (!hasEnoughExamples(ofLocale) || samples.outOfScope.length === 0) return { model: null, counts: samples.counts, estimate: null, curve: null };
  const model = fitOverDraws(drawn, { precisionOver: 'in_scope' });
  const curve = crossFittedCurve(samples, model);
  return { model, counts: samples.counts, estimate: estimateFromCurve(curve, model.thresholds[calibratedPrecision] ?? Infinity), curve };
}

/** Every draw's samples in one set; its counts are the distinct questions asked (a question drawn twice counts once). */
function pooled(drawn: readonly KnowledgeBaseSamples[]): KnowledgeBaseSamples {
  const all = <T>(pick: (samples: KnowledgeBaseSamples) => readonly T[]) => drawn.flatMap(pick);
  const keys = { inScope: all((s) => s.keys.inScope), outOfScope: all((s) => s.keys.outOfScope) };
  const feedback = drawn[0]!.counts.feedback;
  return {
    inScope: all((s) => s.inScope),
    outOfScope: all((s) => s.outOfScope),
    counts: {
      articles: drawn[0]!.counts.articles,
      examples: new Set(keys.inScope).size - feedback,
      negatives: new Set(keys.outOfScope).size,
      feedback,
    },
    clarified: all((s) => [s.clarified]).reduce((sum, n) => sum + n, 0),
    halves: { inScope: all((s) => s.halves.inScope), outOfScope: all((s) => s.halves.outOfScope) },
    keys,
  };
}
