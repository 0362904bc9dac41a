// The OpenAI-compatible path end to end on the real stack, against a local server that speaks the
// Chat Completions protocol (a protocol test, not an AI test): the worker's AI layer is the
// `openai` client; the model's classification reaches routing, its reranked and streamed answer
// reaches the customer's socket piece by piece and then as the stored message (an answer that must
// be verified first reaches it only whole), its summary reaches the agent, and every call is
// recorded with its tokens and cost. An interrupted stream stores nothing and the conversation
// waits for a person. The bot's HTTP actions are the model's tools (function calling): its tool
// call is checked before the shop is called, its question for a missing input is asked, and the
// answer it writes from the picked fields is verified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView } from '../domain/events.js';
import { createAi } from '../infra/ai/create-ai.js';
import {
  startChatCompletionsServer,
  type ChatCompletionsReply,
  type ChatCompletionsRequestBody,
  type ChatCompletionsServer,
} from './support/chat-completions-server.js';
import { orderStatusAction, startShop, type ShopService } from './support/shop-service.js';
import type { Frame, TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';

let model: ChatCompletionsServer;
let shop: ShopService;
let system: TestSystem;
let admin: string;
let adminSocket: TestSocket;

/** The first article id the model was shown (articles travel in the system prompt as JSON). */
const firstArticleId = (body: ChatCompletionsRequestBody) =>
  body.messages
    .map((message) => message.content)
    .join('\n')
    .match(/"id":\s*"([0-9a-f-]{36})"/)?.[1];

/**
 * The model with the bot's actions as tools: an order number in the customer's last message (any
 * SO… text, valid or not: the model is not trusted) is a call of the action; a message about an
 * order without one asks for it; anything else calls no tool.
 */
function chooseTool(body: ChatCompletionsRequestBody): ChatCompletionsReply {
  const [action] = (body.tools as { function: { name: string } }[]).map((tool) => tool.function.name);
  const last = body.messages.filter((message) => message.role === 'user').at(-1)!.content;
  const number = /SO\d+/.exec(last)?.[0];
  if (number) return { toolCalls: [{ name: action!, arguments: JSON.stringify({ order: number }) }], promptTokens: 400, completionTokens: 12 };
  if (/parcel|order/i.test(last))
    return {
      toolCalls: [{ name: 'ask_customer', arguments: JSON.stringify({ action, input: 'order', question: 'Happy to check! Which order number is it?' }) }],
      promptTokens: 400,
      completionTokens: 20,
    };
  return { content: 'NONE', promptTokens: 400, completionTokens: 1 };
}

/** The answer from the action's result, which came back as the tool message. */
function answerFromResult(body: ChatCompletionsRequestBody): ChatCompletionsReply {
  const result = JSON.parse(body.messages.find((message) => message.role === 'tool')!.content) as Record<string, string>;
  return { content: JSON.stringify({ answer: `Good news: it has ${result.status} with ${result.carrier}.` }), promptTokens: 300, completionTokens: 12 };
}

beforeAll(async () => {
  shop = await startShop();
  model = await startChatCompletionsServer((body) => {
    if (body.tools) return chooseTool(body);
    switch (body.response_format?.json_schema?.name) {
      case 'classification':
        return {
          content: JSON.stringify({ language: 'en', sentiment: 'negative', intent: 'transfers', complexity: 'expert' }),
          promptTokens: 120,
          completionTokens: 20,
        };
      case 'rerank': {
        // The coins question's article is found only through embeddings: the reranker picks its passage.
        const passages = JSON.parse(body.messages[0]!.content.split('Passages (JSON): ')[1]!) as { id: string; text: string }[];
        const coins = body.messages.at(-1)!.content.includes('coins') ? passages.find((passage) => passage.text.includes('bitcoin')) : undefined;
        // Above AI_VERIFY_BELOW (0.85) the answer streams unverified; the coins answer (0.8) is verified first.
        return { content: JSON.stringify({ ranking: [{ id: coins?.id ?? 'p1', score: coins ? 0.8 : 0.9 }] }), promptTokens: 500, completionTokens: 10 };
      }
      case 'verification':
        return { content: JSON.stringify({ supported: true }), promptTokens: 200, completionTokens: 5 };
      case 'draft_reply':
        return {
          content: JSON.stringify({ draft: 'Hi! Your transfer is on its way; it can take two business days.', citations: [firstArticleId(body)] }),
          promptTokens: 700,
          completionTokens: 30,
        };
      case 'action_answer':
        return answerFromResult(body);
      case 'handoff_summary':
        return { content: JSON.stringify({ summary: 'Wants a person: a transfer has been pending for days.' }), promptTokens: 300, completionTokens: 15 };
      default:
        // The answer, streamed: its pieces, then the sources line; cut after two pieces when asked.
        if (body.stream)
          return {
            chunks: ['Transfers usually ', 'arrive within ', 'two business days.', `\nSOURCES: ${firstArticleId(body)}`],
            promptTokens: 900,
            completionTokens: 40,
            ...(body.messages.at(-1)!.content.includes('cut off') ? { interruptAfter: 2 } : {}),
          };
        return { status: 400, error: { message: 'unexpected request' } };
    }
  });
  // Embeddings by meaning, scripted: texts about moving crypto coins point one way, everything else another.
  model.setEmbeddingsHandler((inputs) => inputs.map((text) => (/bitcoin|coins/i.test(text) ? [1, 0.05, 0] : [0, 1, text.length / 10_000])));
  system = await startSystem({
    ai: createAi({
      AI_BASE_URL: model.url,
      AI_API_KEY: 'test-key',
      AI_MODEL: 'support-model',
      AI_EMBEDDING_MODEL: 'embed-model',
      AI_PRICES: { 'support-model': { input: 0.5, output: 1 } },
      AI_VERIFY_BELOW: 0.85,
    }),
    outboundAllowedHosts: ['127.0.0.1'],
  });
  admin = await system.login('admin@seamless.local');
  adminSocket = await system.socket(admin);
  expect((await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { enabled: true } })).status).toBe(200);
});
afterAll(async () => {
  await system?.stop();
  await model?.close();
  await shop?.close();
});

