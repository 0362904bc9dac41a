// The patterns of `message.text matches <pattern>` conditions, run by RE2 (re2js, a pure
// JavaScript port): matching takes time linear in the text whatever the pattern, so no pattern an
// admin writes can stall a worker or a dry-run on a crafted customer message (issue 14). A
// backtracking engine with a blacklist of "dangerous shapes" was tried first; every blacklist
// missed some shape (`((a+))+$`, `(a|aa)+$`, `a*a*a*a*$`).
//
// Admins write the JavaScript syntax they know (docs/RULES.md), matched case-insensitively
// with Unicode, as `new RegExp(pattern, 'iu')` did. `toRe2Syntax` translates what RE2 spells
// differently (`\u00e9`, `\s`, `.`, `[^]`, `\p{Script=Han}`) so those keep their JavaScript
// meaning, and refuses with a clear reason what needs backtracking (backreferences, lookahead,
// lookbehind). Pure code: it runs in the API (validation, dry-run) and in the worker's matching.
import { RE2JS } from 're2js';

/** Longest pattern an admin may write. */
export const maxPatternLength = 200;
/**
 * Largest compiled program (RE2 instructions) a pattern may have. Matching costs about
 * text length × live instructions: `\p{L}{1000}` is 1,003 instructions and took 0.45 s on a
 * 10,000-character message here, so big counted repeats are refused; ordinary patterns
 * (`\b\d{4}([ -]?\d{4}){3}\b`, `refund|退款`) need a few dozen.
 */
export const maxProgramSize = 500;

/** Why a pattern cannot be used; the message is shown to the admin as is. */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

