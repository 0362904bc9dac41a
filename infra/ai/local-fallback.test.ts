import { describe, expect, it } from 'vitest';
import type { KnowledgeArticle } from './lexical-retrieval.js';
import { answerParagraph, createLocalFallback, sentimentOf } from './local-fallback.js';

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

describe('answerParagraph', () => {
  const body =
    'Most transfers arrive within minutes.\n\n## What you can do\nTap the transfer in **Activity** to see its status. You can cancel a transfer while it is still pending. If the date has passed, send us the reference.';

  it('answers with the whole paragraph of the best passage, without Markdown markup', () => {
    expect(answerParagraph(body, 'You can cancel a transfer while it is still pending.')).toBe(
      'Tap the transfer in Activity to see its status. You can cancel a transfer while it is still pending. If the date has passed, send us the reference.',
    );
  });

  it('answers a matched heading with the first paragraph of its section', () => {
    expect(answerParagraph(body, '## What you can do')).toBe(
      'Tap the transfer in Activity to see its status. You can cancel a transfer while it is still pending. If the date has passed, send us the reference.',
    );
    expect(answerParagraph('卡片通常 5 天送达。\n\n## 仍然没有收到？\n\n请点击 **报告未收到**，我们会补寄新卡。', '## 仍然没有收到？')).toBe(
      '请点击 报告未收到，我们会补寄新卡。',
    );
  });

  it('keeps a long paragraph to whole sentences around the passage', () => {
    const long = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something.`).join(' ');
    const answer = answerParagraph(long, 'Sentence number 20 says something.');
    expect(answer).toContain('Sentence number 20 says something.');
    expect(answer.length).toBeLessThanOrEqual(600);
    expect(answer).toMatch(/^Sentence number \d+ says something\..*\.$/);
  });

  it('works for Chinese text', () => {
    expect(answerParagraph('银行卡丢失时请立即冻结。冻结后可以补办新卡。\n\n其他问题请联系我们。', '冻结后可以补办新卡。')).toBe(
      '银行卡丢失时请立即冻结。冻结后可以补办新卡。',
    );
  });
});
