// What a screen says when a request fails: the server's own message when it answered, "could not
// reach the server" when it did not. Every screen and the widget word it the same way.
import type { Translate } from '../i18n/create-i18n';
import type { MessageKey } from '../i18n/messages-en';
import { ApiError } from './http';

/**
 * `otherwise`: the text for a failure that is not an ApiError (a bug, an aborted request); some
 * screens call any such failure a network problem, the rest a generic one.
 */
export function errorText(cause: unknown, t: Translate, otherwise: MessageKey = 'error.generic'): string {
  if (cause instanceof ApiError) return cause.status === 0 ? t('error.network') : cause.message;
  return t(otherwise);
}