const of = (conversationId: string, type: string) => (event: EventView) => event.conversationId === conversationId && event.type === type;

type BotStreamFrame = Extract<Frame, { type: 'bot_stream' }>;
const streamOf = (socket: TestSocket, conversationId: string) =>
  socket.frames.filter((frame): frame is BotStreamFrame => frame.type === 'bot_stream' && frame.conversationId === conversationId);

/** A new visitor, their socket open, writes the first message of a conversation in the widget. */
async function customerWrites(body: string) {
  const visitor = await system.visitor();
  const customerSocket = await system.socket(visitor.token);
  const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body } });
  return { visitor, customerSocket, conversationId: started.body.conversation.id as string };
}

describe('the model path', () => {
  it('classifies, streams a confident answer to the customer, stores it once, summarises the hand-off, and records every call', async () => {
    const { visitor, customerSocket, conversationId } = await customerWrites('My transfer has been pending for days, this is unacceptable');

    const refined = await adminSocket.waitForEvent((event) => of(conversationId, 'conversation.classified')(event) && event.payload.by === 'openai');
    expect((refined.payload.conversation as { tier: string }).tier).toBe('expert');
    const answered = await adminSocket.waitForEvent(of(conversationId, 'bot.answered'));
    expect(answered.payload).toMatchObject({ provider: 'openai', confidence: 0.9 });

    const messages = (await system.request('GET', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token })).body.messages;
    const answers = messages.filter((message: { authorKind: string }) => message.authorKind === 'bot');
    expect(answers).toHaveLength(1);
    const answer = answers[0];
    expect(answer.body).toBe('Transfers usually arrive within two business days.');

    // The customer's socket got the answer piece by piece, in order, then the end after the stored message.
    await customerSocket.waitFor((frame) => frame.type === 'bot_stream' && frame.conversationId === conversationId && frame.done !== undefined);
    const pieces = streamOf(customerSocket, conversationId);
    expect(pieces.map((frame) => frame.seq)).toEqual(pieces.map((_, index) => index));
    expect(new Set(pieces.map((frame) => frame.streamId)).size).toBe(1);
    expect(pieces.at(-1)).toMatchObject({ done: 'stored' });
    expect(
      pieces
        .slice(0, -1)
        .map((frame) => frame.text)
        .join(''),
    ).toBe(answer.body);
    const storedAt = customerSocket.frames.findIndex(
      (frame) => frame.type === 'event' && frame.event.type === 'message.created' && (frame.event.payload.message as { id: string }).id === answer.id,
    );
    expect(storedAt).toBeGreaterThanOrEqual(0);
    expect(storedAt).toBeLessThan(customerSocket.frames.indexOf(pieces.at(-1)!));
    // The agent who sees the conversation watched it too.
    expect(streamOf(adminSocket, conversationId).at(-1)).toMatchObject({ done: 'stored' });
    await customerSocket.close();
    const cited = await system.db.knowledgeArticle.findUniqueOrThrow({ where: { id: answer.metadata.citations[0].id } });
    expect(cited.status).toBe('published');

    expect(
      (await system.request('POST', `/api/widget/conversations/${conversationId}/bot-feedback`, { token: visitor.token, body: { outcome: 'wants_human' } }))
        .status,
    ).toBe(200);
    const handedOff = await adminSocket.waitForEvent(of(conversationId, 'bot.handed_off'));
    expect(handedOff.payload.summary).toBe('Wants a person: a transfer has been pending for days.');

    const calls = await system.db.aiCall.findMany({ where: { conversationId }, orderBy: { createdAt: 'asc' } });
    expect(
      calls
        .filter((call) => call.operation !== 'embed')
        .map((call) => [call.operation, call.provider, call.model, call.promptTokens, call.completionTokens, call.cost, call.ok]),
    ).toEqual([
      ['classify', 'openai', 'support-model', 120, 20, 0.08, true],
      ['rerank', 'openai', 'support-model', 500, 10, 0.26, true],
      ['answer', 'openai', 'support-model', 900, 40, 0.49, true],
      ['summarize', 'openai', 'support-model', 300, 15, 0.165, true],
    ]);
    // Agent assist: a draft grounded in a searched article, recorded like every call.
    const draft = await system.request('POST', `/api/conversations/${conversationId}/draft`, { token: admin });
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ draft: 'Hi! Your transfer is on its way; it can take two business days.', provider: 'openai' });
    expect(draft.body.citations).toHaveLength(1);
    expect(await system.db.aiCall.count({ where: { conversationId, operation: 'draft', provider: 'openai', promptTokens: 700 } })).toBe(1);

    // The key travelled as a bearer token, and the model saw the customer's words.
    expect(model.requests.every((request) => request.headers.authorization === 'Bearer test-key')).toBe(true);
    expect(model.requests[0]!.body.messages.some((message) => message.content.includes('pending for days'))).toBe(true);
  });

  it('stores nothing when the stream breaks off: the preview is withdrawn and the conversation waits for a person', async () => {
    const { visitor, customerSocket, conversationId } = await customerWrites('My transfer got cut off halfway, where is it?');

    const declined = await adminSocket.waitForEvent(of(conversationId, 'bot.declined'));
    expect(declined.payload).toMatchObject({ reason: 'interrupted' });
    const end = await customerSocket.waitFor((frame) => frame.type === 'bot_stream' && frame.conversationId === conversationId && frame.done !== undefined);
    expect(end).toMatchObject({ done: 'withdrawn' });
    // What was shown before the break, and nothing of it kept.
    expect(
      streamOf(customerSocket, conversationId)
        .map((frame) => frame.text ?? '')
        .join(''),
    ).toBe('Transfers usually arrive within');
    const messages = (await system.request('GET', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token })).body.messages;
    expect(messages.filter((message: { authorKind: string }) => message.authorKind === 'bot')).toEqual([]);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('queued');
    await customerSocket.close();
  });

  it('finds a paraphrase with no word in common through the embeddings, fused with the lexical ranking', async () => {
    const created = await system.request('POST', '/api/knowledge/articles', {
      token: admin,
      body: { title: 'Cryptocurrency withdrawals', body: 'Sending bitcoin to external wallets is not supported.', locale: 'en', status: 'published' },
    });
    expect(created.status).toBe(201);
    const article = created.body.article as { id: string };
    const question = 'Can I move my coins out into another app?';
    // The lexical search alone does not find it.
    const lexical = await system.request('GET', `/api/public/knowledge/search?q=${encodeURIComponent(question)}&locale=en`);
    expect(lexical.body.hits.map((hit: { articleId: string }) => hit.articleId)).not.toContain(article.id);

    const { customerSocket, conversationId } = await customerWrites(question);
    const answered = await adminSocket.waitForEvent(of(conversationId, 'bot.answered'));
    expect(answered.payload.citations).toEqual([article.id]);
    // Verified before the customer saw anything of it: no piece streamed, the verdict recorded.
    expect(await system.db.aiCall.count({ where: { conversationId, operation: 'verify', ok: true } })).toBe(1);
    expect(streamOf(customerSocket, conversationId).filter((frame) => frame.text)).toEqual([]);
    // The article was embedded (stored in PostgreSQL) and the question too, each call recorded.
    const stored = await system.db.articleEmbedding.findUniqueOrThrow({ where: { articleId: article.id } });
    expect([stored.model, stored.vector[0]]).toEqual(['embed-model', 1]);
    expect(model.embeddingsRequests.some((request) => request.input.includes(question))).toBe(true);
    expect(await system.db.aiCall.count({ where: { conversationId, operation: 'embed', model: 'embed-model' } })).toBeGreaterThanOrEqual(1);
    await customerSocket.close();
  });
});

