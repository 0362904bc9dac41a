import { describe, expect, it } from 'vitest';
import { snippetOf } from './knowledge-search.js';
import { isStopword, queryWords, searchTextOf, segment } from './text.js';

describe('segment', () => {
  it('cuts Chinese into words with jieba, including the shorter words inside long ones', () => {
    expect(segment('身份验证指南')).toEqual(expect.arrayContaining(['身份', '验证', '身份验证', '指南']));
    expect(segment('充值失败怎么办？')).toEqual(['充值', '失败']);
  });

  it('keeps English words lowercased, without punctuation, and joins contractions', () => {
    expect(segment("My CARD hasn't arrived, yet!")).toEqual(['card', 'hasnt', 'arrived', 'yet']);
    expect(segment('**Cards → Track delivery** (5–7 days)')).toEqual(['cards', 'track', 'delivery', '5', '7', 'days']);
  });

  it('separates mixed Chinese and English text', () => {
    expect(segment('如何修改银行卡PIN码')).toEqual(expect.arrayContaining(['修改', '银行卡', 'pin', '码']));
  });

  it('drops English and Chinese stopwords', () => {
    expect(segment('Where is my refund?')).toEqual(['refund']);
    expect(segment('我的退款在哪里')).not.toContain('我的');
    expect(isStopword('the')).toBe(true);
    expect(isStopword('的')).toBe(true);
    expect(isStopword('refund')).toBe(false);
  });

  it('folds full-width characters', () => {
    expect(segment('ＰＩＮ')).toEqual(['pin']);
  });

  it('folds Traditional Chinese into Simplified, Taiwan words too', () => {
    expect(segment('我的卡還沒收到')).toEqual(segment('我的卡还没收到'));
    expect(segment('軟體更新')).toEqual(segment('软件更新'));
  });
});

describe('queryWords', () => {
  it('lists each word once', () => {
    expect(queryWords('card card refund')).toEqual(['card', 'refund']);
  });
});

describe('searchTextOf', () => {
  it('puts the title words on the first line and the body words on the second', () => {
    expect(searchTextOf('Where is my refund?', 'Refunds take 5 days.')).toBe('refund\nrefunds take 5 days');
  });

  it('adds the example questions’ words to the body’s line', () => {
    expect(searchTextOf('Lost cards', 'Freeze it in the app.', ['卡丢了', 'Card stolen?'])).toBe('lost cards\nfreeze app 卡 丢 card stolen');
  });
});

describe('snippetOf', () => {
  it('starts near the first matching word and drops Markdown', () => {
    const body = `${'Intro text. '.repeat(20)}Your **refund** arrives in five days.`;
    const snippet = snippetOf(body, ['refund'], 60);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet).toContain('refund arrives');
    expect(snippet).not.toContain('**');
  });
});
