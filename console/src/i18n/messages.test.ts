import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConsoleI18n } from './create-i18n';
import { en } from './messages-en';
import { zhCN } from './messages-zh-cn';

/** Every dotted key of a nested table with its string. */
function leaves(table: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of leaves(value as object, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

// Each name once: a message with plural forms ('{days} day | {days} days') repeats them.
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

const english = leaves(en);
const chinese = leaves(zhCN);

describe('message tables', () => {
  it('has a non-empty Chinese string for every English key, and no key English lacks', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of chinese) expect(text.trim(), key).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, text] of english) expect(placeholders(chinese.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  describe('compiled by vue-i18n', () => {
    let warnings: unknown[] = [];
    beforeEach(() => {
      warnings = [];
      vi.spyOn(console, 'warn').mockImplementation((...args) => void warnings.push(args));
      vi.spyOn(console, 'error').mockImplementation((...args) => void warnings.push(args));
    });
    afterEach(() => vi.restoreAllMocks());

    for (const locale of ['en', 'zh-CN'] as const) {
      it(`renders every ${locale} message with its placeholders filled and nothing left over`, () => {
        const { t } = createConsoleI18n(locale, { warn: true }).global;
        const table = locale === 'en' ? english : chinese;
        for (const [key, text] of table) {
          const params = Object.fromEntries(placeholders(text).map((name) => [name, `<${name}>`]));
          const shown = t(key, params);
          expect(shown, key).not.toBe(key);
          expect(shown, key).not.toMatch(/[{}]/);
          for (const name of Object.keys(params)) expect(shown, key).toContain(`<${name}>`);
        }
        expect(warnings).toEqual([]);
      });
    }
  });
});
