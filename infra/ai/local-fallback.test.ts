import { describe, expect, it } from 'vitest';
import type { CalibrationModel } from './confidence.js';
import type { KnowledgeArticle } from './lexical-retrieval.js';
import { createLocalFallback, sentimentOf } from './local-fallback.js';

const articles: KnowledgeArticle[] = [
  {
    id: 'lost',
    title: 'Lost or stolen card',
    body: 'If your card is lost or stolen, freeze it in the app right away. Then order a replacement card.',
    locale: 'en',
  },
  { id: 'refund', title: 'Refunds', body: 'Merchants send refunds within 5 to 10 business days. Ask the merchant if a refund is late.', locale: 'en' },
  { id: 'zh-lost', title: '银行卡丢失', body: '银行卡丢失或被盗时，请立即在应用中冻结卡片。冻结后可以补办新卡。', locale: 'zh-CN' },
];

describe('createLocalFallback', () => {
  it('answers with the best passage and cites the article', async () => {
    const ai = createLocalFallback({ threshold: 0.01 });
    const result = await ai.answer('my card was stolen, what should I do?', articles);
    expect(result).toMatchObject({ citations: ['lost'] });
    expect('answer' in result && result.answer).toContain('freeze');
  });

  it('refuses below the confidence threshold instead of guessing', async () => {
    const ai = createLocalFallback({ threshold: 0.99 });
    expect(await ai.answer('my card was stolen', articles)).toMatchObject({ refused: true, reason: 'low_confidence' });
    expect(await createLocalFallback().answer('how is glue made', articles)).toMatchObject({ refused: true, reason: 'low_confidence' });
  });

  it("uses the knowledge base's own calibration and its threshold when given one (issue 20 item 1)", async () => {
    // A model whose confidence is the isotonic map's constant: 0.8 for any question.
    const own = (threshold: number): CalibrationModel => ({
      version: 1,
      featureNames: [],
      mean: [0, 0, 0, 0, 0, 0],
      scale: [1, 1, 1, 1, 1, 1],
      weights: [0, 0, 0, 0, 0, 0],
      bias: 0,
      isotonic: { x: [0], y: [0.8] },
      thresholds: { '0.99': threshold },
    });
    const ai = createLocalFallback({ threshold: undefined });
    expect(await ai.answer('my card was stolen', articles, { calibration: own(0.7) })).toMatchObject({ citations: ['lost'], confidence: 0.8 });
    expect(await ai.answer('my card was stolen', articles, { calibration: own(0.9) })).toMatchObject({ refused: true, confidence: 0.8 });
    // The admin's threshold still wins over the calibration's.
    expect(await ai.answer('my card was stolen', articles, { calibration: own(0.9), threshold: 0.5 })).toMatchObject({ citations: ['lost'] });
  });

  it('refuses empty questions and empty knowledge bases', async () => {
    const ai = createLocalFallback();
    expect(await ai.answer('  ?! ', articles)).toMatchObject({ refused: true, reason: 'empty_question' });
    expect(await ai.answer('refund', [])).toMatchObject({ refused: true, reason: 'no_articles' });
  });

  it('answers Chinese questions from Chinese articles', async () => {
    const result = await createLocalFallback({ threshold: 0.01 }).answer('我的银行卡被偷了', articles);
    expect(result).toMatchObject({ citations: ['zh-lost'] });
  });

  it('classifies language and sentiment for English and Chinese', async () => {
    const ai = createLocalFallback({ articles, threshold: 0.01 });
    const en = await ai.classify('This is unacceptable, my card was declined again');
    expect(en).toMatchObject({ language: 'en', sentiment: 'negative', intent: 'cards' });
    const zh = await ai.classify('谢谢，问题解决了，很满意');
    expect(zh).toMatchObject({ language: 'zh-CN', sentiment: 'positive' });
    expect((await ai.classify('我的银行卡丢了')).article?.id).toBe('zh-lost');
  });

  it('sends VIP customers to the expert tier (domain rules)', async () => {
    expect((await createLocalFallback().classify('hello', { vip: true })).tier).toBe('expert');
  });
});

describe('sentimentOf', () => {
  it('flips a negated word', () => {
    expect(sentimentOf('I am not happy with this')).toBe('negative');
    expect(sentimentOf('我很不满意')).toBe('negative');
    expect(sentimentOf('where is my card')).toBe('neutral');
  });

  it('reads traditional Chinese as simplified: 我很不滿意 is a complaint, 謝謝，很開心 thanks', () => {
    expect(sentimentOf('我很不滿意，太離譜了')).toBe('negative');
    expect(sentimentOf('謝謝，很開心')).toBe('positive');
  });
});

describe('classify in both languages', () => {
  it('gives a double charge the same topic in English and Chinese (issue 21)', async () => {
    const ai = createLocalFallback();
    for (const text of ['I was charged twice', '我被重复扣款了', '我被重複扣款了']) expect((await ai.classify(text)).intent, text).toBe('billing');
  });
});

describe('answer: whole sections (issue 20 item 3)', () => {
  const refund: KnowledgeArticle = {
    id: 'refund-status',
    title: 'Where is my refund?',
    locale: 'en',
    body: 'Once a merchant approves a refund, we credit it as soon as the money reaches us. How long that takes depends on how you paid:\n\n| Paid with | Usually arrives in |\n|---|---|\n| Card in the app | 3–5 working days |\n| Gift card | Instantly |\n\n## Checking progress\nOpen **Activity** and look under **Refunds**.',
    questions: ['how long until I get my refund'],
  };
  const refundZh: KnowledgeArticle = {
    id: 'refund-status-zh',
    title: '退款什么时候到账？',
    locale: 'zh-CN',
    body: '商家同意退款后，款项一到我们这里就会立即入账。到账时间取决于您当初的付款方式：\n\n| 付款方式 | 通常到账时间 |\n|---|---|\n| 应用内的银行卡 | 3–5 个工作日 |\n| 礼品卡 | 即时到账 |\n\n## 查看退款进度\n打开 **账单明细** 查看。',
    questions: ['退款一直不到账'],
  };

  it('answers with the lead-in and the list after its colon, in English and Chinese', async () => {
    const ai = createLocalFallback({ threshold: 0.01 });
    const en = await ai.answer('how long until I get my refund?', [refund, ...articles]);
    expect('answer' in en && en.answer).toBe(
      'Once a merchant approves a refund, we credit it as soon as the money reaches us. How long that takes depends on how you paid:\n• Card in the app: 3–5 working days\n• Gift card: Instantly',
    );
    expect(en).not.toHaveProperty('partial');
    const zh = await ai.answer('退款一直不到账怎么办', [refundZh, ...articles]);
    expect('answer' in zh && zh.answer).toBe(
      '商家同意退款后，款项一到我们这里就会立即入账。到账时间取决于您当初的付款方式：\n• 应用内的银行卡：3–5 个工作日\n• 礼品卡：即时到账',
    );
  });

  it('says when it quotes part of a longer paragraph, so the article is offered to read more', async () => {
    const long: KnowledgeArticle = {
      id: 'long',
      title: 'Delivery times',
      locale: 'en',
      body: Array.from({ length: 40 }, (_, i) => `Parcels to zone ${i} arrive in ${i + 2} days.`).join(' '),
    };
    const result = await createLocalFallback({ threshold: 0.01 }).answer('how long do parcels to zone 20 take', [long]);
    expect(result).toMatchObject({ citations: ['long'], partial: true });
    expect('answer' in result && result.answer).toContain('Parcels to zone 20 arrive in 22 days.');
  });
});
