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

  it('splits Latin words from Han characters typed without a space', () => {
    const tokens = tokenize('PIN被锁了，ATM取不了钱');
    expect(tokens.words).toContain('pin');
    expect(tokens.words).toContain('atm');
    expect(tokens.words).not.toContain('pin被锁了');
  });

  it('adds Han characters without particles and pronouns, so 丢 meets 弄丢', () => {
    const tokens = tokenize('我的卡弄丢了');
    expect(tokens.hanChars).toEqual(['卡', '弄', '丢']);
  });

  it('pairs nearby Han characters order-free within a run, never across punctuation', () => {
    // 卡丢了 and 银行卡丢失 name the same two things with other words around them.
    expect(tokenize('卡丢了').hanPairs).toEqual(['丢卡']);
    expect(tokenize('银行卡丢失').hanPairs).toContain('丢卡');
    // Four characters apart (stop characters removed) is too far; a comma ends the run.
    expect(tokenize('卡一二三丢').hanPairs).not.toContain('丢卡');
    expect(tokenize('卡，丢').hanPairs).toEqual([]);
    expect(tokenize('my card is lost').hanPairs).toEqual([]);
  });

  it('folds spelling variants and input-method slips into the standard form', () => {
    expect(words('转帐到帐户')).toEqual(words('转账到账户'));
    expect(words('登陆密码')).toContain('登录');
    expect(words('冲值失败')).toContain('充值');
  });

  it('folds Traditional Chinese into Simplified before anything else', () => {
    expect(tokenize('銀行卡遺失了，帳戶要凍結嗎')).toEqual(tokenize('银行卡遗失了，账户要冻结吗'));
  });

  it('reads the potential complement V不了 as 无法V, but leaves 不了解 alone', () => {
    expect(tokenize('取不了钱').hanBigrams).toContain('无法');
    expect(tokenize('我不了解').hanBigrams).not.toContain('无法');
  });

  it('maps English words mixed into Chinese only when tokenizing for a Chinese index', () => {
    expect(tokenize('top up 失败了', { locale: 'zh-CN' }).words).toContain('充值');
    expect(tokenize('my top up failed', { locale: 'en' }).words).toEqual(words('my top up failed'));
    expect(words('my top up failed')).toContain('top');
  });
});
