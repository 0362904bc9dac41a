import { describe, expect, it } from 'vitest';
import { confidenceOf, fitOverDraws, fitWithThresholds, type CalibrationSample } from './confidence.js';
import {
  asksWithItsArticle,
  calibratedPrecision,
  calibrationDraws,
  estimateFromCurve,
  fitKnowledgeBaseCalibration,
  hasEnoughExamples,
  knowledgeBaseDraws,
  knowledgeBaseSamples,
  minimumExamples,
} from './knowledge-base-calibration.js';
import type { KnowledgeArticle, RetrievalHit } from './lexical-retrieval.js';

/** One feature, so the fitted confidence orders samples as the feature does. */
const at = (value: number, correct: boolean): CalibrationSample => ({ features: [value, 0, 0, 0, 0, 0], correct });

describe('fitWithThresholds (shared by the product and the eval)', () => {
  // In scope: right above 0.5, wrong below; out of scope: below 0.3, except one at 0.6.
  const inScope = [...Array.from({ length: 60 }, (_, i) => at(0.5 + i / 200, true)), ...Array.from({ length: 20 }, (_, i) => at(0.3 + i / 100, false))];
  const outOfScope = [...Array.from({ length: 59 }, (_, i) => at(i / 200, false)), at(0.6, false)];

  it('puts every threshold above the wrong answers it must refuse, and keeps the right ones above it', () => {
    const model = fitWithThresholds(inScope, outOfScope);
    const confidence = (sample: CalibrationSample) => confidenceOf(model, sample.features);
    const threshold = model.thresholds['0.99']!;
    expect(Number.isFinite(threshold)).toBe(true);
    // Nothing wrong in scope is answered at 99 %, and some right answers are.
    expect(inScope.filter((s) => !s.correct && confidence(s) >= threshold)).toEqual([]);
    expect(inScope.filter((s) => s.correct && confidence(s) >= threshold).length).toBeGreaterThan(30);
    // The 95 % threshold is never stricter than the 99 % one.
    expect(model.thresholds['0.95']!).toBeLessThanOrEqual(threshold);
  });

  it("counts out-of-scope answers as wrong in the precision only with precisionOver 'all'", () => {
    // Out of scope mixed among the right answers: 'all' must climb above them, 'in_scope' need not.
    const mixed = Array.from({ length: 40 }, (_, i) => at(0.5 + i / 100, false));
    const all = fitWithThresholds(inScope, [...outOfScope, ...mixed]);
    const inScopeOnly = fitWithThresholds(inScope, [...outOfScope, ...mixed], { precisionOver: 'in_scope' });
    expect(inScopeOnly.thresholds['0.95']!).toBeLessThanOrEqual(all.thresholds['0.95']!);
    // The same model either way: only the thresholds differ.
    expect(inScopeOnly.weights).toEqual(all.weights);
  });

  it('is deterministic: the same samples fit the same model', () => {
    expect(fitWithThresholds(inScope, outOfScope)).toEqual(fitWithThresholds(inScope, outOfScope));
  });
});

