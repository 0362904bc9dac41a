import { describe, expect, it } from 'vitest';
import { jsonDepth } from './body-depth.js';

describe('jsonDepth', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(jsonDepth('text')).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: null }] })).toBe(3);
  });

  it('stops counting past the limit, so 10,000 levels cost no more than the limit', () => {
    const deep = JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)) as unknown;
    expect(jsonDepth(deep, 32)).toBe(33);
  });
});
