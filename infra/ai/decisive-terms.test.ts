import { describe, expect, it } from 'vitest';
import { createDecisiveTerms } from './decisive-terms.js';
import type { KnowledgeArticle } from './lexical-retrieval.js';
import { createLocalFallback } from './local-fallback.js';

const zh = (id: string, title: string, body: string, questions: string[]): KnowledgeArticle => ({ id, title, body, questions, locale: 'zh-CN' });
const en = (id: string, title: string, body: string, questions: string[]): KnowledgeArticle => ({ id, title, body, questions, locale: 'en' });

// Sister products one character apart, and an action with its opposite, as the Chinese set has them.
const loans = [
  zh('repay', '星贷如何还款', '星贷每期在还款日自动扣款，也可以在“星贷 → 还款”中提前还款。', [
    '星贷怎么还款',
    '星贷可以提前还款吗',
    '星贷还款日是哪天',
    '星贷能只还一部分吗',
  ]),
  zh('borrow', '星贷如何借款', '在“星贷 → 借款”中选择金额和期数，几分钟内到账。', ['星贷怎么借款', '星贷能借多少钱', '星贷借款多久到账', '用星贷借一笔钱']),
  zh('other-repay', '星付如何还款', '星付每月 10 日出账，25 日前在“星付 → 还款”中还清即可免息。', [
    '星付怎么还款',
    '星付账单怎么还',
    '星付还款日是哪天',
    '星付逾期了怎么办',
  ]),
];
const cards = [
  en('freeze', 'Freeze your card', 'Freeze your card in the app under Cards → Freeze.', [
    'how do I freeze my card',
    'freeze card temporarily',
    'I misplaced my card, freeze it',
  ]),
  en('unfreeze', 'Unfreeze your card', 'Unfreeze your card in the app under Cards → Unfreeze.', [
    'how do I unfreeze my card',
    'unfreeze card after I found it',
    'my card is frozen, unfreeze it',
  ]),
  en('fees', 'Card fees abroad', 'Card payments abroad cost nothing up to 200 euros a month.', [
    'fees for paying abroad',
    'is there a fee on card payments abroad',
    'foreign card fees',
  ]),
];

describe('decisive terms, from the knowledge base itself (issue 20 item 2)', () => {
  it('finds what separates sibling articles: the action, the one-character product name', () => {
    const terms = createDecisiveTerms(loans);
    expect(terms.separating('repay', 'borrow')).toContain('还款');
    expect(terms.separating('borrow', 'repay')).toContain('借款');
    expect(terms.separating('other-repay', 'repay')).toContain('星付');
    expect(terms.separating('repay', 'other-repay')).toContain('星贷');
    const english = createDecisiveTerms(cards);
    expect(english.separating('unfreeze', 'freeze')).toContain('unfreez');
  });

  it('flags a question that names the sibling side, and passes one that names the top side', () => {
    const terms = createDecisiveTerms(loans);
    expect(terms.check('星付怎么提前还款', 'repay', 'other-repay', 0.9)).toMatchObject({ kind: 'ambiguous', sibling: expect.arrayContaining(['星付']) });
    expect(terms.check('星贷怎么提前还款', 'repay', 'other-repay', 0.9)).toEqual({ kind: 'clear' });
    expect(terms.check('星贷能借款吗', 'repay', 'borrow', 0.9)).toMatchObject({ kind: 'ambiguous' });
    expect(terms.check('星贷能还款吗', 'repay', 'borrow', 0.9)).toEqual({ kind: 'clear' });
    const english = createDecisiveTerms(cards);
    expect(english.check('please unfreeze my card', 'freeze', 'unfreeze', 0.9)).toMatchObject({ kind: 'ambiguous' });
    expect(english.check('please freeze my card', 'freeze', 'unfreeze', 0.9)).toEqual({ kind: 'clear' });
  });

  it('leaves articles that are not siblings alone, and siblings that score far apart', () => {
    const english = createDecisiveTerms(cards);
    expect(english.check('what fees apply when I unfreeze my card abroad', 'fees', 'unfreeze', 0.9)).toEqual({ kind: 'clear' });
    expect(createDecisiveTerms(loans).check('星付怎么提前还款', 'repay', 'other-repay', 0.05)).toEqual({ kind: 'clear' });
  });

  it('separates an article about something not happening from its sibling by the negation (没 / not)', () => {
    const refunds = [
      zh('not-received', '没收到货怎么退款', '货没收到时，请先联系商家退款。', [
        '没收到货怎么退款',
        '货没收到能退款吗',
        '没收到货，退款多久到',
        '货没收到想退款',
      ]),
      zh('returned', '收到货怎么退款', '收到货后寄回商家，商家确认即退款。', [
        '收到货怎么退款',
        '收到货了能退款吗',
        '收到货以后，退款多久到',
        '收到货了想退款',
      ]),
    ];
    const terms = createDecisiveTerms(refunds);
    expect(terms.separating('not-received', 'returned')).toContain('@neg');
    expect(terms.check('货一直没收到，能退款吗', 'returned', 'not-received', 0.9)).toMatchObject({
      kind: 'ambiguous',
      sibling: expect.arrayContaining(['@neg']),
    });
    expect(terms.check('收到货以后能退款吗', 'returned', 'not-received', 0.9)).toEqual({ kind: 'clear' });
  });

  it('reads Traditional script as Simplified', () => {
    expect(createDecisiveTerms(loans).check('星貸能借款嗎', 'repay', 'borrow', 0.9)).toMatchObject({ kind: 'ambiguous' });
  });
});

describe('the local fallback with a sibling the question points at', () => {
  it('asks which article is meant instead of answering with the other product (the best one first)', async () => {
    const ai = createLocalFallback({ threshold: 0.01 });
    for (const question of ['星付可以提前还款吗', '星付能只还一部分吗', '星付能借多少钱'])
      expect(await ai.answer(question, loans), question).toMatchObject({
        refused: true,
        reason: 'ambiguous',
        choices: expect.arrayContaining(['other-repay']),
      });
    expect(await ai.answer('星贷可以提前还款吗', loans)).toMatchObject({ citations: ['repay'] });
    // Without the check the same ranking answers with the other product's article.
    const unchecked = createLocalFallback({ threshold: 0.01, decisiveTerms: false });
    expect(await unchecked.answer('星付能只还一部分吗', loans)).toMatchObject({ citations: ['repay'] });
  });

  it('gives classify no article and draftReply no citation for such a question', async () => {
    const ai = createLocalFallback({ threshold: 0.01, articles: loans });
    expect((await ai.classify('星付能只还一部分吗')).article).toBeUndefined();
    expect((await ai.classify('星贷可以提前还款吗')).article?.id).toBe('repay');
    expect((await ai.draftReply([{ authorKind: 'customer', body: '星付能只还一部分吗' }], loans)).citations).toEqual([]);
  });
});
