// Calibrated confidence for the top retrieval hit: "how likely is this article the right one?".
// Features of the ranking (top score, margin to the runner-up, how much of the query the
// article's vocabulary covers, and how informative that covered part is) are combined by a
// logistic regression, and its output is mapped to a probability by isotonic regression
// (pool-adjacent-violators), both fitted on a calibration split that was used neither to build
// the articles nor to measure. The fitted model is plain JSON (`CalibrationModel`), so the
// product loads what the evaluation fitted.
import type { RetrievalHit } from './lexical-retrieval.js';

export const featureNames = ['top', 'margin', 'ratio', 'coverage', 'topCoverage', 'information'] as const;

/** The ranking features of a query's hits (zeros when nothing matched). */
export function confidenceFeatures(hits: readonly Pick<RetrievalHit, 'score' | 'coverage' | 'information'>[]): number[] {
  const top = hits[0]?.score ?? 0;
  const second = hits[1]?.score ?? 0;
  const coverage = hits[0]?.coverage ?? 0;
  return [top, top - second, top > 0 ? second / top : 1, coverage, top * coverage, hits[0]?.information ?? 0];
}

export interface CalibrationModel {
  version: 1;
  featureNames: string[];
  /** Standardisation applied before the linear model. */
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** Isotonic map from the linear score to a probability: non-decreasing y at increasing x. */
  isotonic: { x: number[]; y: number[] };
  /** Answer thresholds chosen on the calibration split, by target precision (e.g. "0.95"). */
  thresholds: Record<string, number>;
}

