// Protocol tests of the model path's grounded answer (grounded-answer.ts on openai-ai.ts): the real
// `openai` client against the scripted server (test/support/chat-completions-server.ts). Rerank,
// the answer from the chosen passages only (streamed), the refusal token, verification yes / no,
// an interrupted stream, and each call's cost. What goes over the wire and what the product does
// with each reply, not how good a model is.
import { describe, expect, it } from 'vitest';
import { useChatCompletionsServer, type ChatCompletionsReply, type ChatCompletionsRequestBody } from '../../test/support/chat-completions-server.js';
import type { AiUsage, KnowledgeArticle } from './ai-api.js';
import { groundedAnswer, passagesFor, type GroundedAnswerOptions } from './grounded-answer.js';
import { createLocalFallback } from './local-fallback.js';
import { createOpenAiApi, type OpenAiOptions } from './openai-ai.js';
import { parsePriceTable } from './prices.js';

const english = (id: string, title: string, body: string): KnowledgeArticle => ({ id, title, body, locale: 'en' });
const articles = [
  english(
    'refunds',
    'Refunds',
    'Refunds go back to the original payment method.\n\nHow long it takes depends on how you paid:\n\n- Card: 5 to 10 business days\n- Wallet: within 24 hours',
  ),
  english('fees', 'Fees', 'Transfers within the country are free. International transfers cost 1 %.'),
  english('lost', 'Lost card', 'Freeze a lost card in the app right away, then order a replacement.'),
];

const fallback = createLocalFallback();
const json = (value: object, tokens: { promptTokens?: number; completionTokens?: number } = {}) => ({ content: JSON.stringify(value), ...tokens });
const schemaName = (body: ChatCompletionsRequestBody) => (body.stream ? 'stream' : (body.response_format?.json_schema?.name ?? 'none'));

const server = useChatCompletionsServer();

const prices = parsePriceTable('{"test-model":{"input":0.5,"output":1.5}}');
const openAi = (options: Partial<OpenAiOptions> = {}) =>
  createOpenAiApi({ baseURL: server.url, apiKey: 'sk-test', model: 'test-model', fallback, maxRetries: 0, prices, ...options });

/** Replies by call: rerank, the (streamed) answer, verification. */
function script(replies: { rerank: ChatCompletionsReply; answer?: ChatCompletionsReply; verification?: ChatCompletionsReply }) {
  server.setHandler((body) => {
    const kind = schemaName(body);
    const reply =
      kind === 'rerank' ? replies.rerank : kind === 'stream' || kind === 'answer' ? replies.answer : kind === 'verification' ? replies.verification : undefined;
    return reply ?? { status: 400, error: { message: `unexpected ${kind} call` }, headers: { 'x-should-retry': 'false' } };
  });
}

/** Runs groundedAnswer, collecting the calls it records and the streamed pieces. */
async function run(options: Partial<GroundedAnswerOptions> & { api?: ReturnType<typeof openAi> } = {}) {
  const calls: { operation: string; usage: AiUsage }[] = [];
  const deltas: string[] = [];
  const logged: string[] = [];
  const outcome = await groundedAnswer(options.api ?? openAi(), 'How long does a card refund take?', articles, {
    threshold: 0.6,
    call: async (operation, call) => {
      const result = await call();
      calls.push({ operation, usage: result.usage });
      return result;
    },
    onDelta: (text) => void deltas.push(text),
    log: (message) => void logged.push(message),
    ...options,
  });
  return { ...outcome, calls, deltas, logged };
}

// passagesFor: refunds → p1 (both paragraphs and the list fit in one piece), fees → p2, lost → p3.
const rerankRefundsFirst = json(
  {
    ranking: [
      { id: 'p1', score: 0.92 },
      { id: 'p2', score: 0.1 },
    ],
  },
  { promptTokens: 400, completionTokens: 20 },
);
const answerText = 'A card refund takes 5 to 10 business days.';
const streamedAnswer = (chunks = ['A card refund ', 'takes 5 to 10 ', 'business days.', '\nSOURCES: refunds']) => ({
  chunks,
  promptTokens: 300,
  completionTokens: 15,
});

describe('passages', () => {
  it('keep a lead-in ending in a colon with its list, and get short ids in the search order', () => {
    const passages = passagesFor(articles);
    expect(passages.map((passage) => [passage.id, passage.articleId])).toEqual([
      ['p1', 'refunds'],
      ['p2', 'fees'],
      ['p3', 'lost'],
    ]);
    expect(passages[0]!.text).toContain('depends on how you paid:\n\n- Card: 5 to 10 business days');
  });
});

