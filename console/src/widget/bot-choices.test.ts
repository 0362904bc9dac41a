import { describe, expect, it } from 'vitest';
import { botAnswerOf } from '../shared/wire-types';
import { chosenChoice } from './bot-choices';

const choices = [
  { id: 'a', title: '星贷如何还款', slug: 'xingdai-repay', locale: 'zh-CN', answer: '星贷每期在还款日自动扣款。' },
  { id: 'b', title: '星付如何还款', slug: 'xingfu-repay', locale: 'zh-CN', answer: '星付每月 10 日出账。' },
];

describe('chosenChoice', () => {
  it('gives the answer of the article the customer chose, and nothing before a choice or for an unknown one', () => {
    const message = { authorKind: 'bot' as const, metadata: { kind: 'bot_answer' as const, citations: choices, choices } };
    expect(chosenChoice(botAnswerOf(message), 'b')?.answer).toBe('星付每月 10 日出账。');
    expect(chosenChoice(botAnswerOf(message), undefined)).toBeNull();
    expect(chosenChoice(botAnswerOf(message), 'elsewhere')).toBeNull();
    expect(chosenChoice(botAnswerOf({ authorKind: 'bot', metadata: { kind: 'bot_answer', citations: [] } }), 'a')).toBeNull();
  });
});
