import { describe, expect, it } from 'vitest';
import { cosine, fuseRankings } from './embeddings.js';

describe('dense retrieval helpers', () => {
  it('cosine: 1 for the same direction, 0 for orthogonal or empty vectors', () => {
    expect(cosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });

  it('reciprocal rank fusion: found by both beats found by one; one side alone keeps its first place above the other side second places', () => {
    expect(
      fuseRankings([
        ['a', 'b', 'c'],
        ['c', 'd'],
      ]),
    ).toEqual(['c', 'a', 'b', 'd']);
    // Dense-only 'x' first there: it ties lexical first 'a' (1/61 each) and stays ahead of everything found once lower down.
    expect(
      fuseRankings([
        ['a', 'b'],
        ['x', 'y'],
      ]),
    ).toEqual(['a', 'x', 'b', 'y']);
  });
});