describe('reranking', () => {
  it('sends every passage with its id in one call and answers from the best ones only', async () => {
    script({ rerank: rerankRefundsFirst, answer: streamedAnswer(), verification: json({ supported: true }) });
    const { result, order, calls } = await run();

    expect(order).toBe('model');
    expect(calls.map((call) => call.operation)).toEqual(['rerank', 'answer', 'verify']);
    const [rerank, answer] = server.requests;
    expect(rerank!.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'rerank', strict: true } });
    expect(rerank!.body.messages[0]!.content).toContain('"id":"p3"');
    // The answer prompt holds the reranked passages (p1, p2), not the third article.
    expect(answer!.body.messages[0]!.content).toContain('5 to 10 business days');
    expect(answer!.body.messages[0]!.content).toContain('International transfers');
    expect(answer!.body.messages[0]!.content).not.toContain('Freeze a lost card');
    // The explanation's facts: the threshold, and each reranked article with its best passage's score.
    expect(result).toEqual({
      answer: answerText,
      citations: ['refunds'],
      confidence: 0.92,
      threshold: 0.6,
      ranking: [
        { articleId: 'refunds', score: 0.92 },
        { articleId: 'fees', score: 0.1 },
      ],
    });
  });

  it('refuses without an answer call when the best passage scores under the threshold', async () => {
    script({ rerank: json({ ranking: [{ id: 'p2', score: 0.3 }] }) });
    const { result, calls } = await run();
    expect(result).toMatchObject({ refused: true, reason: 'low_confidence', confidence: 0.3 });
    expect(calls.map((call) => call.operation)).toEqual(['rerank']);
  });

  it.each([
    ['not JSON', { content: 'p1 is the best one' }],
    [
      'unknown ids only',
      json({
        ranking: [
          { id: 'p9', score: 0.9 },
          { id: 'refunds', score: 0.8 },
        ],
      }),
    ],
    ['the wrong shape', json({ order: ['p1'] })],
  ])('falls back to the lexical order on a malformed reply (%s), logs it, and always verifies', async (_, rerank) => {
    script({ rerank, answer: streamedAnswer(), verification: json({ supported: true }) });
    const { result, order, logged, calls } = await run();

    expect(order).toBe('lexical');
    expect(logged).toEqual(['the reranker replied with nothing usable; the lexical order stands']);
    // The first three passages in the search's order; the verification ran although it is optional.
    expect(server.requests[1]!.body.messages[0]!.content).toContain('Freeze a lost card');
    expect(calls.map((call) => call.operation)).toEqual(['rerank', 'answer', 'verify']);
    // No reranker score: the confidence is the bar the verified answer stands in for.
    expect(result).toMatchObject({ answer: answerText, citations: ['refunds'], confidence: 0.6 });
  });

  it('drops unknown and repeated ids and clamps scores', async () => {
    server.setHandler(() =>
      json({
        ranking: [
          { id: 'p2', score: 1.7 },
          { id: 'p9', score: 0.9 },
          { id: 'p2', score: 0.1 },
          { id: 'p1', score: -3 },
        ],
      }),
    );
    const reranked = await openAi().rerank!('fees?', passagesFor(articles));
    expect(reranked).toMatchObject({
      ranked: [
        { id: 'p2', score: 1 },
        { id: 'p1', score: 0 },
      ],
    });
  });
});

describe('the grounded answer', () => {
  it('is refused with the refusal token, and nothing of it is streamed', async () => {
    script({ rerank: rerankRefundsFirst, answer: streamedAnswer(['NO_', 'ANSWER']) });
    const { result, deltas, calls } = await run();
    expect(result).toMatchObject({ refused: true, reason: 'not_in_articles', confidence: 0.92 });
    expect(deltas).toEqual([]);
    expect(calls.map((call) => call.operation)).toEqual(['rerank', 'answer']);
  });

  it('is refused when it cites an article it was not given', async () => {
    script({ rerank: rerankRefundsFirst, answer: streamedAnswer([answerText, '\nSOURCES: lost']) });
    expect((await run()).result).toMatchObject({ refused: true, reason: 'invalid_citation' });
  });

  it('asks the model for plain text, the sources line and the refusal token, streamed with usage', async () => {
    script({ rerank: rerankRefundsFirst, answer: streamedAnswer(), verification: json({ supported: true }) });
    await run();
    const answer = server.requests[1]!.body;
    expect(answer).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(answer.response_format).toBeUndefined();
    expect(answer.messages[0]!.content).toContain('SOURCES:');
    expect(answer.messages[0]!.content).toContain('NO_ANSWER');
    expect(answer.messages.at(-1)).toEqual({ role: 'user', content: 'How long does a card refund take?' });
  });
});

