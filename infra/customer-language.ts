// The language the server writes to a customer in (the bot's questions, its clarifying question,
// the apology before a person takes over): English, or Chinese in the script the customer writes.
// A customer in Taiwan or Hong Kong who writes 我的訂單到哪了 is answered in Traditional characters;
// the texts are written once in Simplified and converted by OpenCC, as the console's zh-TW table is
// (console/src/i18n/messages-zh-tw.ts). When the message's characters are the same in both scripts
// (我的包裹呢), the widget's locale (the customer's, zh-TW / zh-HK / zh-Hant) decides.
import { detectLanguage } from '../domain/classification.js';
import { simplifiedChinese, traditionalChinese } from './chinese-text.js';

export type CustomerLanguage = 'en' | 'zh-CN' | 'zh-TW';

/** Characters of `text` that `converted` no longer has: how much a conversion changed it. */
const changedBy = (text: string, converted: string) => [...text].filter((character) => !converted.includes(character)).length;

/** The script Chinese text is written in: the one converting to the other changes more; null when nothing tells them apart. */
export function chineseScriptOf(text: string): 'simplified' | 'traditional' | null {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).join('');
  if (!han) return null;
  const traditional = changedBy(han, simplifiedChinese(han));
  const simplified = changedBy(han, traditionalChinese(han));
  return traditional > simplified ? 'traditional' : simplified > traditional ? 'simplified' : null;
}

/** A language tag of Traditional Chinese readers: zh-TW, zh-HK, zh-MO, zh-Hant(-…). */
export const traditionalLocale = (tag: string): boolean => /^zh[-_](tw|hk|mo|hant)\b/i.test(tag.trim());

/** The language to write in to someone known by their locale only (an admin's, a visitor's widget): English unless it is Chinese. */
export function languageOfLocale(locale: string | null | undefined): CustomerLanguage {
  if (!locale || !/^zh(?:[-_]|$)/i.test(locale.trim())) return 'en';
  return traditionalLocale(locale) ? 'zh-TW' : 'zh-CN';
}

/** The language to write to a customer who wrote `text` (their first message), with the widget's `locale` when known. */
export function customerLanguage(text: string, locale?: string | null): CustomerLanguage {
  if (detectLanguage(text) !== 'zh-CN') return 'en';
  const script = chineseScriptOf(text);
  if (script) return script === 'traditional' ? 'zh-TW' : 'zh-CN';
  return locale && traditionalLocale(locale) ? 'zh-TW' : 'zh-CN';
}

/** A server text in the customer's language: `write` gives English or Simplified, Traditional is converted from it. */
export function inCustomerLanguage(language: CustomerLanguage, write: (language: 'en' | 'zh-CN') => string): string {
  return language === 'zh-TW' ? traditionalChinese(write('zh-CN')) : write(language);
}
