// Agent assist in-process (test/support/in-process-api.ts) with a scripted AI layer: what the AI
// is given (public messages only, the articles found for the customer's last message), what the
// agent gets back, and that the call is recorded for the AI-usage report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiApi, KnowledgeArticle, TranscriptMessage } from '../../infra/ai/ai-api.js';
import { createAi } from '../../infra/ai/create-ai.js';
import { signIn, startCustomerConversation, type CustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string; expert: string };
let chat: CustomerConversation;
const drafts: { transcript: readonly TranscriptMessage[]; articles: readonly KnowledgeArticle[] }[] = [];
const usage = { provider: 'openai', model: 'scripted', promptTokens: 120, completionTokens: 30, latencyMs: 5 } as const;

/** The local AI for everything but drafts, which answer from a script and cite every article given. */
const scriptedAi: AiApi = {
  ...createAi(),
  provider: 'openai',
  async draftReply(transcript, articles) {
    drafts.push({ transcript, articles });
    return { draft: `Drafted from ${articles.length} article(s)`, citations: [...articles.map((article) => article.id), 'not-an-article'], usage };
  },
};

beforeAll(async () => {
  api = await startInProcessApi({ ai: scriptedAi });
  tokens = await signIn(api, 'admin', 'agent', 'expert');
  chat = await startCustomerConversation(api, { body: 'My card was stolen, how do I freeze it?' });
  await api.request('POST', `/api/conversations/${chat.conversationId}/messages`, {
    token: tokens.agent,
    body: { body: 'check their last payments first', private: true },
  });
});
afterAll(() => api?.stop());

describe('POST /api/conversations/:id/draft', () => {
  it('drafts from the public transcript and the articles found, citing only real articles', async () => {
    const answer = await api.request('POST', `/api/conversations/${chat.conversationId}/draft`, { token: tokens.agent, body: {} });
    expect(answer.status).toBe(200);
    expect(answer.body.provider).toBe('openai');
    const given = drafts.at(-1)!;
    expect(given.transcript).toEqual([{ authorKind: 'customer', body: 'My card was stolen, how do I freeze it?' }]);
    expect(given.articles.length).toBeGreaterThan(0);
    expect(answer.body.draft).toBe(`Drafted from ${given.articles.length} article(s)`);
    expect(answer.body.citations.map((citation: { id: string }) => citation.id).sort()).toEqual(given.articles.map((article) => article.id).sort());
  });

  it('records the call with its tokens', async () => {
    const calls = await api.db.aiCall.findMany({ where: { conversationId: chat.conversationId, operation: 'draft' } });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls[0]).toMatchObject({ provider: 'openai', model: 'scripted', promptTokens: 120, completionTokens: 30 });
  });

  it('does not reveal a conversation the agent may not see, and asks the AI nothing then', async () => {
    const specialists = await api.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    const hidden = await startCustomerConversation(api, { body: 'Secret' });
    await api.db.conversation.update({ where: { id: hidden.conversationId }, data: { teamId: specialists.id } });
    const before = drafts.length;
    expect(await api.request('POST', `/api/conversations/${hidden.conversationId}/draft`, { token: tokens.agent, body: {} })).toMatchObject({ status: 404 });
    expect(drafts.length).toBe(before);
    expect((await api.request('POST', `/api/conversations/${hidden.conversationId}/draft`, { token: tokens.expert, body: {} })).status).toBe(200);
  });
});
