// The password policy for every password a person chooses (invite, reset, change, first admin):
// long enough, and not guessable. Guessable is judged by zxcvbn (the maintained TypeScript port):
// its dictionary holds the common-password lists, names and words, and it sees keyboard walks,
// repeats, dates and l33t spellings, so "Password123!" fails although it passes composition rules,
// which NIST SP 800-63B advises against in favour of exactly this check.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

export const passwordMinLength = 10;
export const passwordMaxLength = 1024;
/** zxcvbn's score 0–4; 3 means "safely unguessable: moderate protection from offline attacks". */
const minimumScore = 3;

export type PasswordProblem = 'password_too_short' | 'password_too_long' | 'password_too_common';

let checker: ZxcvbnFactory | undefined;

/**
 * Null when the password may be used, else why not. `personal` are the person's own words (email,
 * name): a password built from them is as guessable as a common one.
 */
export function passwordProblem(password: string, personal: readonly string[] = []): PasswordProblem | null {
  if ([...password].length < passwordMinLength) return 'password_too_short';
  if (password.length > passwordMaxLength) return 'password_too_long';
  checker ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  const words = personal.flatMap((value) => value.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((word) => word.length >= 3);
  return checker.check(password, [...words, 'seamless']).score < minimumScore ? 'password_too_common' : null;
}
