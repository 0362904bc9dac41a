import { describe, expect, it } from 'vitest';
import { createConsoleI18n, translatorOf } from '../i18n/create-i18n';
import { en } from '../i18n/messages-en';
import { zhCN } from '../i18n/messages-zh-cn';
import { actionParams, conditionFieldNames, fieldSpec, triggerParams } from './rule-draft';
import {
  actionLabel,
  anchorLabel,
  dryRunDayChoices,
  dryRunDaysLabel,
  fieldLabel,
  opLabel,
  outcomeLabel,
  paramLabel,
  paramOptionLabel,
  topicLabel,
  triggerLabel,
  unitLabel,
  valueLabel,
} from './rule-labels';
import { actionTypes, intents, timeAnchors, timeUnits, triggerKinds } from './rule-types';

/** A Translate that looks keys up in a table and fails on a missing one. */
function lookup(table: object) {
  const missing: string[] = [];
  const t = (key: string) => {
    const found = key
      .split('.')
      .reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), table);
    if (typeof found !== 'string') missing.push(key);
    return String(found);
  };
  return { t, missing };
}

describe('rule labels', () => {
  for (const [language, table] of [
    ['en', en],
    ['zh-CN', zhCN],
  ] as const) {
    it(`names every field, operator, option, trigger and action in ${language}`, () => {
      const { t, missing } = lookup(table);
      for (const field of conditionFieldNames) {
        fieldLabel(t, field);
        const spec = fieldSpec(field);
        for (const { op } of spec.ops) opLabel(t, op);
        for (const option of spec.options ?? []) valueLabel(t, field, option);
      }
      for (const on of triggerKinds) triggerLabel(t, on);
      expect(Object.keys(triggerParams).sort()).toEqual([...triggerKinds].sort());
      for (const anchor of timeAnchors) anchorLabel(t, anchor);
      for (const unit of timeUnits) unitLabel(t, unit);
      for (const type of actionTypes) {
        actionLabel(t, type);
        for (const param of actionParams[type]) {
          paramLabel(t, param.name);
          for (const option of param.options ?? []) paramOptionLabel(t, param, option);
        }
      }
      for (const status of ['done', 'failed', 'skipped', 'pending'] as const) outcomeLabel(t, status);
      for (const topic of intents) topicLabel(t, topic);
      expect(missing).toEqual([]);
    });
  }

  it('shows values without a table as they are', () => {
    const { t } = lookup(en);
    expect(valueLabel(t, 'tags', 'refund')).toBe('refund');
    expect(valueLabel(t, 'priority', 'urgent')).toBe('Urgent');
  });

  it('names the topics (and the skills of the same name) in Chinese; other skills as typed', () => {
    const { t } = lookup(zhCN);
    expect(topicLabel(t, 'general')).toBe('一般');
    expect(topicLabel(t, 'billing')).toBe('账单');
    expect(valueLabel(t, 'message.intent', 'cards')).toBe('银行卡');
    expect(topicLabel(t, 'mortgages')).toBe('mortgages');
  });

  it('says "1 day" but "7 days" in the dry-run period menu, in both languages', () => {
    const english = translatorOf(createConsoleI18n('en'));
    const chinese = translatorOf(createConsoleI18n('zh-CN'));
    expect(dryRunDayChoices.map((days) => dryRunDaysLabel(english, days))).toEqual(['1 day', '7 days', '30 days', '90 days']);
    expect(dryRunDayChoices.map((days) => dryRunDaysLabel(chinese, days))).toEqual(['1 天', '7 天', '30 天', '90 天']);
  });

  it('names a time unit in the form for the amount beside it: "1 hour", "2 hours"; Chinese has one form', () => {
    const english = translatorOf(createConsoleI18n('en'));
    const chinese = translatorOf(createConsoleI18n('zh-CN'));
    expect([1, 2, 0, Number.NaN].map((amount) => unitLabel(english, 'hours', amount))).toEqual(['hour', 'hours', 'hours', 'hours']);
    expect(unitLabel(english, 'business_hours', 1)).toBe('business hour');
    expect(unitLabel(english, 'minutes')).toBe('minutes');
    expect([1, 5].map((amount) => unitLabel(chinese, 'minutes', amount))).toEqual(['分钟', '分钟']);
  });
});
