// The account pages' refusals in the reader's language: the API's codes for a wrong password, a
// weak one, a wrong or reused code, a lock; anything else as the server words it.
import type { Translate } from '../i18n/create-i18n';
import type { MessageKey } from '../i18n/messages-en';
import { errorText } from '../shared/error-text';
import { ApiError } from '../shared/http';

const known: Record<string, MessageKey> = {
  wrong_password: 'account.error.wrongPassword',
  password_too_short: 'account.error.tooShort',
  password_too_common: 'account.error.tooCommon',
  password_too_long: 'account.error.tooLong',
  password_unchanged: 'account.error.unchanged',
  invalid_code: 'account.error.invalidCode',
  code_already_used: 'account.error.codeUsed',
  account_locked: 'account.error.locked',
  challenge_expired: 'account.error.challengeExpired',
  two_factor_enforced: 'account.error.enforced',
};

export function accountErrorText(cause: unknown, t: Translate): string {
  if (cause instanceof ApiError && Object.hasOwn(known, cause.code)) return t(known[cause.code]!);
  return errorText(cause, t);
}
