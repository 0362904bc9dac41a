import { describe, expect, it } from 'vitest';
import { stem, tokenize, words } from './tokenize.js';

describe('tokenize', () => {
  it('lowercases, stems inflections together and drops stopwords in English', () => {
    expect(words('The card was CHARGED twice')).toEqual(['card', 'charg', 'twic']);
    expect(stem('charges')).toBe(stem('charging'));
    expect(stem('verified')).toBe(stem('verify'));
  });

  it('expands contractions so the negation survives', () => {
    expect(tokenize("my card doesn't work").sequence).toEqual(['my', 'card', 'does', 'not', 'work']);
    expect(words("can't log in")).toContain('not');
  });

  it('segments Chinese with jieba and adds Han character bigrams', () => {
    const tokens = tokenize('我的银行卡丢了');
    expect(tokens.words).toContain('银行卡');
    expect(tokens.words).not.toContain('我的');
    expect(tokens.hanBigrams).toEqual(['我的', '的银', '银行', '行卡', '卡丢', '丢了']);
  });

  it('handles mixed text: Han runs and Latin words each their own way', () => {
    const tokens = tokenize('ATM 取款失败');
    expect(tokens.words).toContain('atm');
    expect(tokens.words).toContain('取款');
  });
});
