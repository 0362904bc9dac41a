import { describe, expect, it } from 'vitest';
import { createConsoleI18n, translatorOf } from './create-i18n';
import { zhCN } from './messages-zh-cn';
import { traditional, traditionalMessages } from './messages-zh-tw';

/** Every string of a table with its dotted key. */
function strings(table: unknown, prefix = ''): [string, string][] {
  if (typeof table === 'string') return [[prefix, table]];
  return Object.entries(table as Record<string, unknown>).flatMap(([key, value]) => strings(value, prefix ? `${prefix}.${key}` : key));
}

describe('the Traditional Chinese table', () => {
  it('has every key of the Simplified one, each with the same placeholders and plural forms', async () => {
    const simplified = new Map(strings(zhCN));
    const converted = strings(await traditionalMessages());
    expect(converted.map(([key]) => key)).toEqual([...simplified.keys()]);
    const shape = (text: string) => [...text.matchAll(/\{[^}]*\}|\|/g)].map(([token]) => token);
    for (const [key, text] of converted) expect(shape(text), key).toEqual(shape(simplified.get(key)!));
  });

  it('reads in Traditional characters and Taiwan words', async () => {
    const i18n = createConsoleI18n('zh-TW');
    i18n.global.setLocaleMessage('zh-TW', await traditionalMessages());
    const t = translatorOf(i18n);
    expect(zhCN.header.language).toBe('语言');
    expect(t('header.language')).toBe('語言');
    expect(t('header.logout')).toBe('退出登入');
    expect(traditional('软件设置')).toBe('軟體設定');
  });
});