describe('fitOverDraws: thresholds that do not rest on one draw of samples', () => {
  // 200 right answers spread over 0.5-1, wrong ones below 0.45; near-misses below 0.4.
  const right = Array.from({ length: 200 }, (_, i) => at(0.5 + i / 400, true));
  const wrong = Array.from({ length: 20 }, (_, i) => at(0.25 + i / 100, false));
  const nearMisses = Array.from({ length: 100 }, (_, i) => at(i / 250, false));
  const draw = (extra: CalibrationSample[] = []) => ({ inScope: [...right, ...wrong, ...extra], outOfScope: nearMisses });

  it('is fitWithThresholds for one draw', () => {
    const one = draw();
    expect(fitOverDraws([one], { precisionOver: 'in_scope' })).toEqual(fitWithThresholds(one.inScope, one.outOfScope, { precisionOver: 'in_scope' }));
  });

  it('does not follow one unlucky draw: wrong answers near the top in one draw of five leave the threshold where the others put it', () => {
    // In the unlucky draw, three wrong answers sit among the most confident right ones: alone it
    // climbs above them; among five draws, the median threshold is the others'.
    const unlucky = draw([at(0.97, false), at(0.96, false), at(0.95, false)]);
    const alone = fitOverDraws([unlucky], { precisionOver: 'in_scope' });
    const five = fitOverDraws([draw(), draw(), unlucky, draw(), draw()], { precisionOver: 'in_scope' });
    const lucky = fitOverDraws([draw(), draw(), draw(), draw(), draw()], { precisionOver: 'in_scope' });
    const answered = (model: typeof five) => right.filter((s) => confidenceOf(model, s.features) >= model.thresholds['0.99']!).length;
    expect(answered(alone)).toBeLessThan(20);
    expect(answered(five)).toBeGreaterThan(150);
    expect(answered(five)).toBeGreaterThanOrEqual(answered(lucky) - 10);
  }, 30_000);

  it('ends the precision search at a dip only once enough answers are in to measure it (100 at 99 %)', () => {
    // One wrong answer among the 60 most confident: 98.3 % there, but 99.5 % over the first 200.
    const oneEarly = draw([at(0.85, false)]);
    const model = fitOverDraws([oneEarly], { precisionOver: 'in_scope' });
    const answered = right.filter((s) => confidenceOf(model, s.features) >= model.thresholds['0.99']!).length;
    expect(answered).toBeGreaterThan(150);
  });
});

// A small knowledge base of distinct topics, each with example questions built from its own words.
const topics = [
  ['card', 'arrive', 'deliver', 'post', 'mail'],
  ['password', 'reset', 'forgot', 'login', 'sign'],
  ['refund', 'money', 'back', 'return', 'reimburse'],
  ['invoice', 'receipt', 'billing', 'tax', 'document'],
  ['shipping', 'cost', 'fee', 'postage', 'charge'],
  ['account', 'close', 'delete', 'terminate', 'remove'],
  ['address', 'change', 'move', 'update', 'street'],
];
const frames = [
  'how do i {a} my {b}',
  'my {b} will not {a}',
  'can you help with {b} {c}',
  'what about the {c} {b}',
  '{a} {b} {c} please',
  'question on {b} and {d}',
  'i need to {a} {d}',
  'is {c} possible for {b}',
  'why is my {b} {e}',
  'where is {d} {e}',
  'when will {b} {a}',
  'help {b} {d} {e}',
  '{e} {b} problem',
  'trouble with {c} {d}',
  'tell me about {b} {a}',
  '{d} {c} {e} now',
];
function knowledgeBase(questionsPerArticle: number): KnowledgeArticle[] {
  return topics.map(([b, a, c, d, e], i) => ({
    id: `article-${i}`,
    title: `${b} ${a}`,
    body: `Everything about your ${b}: how to ${a} it, ${c} and ${d}. If it is ${e}, contact us.`,
    locale: 'en',
    questions: frames
      .slice(0, questionsPerArticle)
      .map((frame) => frame.replace('{a}', a!).replace('{b}', b!).replace('{c}', c!).replace('{d}', d!).replace('{e}', e!)),
  }));
}