describe('verification', () => {
  it('sends the question, the answer and the cited passages, and keeps the answer on yes', async () => {
    script({ rerank: rerankRefundsFirst, answer: streamedAnswer(), verification: json({ supported: true }) });
    const { result, verified } = await run();
    const verification = server.requests[2]!.body;
    expect(verification.response_format).toMatchObject({ json_schema: { name: 'verification' } });
    expect(verification.messages[0]!.content).toContain('5 to 10 business days');
    // Only the cited article's passages: the fees passage was given to the answer, not cited.
    expect(verification.messages[0]!.content).not.toContain('International transfers');
    expect(verification.messages.at(-1)!.content).toBe(`Question: How long does a card refund take?\n\nAnswer: ${answerText}`);
    expect(verified).toBe(true);
    expect(result).toMatchObject({ answer: answerText });
  });

  it.each([
    ['no', json({ supported: false })],
    ['an unusable verdict', { content: 'yes' }],
  ])('refuses on %s', async (_, verification) => {
    script({ rerank: rerankRefundsFirst, answer: streamedAnswer(), verification });
    const { result, verified } = await run();
    expect(result).toMatchObject({ refused: true, reason: 'not_verified', confidence: 0.92 });
    expect(verified).toBe(false);
  });

  it('is skipped when the reranker scored the best passage above AI_VERIFY_BELOW', async () => {
    script({ rerank: rerankRefundsFirst, answer: streamedAnswer() });
    const { result, verified, calls } = await run({ api: openAi({ verifyBelow: 0.9 }) });
    expect(verified).toBeNull();
    expect(calls.map((call) => call.operation)).toEqual(['rerank', 'answer']);
    expect(result).toMatchObject({ answer: answerText });
  });
});

describe('streaming', () => {
  it('forwards the pieces in order while the stream is open, holding back the sources line', async () => {
    const received: string[] = [];
    const waiters: (() => void)[] = [];
    /** Resolves once `count` pieces reached onDelta: the server sends the next only then. */
    const seen = (count: number) =>
      new Promise<void>((resolve) => {
        if (received.length >= count) resolve();
        else waiters.push(() => received.length >= count && resolve());
      });
    const chunks = ['A card refund ', 'takes 5 to 10 ', 'business days.', '\nSOURCES: refunds'];
    script({
      rerank: rerankRefundsFirst,
      // Piece i goes out only after the client forwarded piece i - 1: they arrived while streaming.
      answer: { ...streamedAnswer(chunks), beforeChunk: (index) => (index === 0 || index === 3 ? Promise.resolve() : seen(index)) },
      verification: json({ supported: true }),
    });
    const { result, deltas } = await run({
      api: openAi({ verifyBelow: 0.9 }),
      onDelta: (text) => {
        received.push(text);
        for (const wake of waiters) wake();
      },
    });
    void deltas;
    // Trailing spaces wait for what follows them; the sources line never shows.
    expect(received).toEqual(['A card refund', ' takes 5 to 10', ' business days.']);
    expect(received.join('')).toBe(answerText);
    expect(result).toMatchObject({ answer: received.join('') });
  });

  it('passes on nothing of an answer that is still to be verified, whatever the verdict', async () => {
    for (const supported of [true, false]) {
      script({ rerank: rerankRefundsFirst, answer: streamedAnswer(), verification: json({ supported }) });
      const { result, deltas, calls } = await run();
      expect(deltas).toEqual([]);
      expect(calls.map((call) => call.operation)).toEqual(['rerank', 'answer', 'verify']);
      expect(result).toMatchObject(supported ? { answer: answerText } : { refused: true, reason: 'not_verified' });
    }
  });

  it('an interrupted stream gives a refusal and nothing stored, after what was shown', async () => {
    script({ rerank: rerankRefundsFirst, answer: { ...streamedAnswer(), interruptAfter: 2 } });
    const { result, deltas, calls } = await run({ api: openAi({ verifyBelow: 0.9 }) });
    expect(deltas.join('')).toBe('A card refund takes 5 to 10');
    expect(result).toMatchObject({ refused: true, reason: 'interrupted', confidence: 0.92 });
    expect(calls.map((call) => call.operation)).toEqual(['rerank', 'answer']);
  });
});

describe('cost and latency per call', () => {
  it('prices each call by the table, per 1K tokens, with its latency and model', async () => {
    script({ rerank: rerankRefundsFirst, answer: streamedAnswer(), verification: json({ supported: true }, { promptTokens: 200, completionTokens: 4 }) });
    const { calls } = await run();
    expect(calls.map(({ operation, usage }) => [operation, usage.model, usage.promptTokens, usage.completionTokens, usage.cost])).toEqual([
      ['rerank', 'test-model', 400, 20, 0.23],
      ['answer', 'test-model', 300, 15, 0.1725],
      ['verify', 'test-model', 200, 4, 0.106],
    ]);
    expect(calls.every(({ usage }) => Number.isInteger(usage.latencyMs) && usage.latencyMs >= 0)).toBe(true);
  });

  it('gives cost null, not 0, for a model without a price', async () => {
    script({ rerank: rerankRefundsFirst, answer: streamedAnswer(), verification: json({ supported: true }) });
    const { calls } = await run({ api: openAi({ model: 'unpriced-model' }) });
    expect(calls.map(({ usage }) => [usage.model, usage.cost])).toEqual([
      ['unpriced-model', null],
      ['unpriced-model', null],
      ['unpriced-model', null],
    ]);
  });
});
