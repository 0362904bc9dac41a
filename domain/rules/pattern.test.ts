import { describe, expect, it } from 'vitest';
import { compilePattern, maxProgramSize, patternMatches, patternProblem, PatternError, toRe2Syntax } from './pattern.js';

describe('rule patterns run in linear time (RE2)', () => {
  // The shapes an earlier blacklist let through (issue 14): with a backtracking engine each of
  // these takes exponential time on a run of "a" that does not match at the end; a 29-character
  // message took 16 s. The results are JavaScript's; RE2 gets them without backtracking.
  const adversarial = `${'a'.repeat(10_000)}!`;
  it.each([
    ['((a+))+$', false],
    ['(a|aa)+$', false],
    ['(\\w|\\d)+$', false],
    ['(a|a?)+$', true],
    ['a*a*a*a*a*a*$', true],
    ['(a+)+$', false],
    ['(.*a){20}$', false],
  ])('%s on a 10,000-character adversarial message answers %s', (pattern, expected) => {
    expect(patternProblem(pattern)).toBeNull();
    expect(patternMatches(pattern, adversarial)).toBe(expected);
  });
});

describe('rule patterns keep their JavaScript meaning (flags i and u)', () => {
  // Each row is checked against `new RegExp(pattern, 'iu')`, the engine rules used before.
  it.each([
    ['退(款|钱)', '我要退款'],
    ['^refund', 'Refund please'],
    ['^refund', 'a refund'],
    ['\\bcard\\b', 'My CARD was stolen'],
    ['\\bcard\\b', 'cardboard'],
    ['straße', 'STRAßE'],
    ['ärger', 'ÄRGER'],
    ['σ', 'ΟΔΟΣ'],
    ['σ', 'λόγος'],
    ['k', '\u212a'],
    ['привет', 'ПРИВЕТ'],
    ['\\d{4}([ -]?\\d{4}){3}', 'card 4111 1111 1111 1111'],
    ['a\\sb', 'a\u3000b'],
    ['a\\sb', 'a\u00a0b'],
    ['a\\Sb', 'a\u3000b'],
    ['a[\\s\\S]b', 'a\nb'],
    ['a[^\\S]b', 'a\u2003b'],
    ['a.b', 'a\rb'],
    ['a.b', 'a\u2028b'],
    ['a.b', 'a😀b'],
    ['^.$', '😀'],
    ['a[^]b', 'a\nb'],
    ['a[]b', 'ab'],
    ['\\u00e9t\\u00E9', 'ÉTÉ'],
    ['\\u{1F600}', 'hi 😀'],
    ['\\uD83D\\uDE00', 'hi 😀'],
    ['\\p{Script=Han}{2}', '退款'],
    ['\\p{sc=Han}', 'refund'],
    ['\\p{L}+\\p{N}', '订单12'],
    ['\\x41', 'a'],
    ['(?<order>#\\d+)', 'order #123'],
    ['[\\u4e00-\\u9fff]+', '中文'],
    ['a\\/b', 'a/b'],
    ['colou?r', 'COLOR'],
    ['$', ''],
  ])('%s on %j', (pattern, text) => {
    expect(patternProblem(pattern)).toBeNull();
    expect(patternMatches(pattern, text)).toBe(new RegExp(pattern, 'iu').test(text));
  });
});

describe('patterns RE2 cannot run are refused with the reason', () => {
  it.each([
    ['(退款)\\1', 'backreferences'],
    ['(?<x>a)\\k<x>', 'backreferences'],
    ['refund(?=now)', 'lookahead'],
    ['refund(?!now)', 'lookahead'],
    ['(?<=my )card', 'lookahead and lookbehind'],
    ['(?<!my )card', 'lookahead and lookbehind'],
    ['\\cA', 'control escapes'],
    ['(?i)x', 'groups are supported'],
    ['\\Qa.b\\E', 'not an escape'],
    ['\\u12', 'four hexadecimal digits'],
    ['\\p{Letter}', 'invalid character class range'],
    ['退款(', 'missing closing )'],
    ['a{1001}', 'invalid repeat count'],
    ['\\p{L}{600}', `at most ${maxProgramSize}`],
    ['x'.repeat(201), 'at most 200 characters'],
    ['a\\', 'lone backslash'],
  ])('%s: %s', (pattern, reason) => {
    expect(patternProblem(pattern)).toContain(reason);
    expect(() => compilePattern(pattern)).toThrow(PatternError);
  });

  it('a stored pattern that no longer compiles matches nothing instead of failing the rules', () => {
    expect(patternMatches('refund(?=now)', 'refund now')).toBe(false);
  });

  it('translates only syntax: JavaScript spellings become RE2 spellings', () => {
    expect(toRe2Syntax('\\u00e9\\p{Script=Han}')).toBe('\\x{e9}\\p{Han}');
    expect(toRe2Syntax('[.]')).toBe('[.]');
  });
});
