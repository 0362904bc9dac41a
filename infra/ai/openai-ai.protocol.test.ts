// Protocol test of the model path: the real `openai` client against a local Chat Completions
// server (test/support/chat-completions-server.ts). It checks what goes over the wire and what
// the product does with each kind of reply, not how good a model is.
import { APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { useChatCompletionsServer } from '../../test/support/chat-completions-server.js';
import type { KnowledgeArticle, TranscriptMessage } from './ai-api.js';
import { createAi } from './create-ai.js';
import { createLocalFallback } from './local-fallback.js';
import { createOpenAiApi, type OpenAiOptions } from './openai-ai.js';

const articles: KnowledgeArticle[] = [
  { id: 'lost', title: 'Lost or stolen card', body: 'Freeze a lost card in the app right away, then order a replacement.', locale: 'en' },
  { id: 'refund', title: 'Refunds', body: 'Merchants send refunds within 5 to 10 business days.', locale: 'en' },
  { id: 'zh-lost', title: '银行卡丢失', body: '银行卡丢失时，请立即在应用中冻结卡片，然后补办新卡。', locale: 'zh-CN' },
];

const fallback = createLocalFallback();
const json = (value: object) => ({ content: JSON.stringify(value) });

const server = useChatCompletionsServer();

const openAi = (options: Partial<OpenAiOptions> = {}) => createOpenAiApi({ baseURL: server.url, apiKey: 'sk-test', model: 'test-model', fallback, ...options });

/** The system prompt and the other messages of the only request the server saw. */
function onlyRequest() {
  expect(server.requests).toHaveLength(1);
  const request = server.requests[0]!;
  return { ...request, system: request.body.messages[0]!.content };
}

describe('the request', () => {
  it('carries the model, the bearer key and a strict json_schema response format', async () => {
    server.setHandler(() => json({ language: 'en', sentiment: 'neutral', intent: 'general', complexity: 'junior' }));
    await openAi().classify('Where can I see my statements?');

    const { headers, body } = onlyRequest();
    expect(body.model).toBe('test-model');
    expect(headers.authorization).toBe('Bearer sk-test');
    expect(body.stream).toBeFalsy();
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'classification', strict: true } });
    const schema = body.response_format!.json_schema!.schema;
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false, required: ['language', 'sentiment', 'intent', 'complexity'] });
    expect(schema).toMatchObject({ properties: { intent: { enum: ['cards', 'transfers', 'billing', 'technical', 'general'] } } });
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: 'Where can I see my statements?' });
  });

  it("gives the answer call every article's id, title and body, and the question's language", async () => {
    server.setHandler(() => json({ answerable: false, answer: '', citations: [], confidence: 0 }));
    await openAi().answer('我的银行卡丢了怎么办？', articles);

    const { system, body } = onlyRequest();
    for (const article of articles) {
      expect(system).toContain(JSON.stringify(article.id));
      expect(system).toContain(article.title);
      expect(system).toContain(article.body);
    }
    expect(system).toContain('ONLY');
    expect(system).toContain('Simplified Chinese');
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: '我的银行卡丢了怎么办？' });
  });
});

