import { describe, expect, it } from 'vitest';
import {
  applyIsotonic,
  chooseThreshold,
  outOfScopeThreshold,
  confidenceFeatures,
  confidenceOf,
  fitCalibration,
  fitIsotonic,
  type CalibrationSample,
} from './confidence.js';

/** Synthetic rankings where a higher top score is more often right (deterministic). */
function seededSamples(n: number): CalibrationSample[] {
  let state = 42;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, () => {
    const top = random();
    const second = top * random();
    return {
      features: confidenceFeatures([
        { score: top, coverage: random(), information: 1 },
        { score: second, coverage: 0.5, information: 1 },
      ]),
      correct: random() < top,
    };
  });
}

describe('calibration', () => {
  const model = fitCalibration(seededSamples(400));

  it('is monotonic: a stronger top hit never gets a lower confidence', () => {
    let previous = -1;
    for (let top = 0; top <= 1.0001; top += 0.05) {
      const value = confidenceOf(
        model,
        confidenceFeatures([
          { score: top, coverage: 0.8, information: 1 },
          { score: top / 2, coverage: 0.5, information: 1 },
        ]),
      );
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
    expect(previous).toBeGreaterThan(0.8);
  });

  it('fits a non-decreasing isotonic map and interpolates it', () => {
    const fitted = fitIsotonic([
      { x: 1, y: 0 },
      { x: 2, y: 1 },
      { x: 3, y: 0 },
      { x: 4, y: 1 },
    ]);
    expect(fitted.y).toEqual([0, 0.5, 1]);
    expect(applyIsotonic(fitted, 0)).toBe(0);
    expect(applyIsotonic(fitted, 10)).toBe(1);
  });

  it('survives a JSON round trip', () => {
    const loaded = JSON.parse(JSON.stringify(model)) as typeof model;
    const features = confidenceFeatures([{ score: 0.6, coverage: 0.9, information: 1 }]);
    expect(confidenceOf(loaded, features)).toBe(confidenceOf(model, features));
  });

  it('chooses the lowest threshold that keeps the precision', () => {
    const scored = [0.99, 0.95, 0.9, 0.8, 0.7].map((confidence, i) => ({ confidence, correct: i !== 4 }));
    expect(chooseThreshold(scored, 0.95)).toBe(0.8);
    expect(chooseThreshold([{ confidence: 0.9, correct: false }], 0.95)).toBe(Infinity);
  });

  it('answers out-of-scope questions at a rate that stays under the share even after sampling error', () => {
    const confidences = (n: number) => Array.from({ length: n }, (_, i) => ({ confidence: (i + 0.5) / n }));
    const answered = (outOfScope: { confidence: number }[], share: number) => {
      const threshold = outOfScopeThreshold(outOfScope, share);
      return outOfScope.filter((s) => s.confidence >= threshold).length;
    };
    // 5 % of 200 would be 10; seen 4 times, the rate is below 5 % with 95 % confidence.
    expect(answered(confidences(200), 0.05)).toBe(4);
    expect(answered(confidences(1000), 0.05)).toBe(38);
    // Too few questions to vouch for any answer.
    expect(answered(confidences(10), 0.05)).toBe(0);
    expect(outOfScopeThreshold([{ confidence: 1 }], 0.05)).toBe(Infinity);
    expect(outOfScopeThreshold([], 0.05)).toBe(0);
  });
});
