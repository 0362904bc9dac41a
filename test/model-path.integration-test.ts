// The OpenAI-compatible path end to end on the real stack, against a local server that speaks the
// Chat Completions protocol (a protocol test, not an AI test): the worker's AI layer is the
// `openai` client; the model's classification reaches routing, its cited answer reaches the
// customer, its summary reaches the agent, and every call is recorded with its tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView } from '../domain/events.js';
import { createAi } from '../infra/ai/create-ai.js';
import { startChatCompletionsServer, type ChatCompletionsRequestBody, type ChatCompletionsServer } from './support/chat-completions-server.js';
import type { TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';

let model: ChatCompletionsServer;
let system: TestSystem;
let admin: string;
let adminSocket: TestSocket;

/** The first article id the model was shown (articles travel in the system prompt as JSON). */
const firstArticleId = (body: ChatCompletionsRequestBody) =>
  body.messages
    .map((message) => message.content)
    .join('\n')
    .match(/"id":\s*"([0-9a-f-]{36})"/)?.[1];

beforeAll(async () => {
  model = await startChatCompletionsServer((body) => {
    switch (body.response_format?.json_schema?.name) {
      case 'classification':
        return {
          content: JSON.stringify({ language: 'en', sentiment: 'negative', intent: 'transfers', complexity: 'expert' }),
          promptTokens: 120,
          completionTokens: 20,
        };
      case 'answer':
        return {
          content: JSON.stringify({
            answerable: true,
            answer: 'Transfers usually arrive within two business days.',
            citations: [firstArticleId(body)],
            confidence: 0.9,
          }),
          promptTokens: 900,
          completionTokens: 40,
        };
      case 'draft_reply':
        return {
          content: JSON.stringify({ draft: 'Hi! Your transfer is on its way; it can take two business days.', citations: [firstArticleId(body)] }),
          promptTokens: 700,
          completionTokens: 30,
        };
      case 'handoff_summary':
        return { content: JSON.stringify({ summary: 'Wants a person: a transfer has been pending for days.' }), promptTokens: 300, completionTokens: 15 };
      default:
        return { status: 400, error: { message: 'unexpected request' } };
    }
  });
  system = await startSystem({ ai: createAi({ AI_BASE_URL: model.url, AI_API_KEY: 'test-key', AI_MODEL: 'support-model' }) });
  admin = await system.login('admin@seamless.local');
  adminSocket = await system.socket(admin);
  expect((await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { enabled: true } })).status).toBe(200);
});
afterAll(async () => {
  await system?.stop();
  await model?.close();
});

const of = (conversationId: string, type: string) => (event: EventView) => event.conversationId === conversationId && event.type === type;

describe('the model path', () => {
  it('classifies, answers with a citation, summarises the hand-off, and records every call', async () => {
    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', {
      token: visitor.token,
      body: { body: 'My transfer has been pending for days, this is unacceptable' },
    });
    const conversationId = started.body.conversation.id as string;

    const refined = await adminSocket.waitForEvent((event) => of(conversationId, 'conversation.classified')(event) && event.payload.by === 'openai');
    expect((refined.payload.conversation as { tier: string }).tier).toBe('expert');
    const answered = await adminSocket.waitForEvent(of(conversationId, 'bot.answered'));
    expect(answered.payload).toMatchObject({ provider: 'openai', confidence: 0.9 });

    const messages = (await system.request('GET', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token })).body.messages;
    const answer = messages.find((message: { authorKind: string }) => message.authorKind === 'bot');
    expect(answer.body).toBe('Transfers usually arrive within two business days.');
    const cited = await system.db.knowledgeArticle.findUniqueOrThrow({ where: { id: answer.metadata.citations[0].id } });
    expect(cited.status).toBe('published');

    expect(
      (await system.request('POST', `/api/widget/conversations/${conversationId}/bot-feedback`, { token: visitor.token, body: { outcome: 'wants_human' } }))
        .status,
    ).toBe(200);
    const handedOff = await adminSocket.waitForEvent(of(conversationId, 'bot.handed_off'));
    expect(handedOff.payload.summary).toBe('Wants a person: a transfer has been pending for days.');

    const calls = await system.db.aiCall.findMany({ where: { conversationId }, orderBy: { createdAt: 'asc' } });
    expect(calls.map((call) => [call.operation, call.provider, call.model, call.promptTokens, call.completionTokens, call.ok])).toEqual([
      ['classify', 'openai', 'support-model', 120, 20, true],
      ['answer', 'openai', 'support-model', 900, 40, true],
      ['summarize', 'openai', 'support-model', 300, 15, true],
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
});
