import { describe, expect, it } from 'vitest';
import { allButOneQuery, allWordsQuery, anyWordQuery, maxAllButOneWords } from './candidate-queries.js';

describe('candidate queries', () => {
  it('quotes each word for any word and for every word', () => {
    expect(anyWordQuery(['card', '退款'])).toBe("'card' | '退款'");
    expect(allWordsQuery(['card', '退款'])).toBe("'card' & '退款'");
  });

  it('drops quotes and backslashes, so a word cannot break out of its quotes', () => {
    expect(anyWordQuery(["it's", 'a\\b'])).toBe("'its' | 'ab'");
  });

  it('spells "every word but one" as one conjunction per left-out word', () => {
    expect(allButOneQuery(['a1', 'b2', 'c3'])).toBe("('b2' & 'c3') | ('a1' & 'c3') | ('a1' & 'b2')");
  });

  it('has no "every word but one" for fewer than three words or more than the maximum', () => {
    expect(allButOneQuery(['a1', 'b2'])).toBeNull();
    expect(allButOneQuery(Array.from({ length: maxAllButOneWords }, (_, n) => `w${n}`))).not.toBeNull();
    expect(allButOneQuery(Array.from({ length: maxAllButOneWords + 1 }, (_, n) => `w${n}`))).toBeNull();
  });
});