describe('classify', () => {
  it('maps valid output to the classification, with the expert tier for expert complexity or a VIP', async () => {
    server.setHandler(() => json({ language: 'zh-CN', sentiment: 'negative', intent: 'cards', complexity: 'junior' }));
    const ai = openAi();

    const regular = await ai.classify('我的卡被拒了，太糟糕了');
    expect(regular).toMatchObject({ language: 'zh-CN', sentiment: 'negative', intent: 'cards', complexity: 'junior', tier: 'junior' });
    expect(regular.usage.provider).toBe('openai');
    expect(await ai.classify('我的卡被拒了', { vip: true })).toMatchObject({ complexity: 'junior', tier: 'expert' });

    server.setHandler(() => json({ language: 'en', sentiment: 'neutral', intent: 'technical', complexity: 'expert' }));
    expect(await ai.classify('The API returns 500 on every webhook')).toMatchObject({ intent: 'technical', complexity: 'expert', tier: 'expert' });
  });

  it('falls back to the rules on invalid JSON and still reports the tokens the call spent', async () => {
    const text = 'This is unacceptable, my card was declined again';
    server.setHandler(() => ({ content: 'Sure! The customer is upset about a card.', promptTokens: 42, completionTokens: 9 }));
    const result = await openAi().classify(text);

    const { usage: _localUsage, ...rules } = await fallback.classify(text);
    const { usage, ...classification } = result;
    expect(classification).toEqual(rules);
    expect(usage).toMatchObject({ provider: 'openai', model: 'test-model', promptTokens: 42, completionTokens: 9 });
  });

  it('falls back to the rules when the JSON breaks the schema (an unknown intent)', async () => {
    const text = 'I want a refund for this fee';
    server.setHandler(() => json({ language: 'en', sentiment: 'neutral', intent: 'weather', complexity: 'junior' }));
    const { usage: _localUsage, ...rules } = await fallback.classify(text);
    expect(await openAi().classify(text)).toMatchObject({ ...rules, usage: { provider: 'openai' } });
    expect(rules.intent).toBe('billing');
  });

  it('reads JSON wrapped in a Markdown fence, as servers that ignore response_format send it', async () => {
    server.setHandler(() => ({ content: '```json\n{"language":"en","sentiment":"positive","intent":"general","complexity":"self_service"}\n```' }));
    expect(await openAi().classify('thanks, all good')).toMatchObject({ sentiment: 'positive', complexity: 'self_service', tier: 'junior' });
  });
});

describe('answer', () => {
  it('answers with a citation of a given article', async () => {
    server.setHandler(() => json({ answerable: true, answer: 'Freeze the card in the app, then order a replacement.', citations: ['lost'], confidence: 0.9 }));
    const result = await openAi().answer('My card was stolen, what now?', articles);
    expect(result).toMatchObject({ answer: 'Freeze the card in the app, then order a replacement.', citations: ['lost'], confidence: 0.9 });
  });

  it('refuses when the model says the articles do not hold the answer', async () => {
    server.setHandler(() => json({ answerable: false, answer: '', citations: [], confidence: 0.95 }));
    expect(await openAi().answer('How is glue made?', articles)).toMatchObject({ refused: true, reason: 'not_in_articles' });

    server.setHandler(() => json({ answerable: true, answer: '  ', citations: ['lost'], confidence: 0.95 }));
    expect(await openAi().answer('How is glue made?', articles)).toMatchObject({ refused: true, reason: 'not_in_articles' });
  });

  it('never shows an answer that cites an article it was not given, or cites none', async () => {
    server.setHandler(() => json({ answerable: true, answer: 'Call us on 0800 123.', citations: ['lost', 'hotline'], confidence: 0.99 }));
    expect(await openAi().answer('My card was stolen', articles)).toEqual(expect.objectContaining({ refused: true, reason: 'invalid_citation' }));

    server.setHandler(() => json({ answerable: true, answer: 'Freeze it in the app.', citations: [], confidence: 0.99 }));
    expect(await openAi().answer('My card was stolen', articles)).toMatchObject({ refused: true, reason: 'invalid_citation' });
  });

  it('asks which article is meant when the question names what tells another given article from the cited one', async () => {
    const loans: KnowledgeArticle[] = [
      {
        id: 'repay',
        title: '星贷如何还款',
        body: '星贷每期在还款日自动扣款。',
        locale: 'zh-CN',
        questions: ['星贷怎么还款', '星贷可以提前还款吗', '星贷还款日是哪天'],
      },
      { id: 'other', title: '星付如何还款', body: '星付每月 10 日出账。', locale: 'zh-CN', questions: ['星付怎么还款', '星付账单怎么还', '星付还款日是哪天'] },
    ];
    server.setHandler(() => json({ answerable: true, answer: '星贷每期在还款日自动扣款。', citations: ['repay'], confidence: 0.95 }));
    expect(await openAi().answer('星付能只还一部分吗', loans)).toMatchObject({
      refused: true,
      reason: 'ambiguous',
      confidence: 0.95,
      choices: ['repay', 'other'],
    });
    expect(await openAi().answer('星贷能只还一部分吗', loans)).toMatchObject({ answer: '星贷每期在还款日自动扣款。', citations: ['repay'] });
  });

  it('refuses below the threshold (0.7 by default; the call may set its own)', async () => {
    server.setHandler(() => json({ answerable: true, answer: 'Freeze it in the app.', citations: ['lost'], confidence: 0.6 }));
    expect(await openAi().answer('My card was stolen', articles)).toMatchObject({ refused: true, reason: 'low_confidence', confidence: 0.6 });
    expect(await openAi({ answerThreshold: 0.5 }).answer('My card was stolen', articles)).toMatchObject({ citations: ['lost'] });
    expect(await openAi({ answerThreshold: 0.5 }).answer('My card was stolen', articles, { threshold: 0.65 })).toMatchObject({
      refused: true,
      reason: 'low_confidence',
    });
  });

  it('refuses an empty question and an empty article list without calling the model', async () => {
    const ai = openAi();
    expect(await ai.answer(' ?! ', articles)).toMatchObject({ refused: true, reason: 'empty_question', usage: { promptTokens: 0, completionTokens: 0 } });
    expect(await ai.answer('Where is my refund?', [])).toMatchObject({ refused: true, reason: 'no_articles', usage: { promptTokens: 0, completionTokens: 0 } });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses (not_in_articles, confidence 0) when the output is unusable, and reports the tokens', async () => {
    server.setHandler(() => ({ content: '{"answerable": true, "answer": "Freeze it"', promptTokens: 300, completionTokens: 12 }));
    expect(await openAi().answer('My card was stolen', articles)).toMatchObject({
      refused: true,
      reason: 'not_in_articles',
      confidence: 0,
      usage: { promptTokens: 300, completionTokens: 12 },
    });
  });
});

