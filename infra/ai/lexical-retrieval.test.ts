import { describe, expect, it } from 'vitest';
import { createLexicalRetriever, createTermCache, defaultRetrieverWeights, splitPassages, type KnowledgeArticle, type TermCache } from './lexical-retrieval.js';

const articles: KnowledgeArticle[] = [
  { id: 'lost', title: 'Lost or stolen card', body: 'If your card is lost or stolen, freeze it in the app. Then order a replacement card.', locale: 'en' },
  { id: 'refund', title: 'Refunds', body: 'Merchants send refunds within 5 to 10 business days. Ask the merchant if a refund is late.', locale: 'en' },
  { id: 'pin', title: 'Change your PIN', body: 'You can change your PIN in card settings. A blocked PIN can be unlocked at any ATM.', locale: 'en' },
  { id: 'zh-lost', title: '银行卡丢失', body: '银行卡丢失或被盗时，请立即在应用中冻结卡片。', locale: 'zh-CN' },
  { id: 'zh-refund', title: '退款到账', body: '商户退款一般在五到十个工作日内退回原卡。', locale: 'zh-CN' },
];

describe('createLexicalRetriever', () => {
  const retriever = createLexicalRetriever(articles);

  it('ranks the obvious article first', () => {
    expect(retriever.retrieve('someone stole my card', { locale: 'en' })[0]?.articleId).toBe('lost');
    expect(retriever.retrieve('when will I get my refund?', { locale: 'en' })[0]?.articleId).toBe('refund');
    expect(retriever.retrieve('my pin is blocked', { locale: 'en' })[0]?.articleId).toBe('pin');
  });

  it('tolerates a typo through character n-grams', () => {
    expect(retriever.retrieve('refnds', { locale: 'en' })[0]?.articleId).toBe('refund');
  });

  it('searches only the requested locale', () => {
    const hits = retriever.retrieve('我的卡丢了怎么办', { locale: 'zh-CN' });
    expect(hits[0]?.articleId).toBe('zh-lost');
    expect(hits.every((hit) => hit.articleId.startsWith('zh-'))).toBe(true);
  });

  it('returns the most relevant passage and scores in [0, 1]', () => {
    const [hit] = retriever.retrieve('where can I unlock a blocked PIN', { locale: 'en' });
    expect(hit?.passage).toBe('A blocked PIN can be unlocked at any ATM.');
    expect(hit?.score).toBeGreaterThan(0);
    expect(hit?.score).toBeLessThanOrEqual(1);
  });

  it('finds nothing for unrelated words and respects the limit', () => {
    expect(retriever.retrieve('xylophone tangerine', { locale: 'en' })).toEqual([]);
    expect(retriever.retrieve('card refund pin', { locale: 'en', limit: 2 })).toHaveLength(2);
  });

  it('splits bodies into sentences and lines', () => {
    expect(splitPassages('One. Two?\nThree\n\n第四。第五！')).toEqual(['One.', 'Two?', 'Three', '第四。', '第五！']);
  });

  it('meets a Chinese query worded differently from the article through Han characters', () => {
    expect(retriever.retrieve('卡被人偷了', { locale: 'zh-CN' })[0]?.articleId).toBe('zh-lost');
    expect(retriever.retrieve('退钱还没到', { locale: 'zh-CN' })[0]?.articleId).toBe('zh-refund');
  });

  it('counts Han characters in coverage, so a question segmented unlike the article still looks covered', () => {
    // jieba cuts 卡丢了 into 卡 and 丢, words the article only uses inside longer ones (银行卡,
    // 丢失): by words alone it would look uncovered.
    const [hit] = retriever.retrieve('卡丢了', { locale: 'zh-CN' });
    expect(hit?.articleId).toBe('zh-lost');
    expect(hit?.coverage).toBeGreaterThan(0.2);
    // A question about something the articles never mention stays uncovered.
    expect(retriever.retrieve('股票怎么开户', { locale: 'zh-CN' })[0]?.coverage ?? 0).toBeLessThan(0.2);
  });

  it('finds an article by its example questions but quotes only its body', () => {
    // The example question is closer than any body sentence, so the article's lead is quoted, not
    // the sentence that happens to share 刷卡.
    const abroad = { id: 'zh-abroad', title: '境外用卡', body: '出国前请在应用中开通境外交易。开通后刷卡收取 1% 的货币转换费。', locale: 'zh-CN' };
    const withQuestions = createLexicalRetriever([...articles, { ...abroad, questions: ['在曼谷旅游刷不了卡'] }]);
    const [hit] = withQuestions.retrieve('在曼谷刷不了卡', { locale: 'zh-CN' });
    expect(hit?.articleId).toBe('zh-abroad');
    expect(hit?.passage).toBe('出国前请在应用中开通境外交易。');
    // 曼谷 is only in the example question.
    expect(withQuestions.retrieve('曼谷', { locale: 'zh-CN' })[0]?.articleId).toBe('zh-abroad');
    expect(createLexicalRetriever([...articles, abroad]).retrieve('曼谷', { locale: 'zh-CN' })).toEqual([]);
  });

  it('understands English words mixed into a Chinese question', () => {
    expect(retriever.retrieve('refund 还没收到', { locale: 'zh-CN' })[0]?.articleId).toBe('zh-refund');
  });
});

describe('a term cache shared by several indexes (a calibration fit)', () => {
  const questions = ['card stolen', 'refund late', 'pin blocked', '卡丢了', 'refund 还没收到'];
  // The same text in two locales: Chinese questions translate English words ("refund" → 退款), so
  // the cache must keep a text's terms per locale.
  const shared = [
    ...articles,
    { id: 'zh-mixed', title: 'refund', body: 'refund 退款', locale: 'zh-CN' },
    { id: 'mixed', title: 'refund', body: 'refund 退款', locale: 'en' },
  ];
  const subsets = [shared, shared.slice(1), shared.filter((_, i) => i % 2 === 0), shared.slice(2)];
  const answers = (terms?: TermCache) =>
    subsets.map((subset) => {
      const retriever = createLexicalRetriever(subset, defaultRetrieverWeights, terms);
      return questions.map((question) => ['en', 'zh-CN'].map((locale) => retriever.retrieve(question, { locale })));
    });

  it('retrieves exactly what indexes built without it do, and tokenises each text once per locale', () => {
    const terms = createTermCache();
    expect(answers(terms)).toEqual(answers());
    expect(answers(terms)).toEqual(answers());
    expect([...terms.texts.keys()].filter((key) => key.endsWith('\u0000refund'))).toHaveLength(2);
  });
});