describe('a knowledge base calibrated on itself', () => {
  it('asks each example question held out of its own article, and other articles questions as near-misses', () => {
    const articles = knowledgeBase(4);
    const samples = knowledgeBaseSamples(articles, 'en', [], { folds: 4, questionsPerArticle: 16, negativesPerArticle: 2 });
    // 7 articles × 4 questions asked in scope; 7 × 2 asked against the knowledge base without their article.
    expect(samples.counts).toEqual({ articles: 7, examples: 28, negatives: 14, feedback: 0 });
    // Distinct topics: a held-out question still finds its article; a near-miss never "finds" one.
    expect(samples.inScope.every((sample) => sample.correct)).toBe(true);
    expect(samples.outOfScope.every((sample) => !sample.correct)).toBe(true);
    expect(samples.outOfScope.length).toBe(14);
  });

  it('adds customers verdicts: helpful on the right article is right, not helpful is wrong, an unknown article is dropped', () => {
    const articles = knowledgeBase(4);
    const samples = knowledgeBaseSamples(articles, 'en', [
      { question: 'how do i reset my password', articleId: 'article-1', helpful: true },
      { question: 'how do i reset my password', articleId: 'article-1', helpful: false },
      { question: 'refund money back', articleId: 'gone', helpful: true },
    ]);
    expect(samples.counts.feedback).toBe(2);
    expect(samples.inScope.slice(-2).map((sample) => sample.correct)).toEqual([true, false]);
  });

  it(`falls back to the shipped calibration below ${minimumExamples.questions} example questions`, () => {
    const few = knowledgeBase(8); // 7 × 8 = 56
    expect(hasEnoughExamples(few)).toBe(false);
    const fit = fitKnowledgeBaseCalibration(few, 'en');
    expect(fit.model).toBeNull();
    expect(fit.estimate).toBeNull();
    expect(fit.counts.examples).toBe(56);
  });

  it('fits a model with a threshold and its held-out estimate once there are enough, the same on every run', () => {
    const articles = knowledgeBase(16); // 7 × 16 = 112
    expect(hasEnoughExamples(articles)).toBe(true);
    const fit = fitKnowledgeBaseCalibration(articles, 'en');
    expect(fit.model).not.toBeNull();
    // Distinct questions over the draws: each draw asks 8 of an article's 16 as near-misses, other ones each time.
    expect(fit.counts).toEqual({ articles: 7, examples: 112, negatives: 112, feedback: 0 });
    expect(fit.estimate!.threshold).toBe(fit.model!.thresholds[calibratedPrecision]);
    expect(fit.estimate!.precision).toBeGreaterThanOrEqual(0.99);
    expect(fit.estimate!.nearMissAnswered).toBeLessThanOrEqual(0.05);
    expect(fit.estimate!.answered).toBeGreaterThan(0);
    expect(fitKnowledgeBaseCalibration(articles, 'en')).toEqual(fit);
  }, 30_000);

  it(`takes ${calibrationDraws} draws that ask other questions and leave other articles out together`, () => {
    const articles = knowledgeBase(16);
    const draws = knowledgeBaseDraws(articles, 'en', [], { draws: calibrationDraws, negativesPerArticle: 2 });
    expect(draws).toHaveLength(calibrationDraws);
    // The first draw is the single draw knowledgeBaseSamples takes.
    expect(draws[0]).toEqual(knowledgeBaseSamples(articles, 'en', [], { negativesPerArticle: 2 }));
    // Other near-miss questions in each draw (2 of 16 per article, shifted)...
    const asked = draws.map((draw) => [...new Set(draw.keys.outOfScope)].sort().join());
    expect(new Set(asked).size).toBe(calibrationDraws);
    // ... and, asking every question each time, other articles left out with a question's own.
    const all = knowledgeBaseDraws(articles, 'en', [], { draws: 2, negativesPerArticle: 16 });
    const features = (draw: (typeof all)[number]) => new Map(draw.keys.outOfScope.map((key, i) => [key, draw.outOfScope[i]!.features.join()]));
    const [first, second] = [features(all[0]!), features(all[1]!)];
    expect([...first.keys()].sort()).toEqual([...second.keys()].sort());
    expect([...first.keys()].some((key) => first.get(key) !== second.get(key))).toBe(true);
  });

  it('calibrates one locale at a time', () => {
    const articles = [...knowledgeBase(16), { id: 'zh-1', title: '退款', body: '退款说明', locale: 'zh-CN', questions: ['怎么退款', '退款多久到账'] }];
    expect(fitKnowledgeBaseCalibration(articles, 'en').counts.articles).toBe(7);
    expect(fitKnowledgeBaseCalibration(articles, 'zh-CN').model).toBeNull();
  }, 30_000);
});

