import { describe, expect, it } from 'vitest';
import { searchSnippet, snippetParts } from './search-snippet.js';

const marked = (text: string, variants: string[], length?: number) => {
  const snippet = searchSnippet(text, variants, length);
  return (
    snippet &&
    snippetParts(snippet)
      .map((part) => (part.match ? `[${part.text}]` : part.text))
      .join('')
  );
};

describe('searchSnippet', () => {
  it('marks every match, case-insensitively, in a short text shown whole', () => {
    expect(marked('Refund for order 42, the REFUND never came', ['refund'])).toBe('[Refund] for order 42, the [REFUND] never came');
  });

  it('cuts a long text around the first match, with ellipses, and keeps the ranges on the cut text', () => {
    const text = `${'a'.repeat(100)} the parcel was lost ${'b'.repeat(100)}`;
    const snippet = searchSnippet(text, ['parcel'], 60)!;
    expect(snippet.text.startsWith('…')).toBe(true);
    expect(snippet.text.endsWith('…')).toBe(true);
    expect(snippet.highlights).toHaveLength(1);
    expect(snippet.text.slice(snippet.highlights[0]!.start, snippet.highlights[0]!.end)).toBe('parcel');
    expect(snippet.text.length).toBeLessThanOrEqual(62);
  });

  it('finds Chinese as a substring, in either script given as variants', () => {
    expect(marked('我的包裹被盜了，請幫忙', ['被盗', '被盜'])).toBe('我的包裹[被盜]了，請幫忙');
    expect(marked('我的包裹被盗了', ['被盗'])).toBe('我的包裹[被盗]了');
  });

  it('shows whitespace runs as one space and takes regular-expression characters literally', () => {
    expect(marked('line one\n\n  cost (a+b)?', ['(a+b)?'])).toBe('line one cost [(a+b)?]');
  });

  it('is null when nothing matches or the query is only spaces', () => {
    expect(searchSnippet('hello there', ['absent'])).toBeNull();
    expect(searchSnippet('hello there', ['   '])).toBeNull();
  });

  it('never cuts a character outside the Basic Multilingual Plane in half', () => {
    const text = `${'😀'.repeat(60)}needle${'😀'.repeat(60)}`;
    const snippet = searchSnippet(text, ['needle'], 30)!;
    expect(snippet.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(snippet.text.slice(snippet.highlights[0]!.start, snippet.highlights[0]!.end)).toBe('needle');
  });
});

describe('snippetParts', () => {
  it('skips ranges that overlap or fall outside the text', () => {
    expect(
      snippetParts({
        text: 'abcdef',
        highlights: [
          { start: 1, end: 3 },
          { start: 2, end: 4 },
          { start: 5, end: 9 },
        ],
      }),
    ).toEqual([
      { text: 'a', match: false },
      { text: 'bc', match: true },
      { text: 'def', match: false },
    ]);
  });
});
