import { describe, expect, it } from 'vitest';
import { matchBotAction } from './bot-actions.js';

const order = { id: 'order', name: 'Order status', description: '', questions: ['Where is my order?', 'Track my order', '我的订单到哪了', '查询订单物流'] };
const balance = { id: 'balance', name: 'Balance', description: '', questions: ['What is my account balance?', '我的余额是多少'] };

describe('matching a message to an action by its example questions', () => {
  it('finds the action in either language, the order number left out of the match', () => {
    expect(matchBotAction([order, balance], 'where is my order SO12345', 'en')?.action.id).toBe('order');
    expect(matchBotAction([order, balance], '我的订单ＳＯ１２３４５到哪了？', 'zh-CN')?.action.id).toBe('order');
    expect(matchBotAction([order, balance], 'what is my balance', 'en')?.action.id).toBe('balance');
  });

  it('leaves messages about something else to the knowledge base', () => {
    for (const [message, locale] of [
      ['Where is my refund?', 'en'],
      ['I want to cancel my order', 'en'],
      ['How do I reset my password?', 'en'],
      ['退款多久到账', 'zh-CN'],
      ['hi', 'en'],
    ] as const)
      expect(matchBotAction([order, balance], message, locale), message).toBeNull();
  });
});
