// Shared pieces of the evaluation: a seeded shuffle, a CSV reader for the datasets, and the
// metrics computed from scored questions.
import { confidenceFeatures, confidenceOf, fitWithThresholds, type CalibrationModel } from '../infra/ai/confidence.js';
import type { LexicalRetriever } from '../infra/ai/lexical-retrieval.js';

/** mulberry32: a tiny deterministic PRNG, so the split is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export interface Question {
  text: string;
  /** The article that answers it; undefined for out-of-scope questions. */
  articleId?: string;
  /** Out of scope, but worded with the knowledge base's own words (no article answers it). */
  nearMiss?: boolean;
}

export interface Scored {
  correct: boolean;
  top1: boolean;
  top3: boolean;
  features: number[];
  confidence: number;
}

export function score(retriever: LexicalRetriever, questions: readonly Question[], locale: string): Scored[] {
  return questions.map((question) => {
    const hits = retriever.retrieve(question.text, { locale, limit: 5 });
    const top1 = question.articleId !== undefined && hits[0]?.articleId === question.articleId;
    const top3 = question.articleId !== undefined && hits.slice(0, 3).some((hit) => hit.articleId === question.articleId);
    return { correct: top1, top1, top3, features: confidenceFeatures(hits), confidence: 0 };
  });
}

export interface LocaleReport {
  articles: number;
  calibration: number;
  test: number;
  outOfScopeTest: number;
  top1: number;
  top3: number;
  /** Share of test questions answered at the threshold chosen for 95 % / 99 % precision on calibration. */
  coverageAt95: number;
  /** Precision of all test answers at that threshold, out-of-scope answers counted as wrong. */
  precisionAt95: number;
  coverageAt99: number;
  precisionAt99: number;
  /** Share of out-of-scope test questions answered at the 95 % threshold (all answers there are false). */
  outOfScopeFalseAnswersAt95: number;
  threshold95: number;
  threshold99: number;
}

/**
 * Fits the calibration on the calibration questions (in scope; out-of-scope ones count as
 * "answering is wrong"), chooses thresholds there, and measures the test questions.
 */
export function evaluate(
  calibration: Scored[],
  calibrationOutOfScope: Scored[],
  test: Scored[],
  testOutOfScope: Scored[],
  counts: { articles: number },
): { report: LocaleReport; model: CalibrationModel } {
  // The product's own fitting (infra/ai/confidence.ts): out-of-scope questions count as wrong
  // answers, and every threshold also keeps their share answered under the bound.
  const model = fitWithThresholds(calibration, calibrationOutOfScope);
  for (const s of [...calibration, ...calibrationOutOfScope, ...test, ...testOutOfScope]) s.confidence = confidenceOf(model, s.features);
  const threshold95 = model.thresholds['0.95']!;
  const threshold99 = model.thresholds['0.99']!;
  const at = (threshold: number) => {
    const answered = [...test, ...testOutOfScope].filter((s) => s.confidence >= threshold);
    return {
      coverage: test.filter((s) => s.confidence >= threshold).length / test.length,
      precision: answered.length ? answered.filter((s) => s.correct).length / answered.length : 1,
    };
  };
  const share = (items: Scored[], predicate: (s: Scored) => boolean) => (items.length ? items.filter(predicate).length / items.length : 0);
  const p95 = at(threshold95);
  const p99 = at(threshold99);
  return {
    model,
    report: {
      articles: counts.articles,
      calibration: calibration.length,
      test: test.length,
      outOfScopeTest: testOutOfScope.length,
      top1: share(test, (s) => s.top1),
      top3: share(test, (s) => s.top3),
      coverageAt95: p95.coverage,
      precisionAt95: p95.precision,
      coverageAt99: p99.coverage,
      precisionAt99: p99.precision,
      outOfScopeFalseAnswersAt95: share(testOutOfScope, (s) => s.confidence >= threshold95),
      threshold95,
      threshold99,
    },
  };
}

/** How a calibration fitted elsewhere does here, at its own threshold for a precision ('0.95', '0.99'). */
export function transfer(model: CalibrationModel, precision: '0.95' | '0.99', test: Scored[], testOutOfScope: Scored[]) {
  const threshold = model.thresholds[precision] ?? Infinity;
  const answered = test.filter((s) => confidenceOf(model, s.features) >= threshold);
  const falseOutOfScope = testOutOfScope.filter((s) => confidenceOf(model, s.features) >= threshold).length;
  return {
    coverage: answered.length / test.length,
    precision: answered.length + falseOutOfScope ? answered.filter((s) => s.correct).length / (answered.length + falseOutOfScope) : 1,
    outOfScopeAnswered: testOutOfScope.length ? falseOutOfScope / testOutOfScope.length : 0,
  };
}
