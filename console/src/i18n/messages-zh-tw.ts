// Traditional Chinese (zh-TW) is the Simplified table converted by OpenCC (Taiwan standard with
// its own words: 设置 → 設定, 软件 → 軟體), not a third table to keep in step by hand. The
// converter's dictionary is about a megabyte, so it is loaded (a separate chunk) only when someone
// picks Traditional; until then the Simplified table shows (the fallback in create-i18n.ts).
import { zhCN } from './messages-zh-cn';

type Convert = (text: string) => string;
let convert: Convert | null = null;
let loading: Promise<Convert> | null = null;

/** Loads the converter once; later calls share the first load. */
export function loadTraditionalConverter(): Promise<Convert> {
  loading ??= import('opencc-js/cn2t').then(({ Converter }) => (convert = Converter({ from: 'cn', to: 'twp' })));
  return loading;
}

/** The text in Traditional characters once the converter is loaded; before that, as it is. */
export function traditional(text: string): string {
  return convert ? convert(text) : text;
}

/** Every string of a message table converted; placeholders ({name}) and plural bars are ASCII and stay. */
function convertTable<T>(table: T, to: Convert): T {
  if (typeof table === 'string') return to(table) as T;
  if (table === null || typeof table !== 'object') return table;
  return Object.fromEntries(Object.entries(table).map(([key, value]) => [key, convertTable(value, to)])) as T;
}

/** The zh-TW table: the zh-CN one in Traditional characters. */
export async function traditionalMessages(): Promise<typeof zhCN> {
  return convertTable(zhCN, await loadTraditionalConverter());
}
