import { describe, expect, it } from 'vitest';
import { costOf, parsePriceTable } from './prices.js';

describe('the AI price table', () => {
  const prices = parsePriceTable('{"gpt-4o-mini":{"input":0.15,"output":0.6},"gpt-4o":{"input":2.5,"output":10}}');

  it('prices a call per 1K prompt and completion tokens', () => {
    expect(costOf(prices, 'gpt-4o-mini', 2000, 500)).toBe(0.6);
    expect(costOf(prices, 'gpt-4o', 1000, 1000)).toBe(12.5);
  });

  it('matches a dated model version to its entry, the longest first', () => {
    expect(costOf(prices, 'gpt-4o-mini-2024-07-18', 1000, 0)).toBe(0.15);
    expect(costOf(prices, 'gpt-4o-2024-08-06', 1000, 0)).toBe(2.5);
  });

  it('gives null, not 0, for a model the table does not name', () => {
    expect(costOf(prices, 'llama-3-8b', 1000, 1000)).toBeNull();
    expect(costOf({}, 'gpt-4o-mini', 1000, 1000)).toBeNull();
  });

  it('refuses a table that is not JSON or not prices', () => {
    expect(() => parsePriceTable('gpt-4o-mini=0.15')).toThrow(/must be JSON/);
    expect(() => parsePriceTable('{"gpt-4o-mini":{"input":-1,"output":0.6}}')).toThrow(/gpt-4o-mini\.input/);
    expect(() => parsePriceTable('{"gpt-4o-mini":{"input":1}}')).toThrow(/output/);
  });
});