describe('summarize and draftReply', () => {
  const chinese: TranscriptMessage[] = [
    { authorKind: 'customer', body: '我的银行卡丢了，怎么办？' },
    { authorKind: 'bot', body: '请立即在应用中冻结卡片。' },
    { authorKind: 'system', body: 'Conversation queued for the junior tier.' },
    { authorKind: 'customer', body: '应用打不开，我需要人工帮助。' },
  ];
  const english: TranscriptMessage[] = [
    { authorKind: 'customer', body: 'My refund has not arrived after two weeks.' },
    { authorKind: 'agent', body: 'Let me check that for you.' },
    { authorKind: 'customer', body: 'It was for order 1234.' },
  ];

  it("summarizes in the customer's language, with the transcript as chat turns", async () => {
    const summaryZh = '客户银行卡丢失，想冻结卡片。\n已建议在应用中冻结，但应用无法打开。\n需要人工冻结卡片并补办。';
    server.setHandler(() => json({ summary: summaryZh }));
    expect(await openAi().summarize(chinese)).toMatchObject({ summary: summaryZh, usage: { provider: 'openai' } });
    const zhRequest = onlyRequest();
    expect(zhRequest.system).toContain('Simplified Chinese');
    expect(zhRequest.body.response_format?.json_schema?.name).toBe('handoff_summary');
    expect(zhRequest.body.messages.slice(1)).toEqual([
      { role: 'user', content: chinese[0]!.body },
      { role: 'assistant', content: chinese[1]!.body },
      { role: 'system', content: chinese[2]!.body },
      { role: 'user', content: chinese[3]!.body },
    ]);

    server.requests.length = 0;
    server.setHandler(() => json({ summary: 'Refund for order 1234 missing after two weeks; agent is checking.' }));
    expect(await openAi().summarize(english)).toMatchObject({ summary: 'Refund for order 1234 missing after two weeks; agent is checking.' });
    expect(onlyRequest().system).toContain('English');
  });

  it('falls back to the local summary when the summary is invalid or empty', async () => {
    server.setHandler(() => json({ summary: '' }));
    const { usage: _localUsage, ...local } = await fallback.summarize(english);
    expect(await openAi().summarize(english)).toMatchObject({ ...local, usage: { provider: 'openai' } });
  });

  it("drafts in the customer's language and keeps only citations of the given articles", async () => {
    server.setHandler(() => json({ draft: '您好！请在应用中冻结卡片，然后补办新卡。', citations: ['zh-lost', 'zh-lost', 'made-up'] }));
    expect(await openAi().draftReply(chinese, articles)).toMatchObject({ draft: '您好！请在应用中冻结卡片，然后补办新卡。', citations: ['zh-lost'] });
    const zhRequest = onlyRequest();
    expect(zhRequest.system).toContain('Simplified Chinese');
    expect(zhRequest.system).toContain(articles[2]!.body);

    server.requests.length = 0;
    server.setHandler(() => json({ draft: 'Hi! Refunds take 5 to 10 business days; I am checking order 1234.', citations: ['refund'] }));
    expect(await openAi().draftReply(english, articles)).toMatchObject({ citations: ['refund'] });
    expect(onlyRequest().system).toContain('English');
  });
});