/** JavaScript's `\s`: Unicode white space and line terminators (RE2's `\s` is ASCII only). */
const whiteSpace: readonly (readonly [number, number])[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const hex = (codePoint: number) => `\\x{${codePoint.toString(16)}}`;
const rangeText = ([from, to]: readonly [number, number]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`);
const complement = (ranges: readonly (readonly [number, number])[]): [number, number][] => {
  const result: [number, number][] = [];
  let next = 0;
  for (const [from, to] of ranges) {
    if (from > next) result.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= 0x10ffff) result.push([next, 0x10ffff]);
  return result;
};
/** Class contents (without brackets), usable inside a class too. */
const spaceItems = whiteSpace.map(rangeText).join('');
const nonSpaceItems = complement(whiteSpace).map(rangeText).join('');
/** JavaScript's `.` without the `s` flag: anything but a line terminator (RE2's excludes `\n` only). */
const dot = '[^\\n\\r\\x{2028}\\x{2029}]';

const isHex = (text: string) => /^[0-9a-fA-F]+$/.test(text);

/**
 * The pattern in RE2's syntax with JavaScript's meaning (flags `iu`), or a PatternError saying
 * what is not supported. Only the syntax is translated here; RE2 itself then parses the result.
 */
export function toRe2Syntax(source: string): string {
  let out = '';
  let inClass = false;
  let i = 0;
  const fail = (message: string): never => {
    throw new PatternError(message);
  };
  /** A `\u` escape at `i` (pointing at the backslash): its code point and the index after it. */
  const unicodeEscape = (at: number): [number, number] => {
    if (source[at + 2] === '{') {
      const end = source.indexOf('}', at + 3);
      const digits = end < 0 ? '' : source.slice(at + 3, end);
      if (!isHex(digits) || Number.parseInt(digits, 16) > 0x10ffff) fail('\\u{…} must hold a hexadecimal code point up to 10FFFF');
      return [Number.parseInt(digits, 16), end + 1];
    }
    const digits = source.slice(at + 2, at + 6);
    if (digits.length !== 4 || !isHex(digits)) fail('\\u must be followed by four hexadecimal digits or {code point}');
    return [Number.parseInt(digits, 16), at + 6];
  };

  while (i < source.length) {
    const char = source[i]!;
    if (char === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new PatternError('a pattern must not end with a lone backslash');
      switch (next) {
        case 'u': {
          let [codePoint, after] = unicodeEscape(i);
          // A surrogate pair written as two escapes is one character, as in JavaScript with `u`.
          if (codePoint >= 0xd800 && codePoint <= 0xdbff && source.startsWith('\\u', after) && source[after + 2] !== '{') {
            const [low, afterLow] = unicodeEscape(after);
            if (low >= 0xdc00 && low <= 0xdfff) {
              codePoint = 0x10000 + ((codePoint - 0xd800) << 10) + (low - 0xdc00);
              after = afterLow;
            }
          }
          if (codePoint >= 0xd800 && codePoint <= 0xdfff) fail('a lone surrogate (\\uD800-\\uDFFF) matches no character');
          out += hex(codePoint);
          i = after;
          continue;
        }
        case 's':
          out += inClass ? spaceItems : `[${spaceItems}]`;
          break;
        case 'S':
          out += inClass ? nonSpaceItems : `[${nonSpaceItems}]`;
          break;
        case 'p':
        case 'P': {
          // JavaScript spells scripts \p{Script=Han}; RE2 spells them \p{Han}.
          const end = source[i + 2] === '{' ? source.indexOf('}', i + 3) : -1;
          if (end < 0) fail(`\\${next} must be followed by a property in braces, e.g. \\p{Han} or \\p{L}`);
          const property = source.slice(i + 3, end).replace(/^(?:Script|sc|General_Category|gc)=/, '');
          out += `\\${next}{${property}}`;
          i = end + 1;
          continue;
        }
        case 'c':
          fail('control escapes (\\cX) are not supported: write \\x{…} instead');
          break;
        case 'k':
          fail('backreferences (\\k<name>) are not supported: they need backtracking, which can take exponential time');
          break;
        case '0':
          if (/[0-9]/.test(source[i + 2] ?? '')) fail('octal escapes are not supported: write \\x{…} instead');
          out += hex(0);
          break;
        default:
          if (next >= '1' && next <= '9') fail(`backreferences (\\${next}) are not supported: they need backtracking, which can take exponential time`);
          // Letters are escapes only where JavaScript knows them (\d \w \b \n \x41 ...); RE2's own
          // (\A \z \Q…\E \C) are refused, so a pattern means one thing in both.
          if (/[A-Za-z]/.test(next) && !'dDwWbBnrtfvx'.includes(next)) fail(`\\${next} is not an escape JavaScript patterns have`);
          out += `\\${next}`;
      }
      i += 2;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char;
      i += 1;
      continue;
    }
    switch (char) {
      case '[':
        // JavaScript's [] matches nothing and [^] anything; RE2 reads a leading ] as a member.
        if (source.startsWith('[]', i)) {
          out += '[^\\x{0}-\\x{10ffff}]';
          i += 2;
          continue;
        }
        if (source.startsWith('[^]', i)) {
          out += '[\\x{0}-\\x{10ffff}]';
          i += 3;
          continue;
        }
        inClass = true;
        out += char;
        break;
      case '.':
        out += dot;
        break;
      case '(':
        if (source[i + 1] === '?') {
          const rest = source.slice(i + 2);
          if (/^<[=!]/.test(rest) || /^[=!]/.test(rest))
            fail('lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: RE2 matches in linear time without them');
          if (!rest.startsWith(':') && !/^<[A-Za-z_$]/.test(rest)) fail('only (…), (?:…) and (?<name>…) groups are supported');
        }
        out += char;
        break;
      default:
        out += char;
    }
    i += 1;
  }
  return out;
}

/**
 * The compiled pattern (case-insensitive, Unicode), or a PatternError: too long, not translatable,
 * refused by RE2 (its own message), or a program too large to match quickly.
 */
export function compilePattern(source: string): RE2JS {
  if (source.length > maxPatternLength) throw new PatternError(`must be at most ${maxPatternLength} characters`);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(toRe2Syntax(source), RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    if (error instanceof PatternError) throw error;
    throw new PatternError((error as Error).message.replace(/^error parsing regexp: /, ''));
  }
  if (compiled.programSize() > maxProgramSize) {
    throw new PatternError(
      `is too large to match quickly (${compiled.programSize()} steps, at most ${maxProgramSize}): use smaller counted repeats such as {1,50}`,
    );
  }
  return compiled;
}

/** Why the pattern cannot be used, or null when it can. */
export function patternProblem(source: string): string | null {
  try {
    compilePattern(source);
    return null;
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
}

const cache = new Map<string, RE2JS | PatternError>();

/**
 * Whether the pattern occurs in the text. A stored pattern that no longer compiles (accepted by
 * the JavaScript engine before RE2, e.g. a lookahead) matches nothing rather than failing every
 * rule; saving the rule again shows the admin why.
 */
export function patternMatches(source: string, text: string): boolean {
  let compiled = cache.get(source);
  if (!compiled) {
    try {
      compiled = compilePattern(source);
    } catch (error) {
      if (!(error instanceof PatternError)) throw error;
      compiled = error;
    }
    if (cache.size >= 1000) cache.clear();
    cache.set(source, compiled);
  }
  return compiled instanceof PatternError ? false : compiled.test(text);
}