describe('held-out examples the bot would ask about', () => {
  // Two twins that differ only in an opposite action (freeze / unfreeze), asked the same ways.
  const twin = (id: string, action: string): KnowledgeArticle => ({
    id,
    title: `${action} card`,
    body: `How to ${action} your card in the app: open cards, choose the card and tap ${action}.`,
    locale: 'en',
    questions: frames.map((frame) => frame.replace('{a}', action).replace('{b}', 'card').replace('{c}', 'app').replace('{d}', 'today').replace('{e}', 'stuck')),
  });
  const articles = [...knowledgeBase(16), twin('freeze', 'freeze'), twin('unfreeze', 'unfreeze')];

  it('leaves out the ones the decisive-term check turns into "A or B?" with their own article as A or B', () => {
    const samples = knowledgeBaseSamples(articles, 'en');
    expect(samples.clarified).toBeGreaterThan(0);
    // Every held-out example is either a sample or a question the bot asks instead of answering.
    expect(samples.counts.examples + samples.clarified).toBe(9 * 16);
    expect(samples.inScope).toHaveLength(samples.counts.examples);
    expect(samples.halves.inScope).toHaveLength(samples.counts.examples);
    // The other topics have no sibling: all of theirs stay.
    expect(knowledgeBaseSamples(knowledgeBase(16), 'en').clarified).toBe(0);
  });

  it('keeps a question whose two choices miss its article, as the wrong answer it is', () => {
    const hit = (articleId: string): RetrievalHit => ({ articleId, score: 0.5, passage: '', coverage: 1, information: 1 });
    const hits = [hit('freeze'), hit('unfreeze'), hit('lost')];
    expect(asksWithItsArticle(hits, hits[1], 'freeze')).toBe(true);
    expect(asksWithItsArticle(hits, hits[1], 'unfreeze')).toBe(true);
    expect(asksWithItsArticle(hits, hits[1], 'lost')).toBe(false);
    // No question asked: an answer, right or wrong.
    expect(asksWithItsArticle(hits, undefined, 'freeze')).toBe(false);
  });
});

describe('estimateFromCurve (the admin page, at any threshold)', () => {
  const curve = {
    inScope: [
      [0.99, 1],
      [0.95, 1],
      [0.9, 0],
      [0.8, 1],
      [0.5, 0],
    ] as [number, 0 | 1][],
    outOfScope: [0.92, 0.4, 0.1, 0.05],
  };

  it('counts the held-out questions answered, how many of those are right, and the near-misses answered', () => {
    expect(estimateFromCurve(curve, 0.95)).toEqual({ threshold: 0.95, answered: 2 / 5, precision: 1, nearMissAnswered: 0 });
    expect(estimateFromCurve(curve, 0.85)).toEqual({ threshold: 0.85, answered: 3 / 5, precision: 2 / 3, nearMissAnswered: 1 / 4 });
    expect(estimateFromCurve(curve, Infinity)).toEqual({ threshold: null, answered: 0, precision: 1, nearMissAnswered: 0 });
  });

  it('is cross-fitted: every held-out sample is scored, each by a model fitted on the other half of the articles', () => {
    const articles = knowledgeBase(16);
    const fit = fitKnowledgeBaseCalibration(articles, 'en');
    expect(fit.curve!.inScope).toHaveLength(fit.counts.examples);
    expect(fit.curve!.outOfScope).toHaveLength(fit.counts.negatives);
    // Samples are split by their article: 7 articles give halves of 4 and 3.
    const samples = knowledgeBaseSamples(articles, 'en');
    expect(samples.halves.inScope.filter((half) => half === 0)).toHaveLength(4 * 16);
    expect(samples.halves.inScope.filter((half) => half === 1)).toHaveLength(3 * 16);
    // Not the full model's own scores: those models never saw the samples they score.
    const full = samples.inScope.map((sample) => Math.round(confidenceOf(fit.model!, sample.features) * 1e4) / 1e4);
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    expect(sorted(fit.curve!.inScope.map(([confidence]) => confidence))).not.toEqual(sorted(full));
  });

  it('matches the estimate the fit reports at its own threshold', () => {
    const fit = fitKnowledgeBaseCalibration(knowledgeBase(16), 'en');
    const own = estimateFromCurve(fit.curve!, fit.estimate!.threshold!);
    expect(own.answered).toBeCloseTo(fit.estimate!.answered, 2);
    expect(own.precision).toBeCloseTo(fit.estimate!.precision, 2);
  });
});