describe('errors, retries and usage', () => {
  it("succeeds after a 500 through the client's own retry", async () => {
    let calls = 0;
    server.setHandler(() =>
      ++calls === 1
        ? // retry-after-ms lets the client retry at once instead of its 0.5 s back-off.
          { status: 500, error: { message: 'upstream overloaded', type: 'server_error' }, headers: { 'retry-after-ms': '1' } }
        : json({ summary: 'The customer wants a refund.' }),
    );
    expect(await openAi().summarize([{ authorKind: 'customer', body: 'I want a refund' }])).toMatchObject({ summary: 'The customer wants a refund.' });
    expect(server.requests).toHaveLength(2);
  });

  it('lets an error the client does not retry propagate, for the activity to handle', async () => {
    server.setHandler(() => ({ status: 400, error: { message: 'model not found', type: 'invalid_request_error' } }));
    const failure = openAi().classify('hello');
    await expect(failure).rejects.toBeInstanceOf(APIError);
    await expect(failure).rejects.toMatchObject({ status: 400 });
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after the per-attempt timeout and the configured retries', async () => {
    server.setHandler(() => new Promise(() => {}));
    await expect(openAi({ timeoutMs: 100, maxRetries: 0 }).classify('hello')).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it('takes the tokens and the model name from the response', async () => {
    server.setHandler(() => ({ ...json({ summary: 'ok' }), model: 'test-model-2025-01-01', promptTokens: 123, completionTokens: 45 }));
    const { usage } = await openAi().summarize([{ authorKind: 'customer', body: 'hi' }]);
    expect(usage).toMatchObject({ provider: 'openai', model: 'test-model-2025-01-01', promptTokens: 123, completionTokens: 45 });
    expect(usage.latencyMs).toBeGreaterThanOrEqual(0);
  });
});

describe('createAi', () => {
  it('uses the model path when a base URL is configured, and the local fallback otherwise', async () => {
    server.setHandler(() => json({ language: 'en', sentiment: 'neutral', intent: 'general', complexity: 'junior' }));
    const ai = createAi({ AI_BASE_URL: server.url, AI_MODEL: 'local-model' });
    expect(ai.provider).toBe('openai');
    await ai.classify('hello');
    const { headers, body } = onlyRequest();
    expect(body.model).toBe('local-model');
    // Local servers need no key; the client still sends a placeholder, never an OPENAI_* variable.
    expect(headers.authorization).toBe('Bearer not-needed');

    expect(createAi({}).provider).toBe('local');
  });
});
