// A count before its noun ("1 conversation", "2 conversations"; "2 个会话" in Chinese, which has
// one form): the `counts` messages, picked by vue-i18n's plural forms. Longer messages with more
// than one count take these as their parameters, since a message picks its form by one count.
import type { Translate } from './create-i18n';
import type { en } from './messages-en';

export type CountNoun = keyof (typeof en)['counts'];

export function countOf(t: Translate, noun: CountNoun, count: number): string {
  return t(`counts.${noun}`, { count }, count);
}