describe("the bot's actions as the model's tools", () => {
  let actionId: string;
  beforeAll(async () => {
    const created = await system.request('POST', '/api/bot-actions', { token: admin, body: orderStatusAction(shop.url) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    actionId = created.body.action.id;
  });

  const botMessages = async (token: string, conversationId: string) =>
    ((await system.request('GET', `/api/widget/conversations/${conversationId}/messages`, { token })).body.messages as { authorKind: string; body: string }[])
      .filter((message) => message.authorKind === 'bot')
      .map((message) => message.body);
  const toolCallsOf = (conversationId: string) => system.db.aiCall.count({ where: { conversationId, operation: 'tool', ok: true } });

  it("calls the shop with the model's checked argument and answers from the picked fields, verified", async () => {
    const before = shop.requests.length;
    const { visitor, customerSocket, conversationId } = await customerWrites('Where is my order SO12345?');
    const called = await adminSocket.waitForEvent(of(conversationId, 'bot.action_called'));
    expect(called.payload).toMatchObject({
      actionId,
      ok: true,
      fields: { status: 'shipped', carrier: 'DHL' },
      toolCall: { name: `action-${actionId}`, arguments: { order: 'SO12345' } },
      answeredBy: 'model',
    });
    expect(shop.requests.slice(before).map((request) => request.url)).toEqual(['/orders/SO12345']);
    expect(await botMessages(visitor.token, conversationId)).toEqual(['Good news: it has shipped with DHL.']);
    // The model saw the action as a tool with its input's pattern, and got back the picked fields only.
    const toolRequest = model.requests.find((request) => request.body.tools && JSON.stringify(request.body.messages).includes('SO12345'))!;
    const [tool] = toolRequest.body.tools as { function: { name: string; parameters: { properties: { order: { pattern: string } }; required: string[] } } }[];
    expect(tool!.function.parameters).toMatchObject({ properties: { order: { pattern: 'SO\\d{5}' } }, required: ['order'] });
    const answerRequest = model.requests.find((request) => request.body.response_format?.json_schema?.name === 'action_answer')!;
    expect(JSON.parse(answerRequest.body.messages.find((message) => message.role === 'tool')!.content)).toEqual({ status: 'shipped', carrier: 'DHL' });
    expect(JSON.stringify(model.requests.map((request) => request.body))).not.toMatch(/shop-secret|fragile-do-not-show/);
    expect(await system.db.aiCall.count({ where: { conversationId, operation: { in: ['tool', 'answer', 'verify'] }, ok: true } })).toBe(3);
    await customerSocket.close();
  });

  it('refuses a tool call whose argument fails the pattern: no call, the bot asks for the number itself', async () => {
    const before = shop.requests.length;
    const { visitor, customerSocket, conversationId } = await customerWrites('Where is my order SO12?');
    await adminSocket.waitForEvent(of(conversationId, 'bot.action_asked'));
    expect(await toolCallsOf(conversationId)).toBe(1);
    // Slot filling took over: its own question, and the shop never saw "SO12".
    expect(await botMessages(visitor.token, conversationId)).toEqual(['What is your order number? It starts with SO.']);
    expect(shop.requests.length).toBe(before);
    expect(await system.db.event.count({ where: { conversationId, type: 'bot.action_called' } })).toBe(0);
    await customerSocket.close();
  });

  it("asks the model's question for the missing order number, then the customer's reply completes the call", async () => {
    const { visitor, customerSocket, conversationId } = await customerWrites('I would like to track my parcel');
    const asked = await adminSocket.waitForEvent(of(conversationId, 'bot.action_asked'));
    expect(asked.payload).toMatchObject({ actionId, input: 'order', by: 'model' });
    expect(await botMessages(visitor.token, conversationId)).toEqual(['Happy to check! Which order number is it?']);

    const reply = await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'It is SO54321' },
    });
    expect(reply.status).toBe(201);
    const called = await adminSocket.waitForEvent(of(conversationId, 'bot.action_called'));
    expect(called.payload).toMatchObject({ ok: true, toolCall: { arguments: { order: 'SO54321' } }, answeredBy: 'model' });
    expect(shop.requests.at(-1)?.url).toBe('/orders/SO54321');
    expect(await botMessages(visitor.token, conversationId)).toEqual(['Happy to check! Which order number is it?', 'Good news: it has shipped with DHL.']);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('bot');
    await customerSocket.close();
  });
});
