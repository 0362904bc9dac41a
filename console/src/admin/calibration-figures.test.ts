import { describe, expect, it } from 'vitest';
import { coverageShare, percent } from './calibration-figures';

describe('calibration figures', () => {
  it('gives the share of first messages answered, 0 without any', () => {
    expect(coverageShare({ firstMessages: 200, wouldAnswer: 50 })).toBe(0.25);
    expect(coverageShare({ firstMessages: 0, wouldAnswer: 0 })).toBe(0);
  });

  it('shows whole percentages, with one decimal below 10 % so a few answers are not 0 %', () => {
    expect(percent(0.874)).toBe('87 %');
    expect(percent(0.004)).toBe('0.4 %');
    expect(percent(0)).toBe('0 %');
    expect(percent(1)).toBe('100 %');
  });
});
