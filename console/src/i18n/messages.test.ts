import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countOf } from './counts';
import { createConsoleI18n, translatorOf } from './create-i18n';
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

  // Issue 21: "1 days". A count before a noun in English needs both forms; Chinese has one.
  const countBeforeNoun = /\{(count|n|days|hours|minutes|conversations|tickets|events|matches)\} [a-z]+s\b/;

  it('gives every English message that puts a count before a noun its singular and plural forms', () => {
    const single = [...english].filter(([, text]) => countBeforeNoun.test(text) && !text.includes(' | '));
    expect(single.map(([key]) => key)).toEqual([]);
  });

  it('keeps Chinese messages to one form: no plural forms', () => {
    expect([...chinese].filter(([, text]) => text.includes(' | ')).map(([key]) => key)).toEqual([]);
  });

  it('picks the form by the count: one for 1, the other for 0 and 2; Chinese the same for any count', () => {
    const en = translatorOf(createConsoleI18n('en'));
    const zh = translatorOf(createConsoleI18n('zh-CN'));
    expect([0, 1, 2].map((n) => countOf(en, 'conversations', n))).toEqual(['0 conversations', '1 conversation', '2 conversations']);
    expect([1, 3].map((n) => countOf(en, 'times', n))).toEqual(['1 time', '3 times']);
    expect([1, 2].map((n) => countOf(zh, 'tickets', n))).toEqual(['1 个工单', '2 个工单']);
    expect(en('reports.ratings', { count: '1' }, 1)).toBe('1 rating');
    expect(en('team.signedOut', { name: 'Lina', count: 1 }, 1)).toBe('Lina was signed out of 1 session.');
    expect(en('team.signedOut', { name: 'Lina', count: 3 }, 3)).toBe('Lina was signed out of 3 sessions.');
    const summary = en('rules.dryRun.summary', {
      events: countOf(en, 'events', 1),
      conversations: countOf(en, 'conversations', 1),
      tickets: countOf(en, 'tickets', 0),
    });
    expect(summary).toBe('Replayed 1 event of 1 conversation and 0 tickets.');
    const zhSummary = zh('rules.dryRun.summary', {
      events: countOf(zh, 'events', 5),
      conversations: countOf(zh, 'conversations', 3),
      tickets: countOf(zh, 'tickets', 2),
    });
    expect(zhSummary).toBe('已重放 3 个会话和 2 个工单的 5 个事件。');
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