export interface CalibrationSample {
  features: number[];
  correct: boolean;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function linearScore(model: Pick<CalibrationModel, 'mean' | 'scale' | 'weights' | 'bias'>, features: readonly number[]): number {
  let z = model.bias;
  model.weights.forEach((weight, i) => {
    z += (weight * ((features[i] ?? 0) - model.mean[i]!)) / model.scale[i]!;
  });
  return z;
}

/** Pool-adjacent-violators: the non-decreasing fit of ys (sorted by x), as block points. */
export function fitIsotonic(points: readonly { x: number; y: number }[]): { x: number[]; y: number[] } {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const blocks: { sumX: number; sumY: number; n: number }[] = [];
  for (const point of sorted) {
    blocks.push({ sumX: point.x, sumY: point.y, n: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const previous = blocks[blocks.length - 2]!;
      if (previous.sumY / previous.n <= last.sumY / last.n) break;
      blocks.pop();
      previous.sumX += last.sumX;
      previous.sumY += last.sumY;
      previous.n += last.n;
    }
  }
  return { x: blocks.map((b) => b.sumX / b.n), y: blocks.map((b) => b.sumY / b.n) };
}

/** Piecewise-linear interpolation of the isotonic points (flat beyond the ends): monotone. */
export function applyIsotonic(isotonic: { x: readonly number[]; y: readonly number[] }, x: number): number {
  const { x: xs, y: ys } = isotonic;
  if (xs.length === 0) return 0;
  if (x <= xs[0]!) return ys[0]!;
  if (x >= xs[xs.length - 1]!) return ys[ys.length - 1]!;
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - xs[lo]!) / (xs[hi]! - xs[lo]! || 1);
  return ys[lo]! + t * (ys[hi]! - ys[lo]!);
}

/** Fits logistic regression (L2, batch gradient descent) and the isotonic map on top of it. */
export function fitCalibration(samples: readonly CalibrationSample[], options: { l2?: number; iterations?: number } = {}): CalibrationModel {
  const { l2 = 1e-3, iterations = 2000 } = options;
  if (samples.length === 0) throw new Error('fitCalibration needs at least one sample');
  const dimensions = samples[0]!.features.length;
  const mean = Array.from({ length: dimensions }, (_, i) => samples.reduce((sum, s) => sum + s.features[i]!, 0) / samples.length);
  const scale = mean.map((m, i) => Math.sqrt(samples.reduce((sum, s) => sum + (s.features[i]! - m) ** 2, 0) / samples.length) || 1);
  const xs = samples.map((s) => s.features.map((value, i) => (value - mean[i]!) / scale[i]!));
  const weights = new Array<number>(dimensions).fill(0);
  let bias = 0;
  const rate = 0.5;
  for (let step = 0; step < iterations; step++) {
    const gradient = new Array<number>(dimensions).fill(0);
    let gradientBias = 0;
    xs.forEach((x, n) => {
      const error = sigmoid(bias + x.reduce((sum, v, i) => sum + v * weights[i]!, 0)) - (samples[n]!.correct ? 1 : 0);
      gradientBias += error;
      x.forEach((v, i) => (gradient[i]! += error * v));
    });
    bias -= (rate * gradientBias) / xs.length;
    weights.forEach((w, i) => (weights[i] = w - rate * (gradient[i]! / xs.length + l2 * w)));
  }
  const model = { mean, scale, weights, bias };
  const isotonic = fitIsotonic(samples.map((s) => ({ x: linearScore(model, s.features), y: s.correct ? 1 : 0 })));
  return { version: 1, featureNames: [...featureNames], ...model, isotonic, thresholds: {} };
}

/** Probability that the top hit is right, in [0, 1]. */
export function confidenceOf(model: CalibrationModel, features: readonly number[]): number {
  return applyIsotonic(model.isotonic, linearScore(model, features));
}

/**
 * The lowest confidence threshold whose answered set keeps at least `precision` — checked at
 * every threshold above it too, so one lucky streak of easy questions cannot set it (the
 * answered set's precision must hold all the way down). A dip ends the search only once enough
 * answers are in to measure the precision at all (`1 / (1 − precision)`, at least 20: 100 at 99 %):
 * before that one wrong answer is a dip, so the first wrong sample near the top set the threshold,
 * and the more samples, the sooner it came (drawing 32 example questions per article instead of 16
 * halved a knowledge base's answered share, eval/README.md). Returns Infinity when no threshold
 * reaches it (then the bot never answers).
 */
export function chooseThreshold(scored: readonly { confidence: number; correct: boolean }[], precision: number): number {
  const sorted = [...scored].sort((a, b) => b.confidence - a.confidence);
  const measurable = Math.max(20, Math.round(1 / (1 - precision)));
  let correct = 0;
  let threshold = Infinity;
  for (let i = 0; i < sorted.length; i++) {
    correct += sorted[i]!.correct ? 1 : 0;
    // Only cut between distinct confidences: ties are answered or refused together.
    if (i + 1 < sorted.length && sorted[i + 1]!.confidence === sorted[i]!.confidence) continue;
    if (correct / (i + 1) >= precision) threshold = sorted[i]!.confidence;
    else if (i + 1 >= measurable) break;
  }
  return threshold;
}

/** One-sided 95 % Wilson upper bound of a rate seen as `hits` in `n`. */
function wilsonUpperBound(hits: number, n: number, z = 1.645): number {
  const p = hits / n;
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return (p + (z * z) / (2 * n) + spread) / (1 + (z * z) / n);
}

/**
 * The lowest threshold at which the out-of-scope questions answered (every such answer is false)
 * stay under `maxShare` with 95 % confidence: a hundred or so questions measure a rate of a few
 * percent only roughly, so the rate seen must leave room for that. Infinity when even the
 * highest threshold answers too many.
 */
export function outOfScopeThreshold(outOfScope: readonly { confidence: number }[], maxShare: number): number {
  const sorted = outOfScope.map((s) => s.confidence).sort((a, b) => b - a);
  let allowed = 0;
  while (allowed < sorted.length && wilsonUpperBound(allowed + 1, sorted.length) <= maxShare) allowed++;
  if (allowed >= sorted.length) return 0;
  // Just above the first confidence that would be one answer too many.
  const firstRefused = sorted[allowed]!;
  return firstRefused >= 1 ? Infinity : firstRefused + 1e-9;
}

/** The bound on false answers to out-of-scope questions every threshold keeps on its calibration questions. */
export const maxOutOfScopeAnswered = 0.05;

/** The precisions a calibration chooses thresholds for ('0.95', '0.99'). */
export const calibratedPrecisions = ['0.95', '0.99'] as const;

/** The samples of one draw: in-scope questions (right or wrong answers) and out-of-scope ones. */
export interface CalibrationDraw {
  inScope: readonly CalibrationSample[];
  outOfScope: readonly CalibrationSample[];
}

/** The middle value (the higher of the two middle ones for an even count: the stricter threshold). */
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Fits a calibration and its thresholds: the model on every sample (out-of-scope ones count as
 * "answering is wrong"), then per precision the lowest threshold that keeps it on the samples and
 * keeps the share of out-of-scope samples answered under `maxOutOfScopeAnswered` with 95 %
 * confidence. `precisionOver: 'all'` (the shipped calibration, whose out-of-scope questions are
 * generic) counts out-of-scope answers as wrong in the precision too; `'in_scope'` (a knowledge
 * base's own, whose negatives are near-misses written as its own questions, in an arbitrary
 * proportion) keeps them to the bound alone. Shared by the product and `npm run eval`, so both
 * fit the same way.
 */
export function fitWithThresholds(
  inScope: readonly CalibrationSample[],
  outOfScope: readonly CalibrationSample[],
  options: { precisionOver?: 'all' | 'in_scope' } = {},
): CalibrationModel {
  return fitOverDraws([{ inScope, outOfScope }], options);
}

/**
 * `fitWithThresholds` over several draws of samples: one model fitted on all of them, and each
 * bound (precision, out-of-scope share) the median of the bounds the draws set on that model's
 * scale. Both bounds sit where a few samples decide (the first wrong answer near the top, the
 * fourth or fifth out-of-scope one answered), so a single draw's threshold moves with whichever
 * samples it happened to hold; the median does not follow one unlucky draw.
 */
export function fitOverDraws(draws: readonly CalibrationDraw[], { precisionOver = 'all' }: { precisionOver?: 'all' | 'in_scope' } = {}): CalibrationModel {
  const model = fitCalibration(draws.flatMap((draw) => [...draw.inScope, ...draw.outOfScope.map((s) => ({ features: s.features, correct: false }))]));
  const scored = (samples: readonly CalibrationSample[], outside: boolean) =>
    samples.map((s) => ({ confidence: confidenceOf(model, s.features), correct: !outside && s.correct }));
  const scoredDraws = draws.map((draw) => {
    const inside = scored(draw.inScope, false);
    const outside = scored(draw.outOfScope, true);
    return { judged: precisionOver === 'all' ? [...inside, ...outside] : inside, outside };
  });
  // Without the out-of-scope questions, a retriever that is nearly always right in scope would
  // get a threshold near zero and answer anything; as in-scope questions outnumber them, the
  // threshold must also keep their share answered low on its own.
  const outOfScopeBound = median(scoredDraws.map(({ outside }) => outOfScopeThreshold(outside, maxOutOfScopeAnswered)));
  for (const precision of calibratedPrecisions) {
    const precisionBound = median(scoredDraws.map(({ judged }) => chooseThreshold(judged, Number(precision))));
    model.thresholds[precision] = Math.max(precisionBound, outOfScopeBound);
  }
  return model;
}
