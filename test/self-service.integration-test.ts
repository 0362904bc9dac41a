// Self-service on the real stack (PostgreSQL, Temporal dev server, API, worker, the local AI
// fallback with the shipped calibration over the demo knowledge base): the bot answers a first
// message it is confident about, with its citation; the customer marks it helpful or asks for a
// person, who then gets the conversation with a hand-off summary; an out-of-scope question is
// refused and routed; the admin's switch and threshold; analytics and AI usage records; a helpful
// answer's question suggested to the cited article, which an admin accepts or dismisses.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView } from '../domain/events.js';
import { startSystem, type TestSystem } from './support/system.js';
import type { TestSocket } from './support/socket-client.js';

let system: TestSystem;
let admin: string;
let adminSocket: TestSocket;

beforeAll(async () => {
  system = await startSystem();
  admin = await system.login('admin@seamless.local');
  adminSocket = await system.socket(admin);
  const enabled = await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { enabled: true, threshold: null } });
  expect(enabled.status).toBe(200);
});
afterAll(() => system?.stop());

const of = (conversationId: string, type: string) => (event: EventView) => event.conversationId === conversationId && event.type === type;

/** A visitor's first message, and how the bot dealt with it. */
async function customerAsks(question: string) {
  const visitor = await system.visitor();
  const response = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: question } });
  expect(response.status).toBe(201);
  const conversationId = response.body.conversation.id as string;
  const outcome = await adminSocket.waitForEvent(
    (event) => event.conversationId === conversationId && (event.type === 'bot.answered' || event.type === 'bot.declined'),
  );
  return { visitor, conversationId, outcome };
}

const messagesSeenBy = async (token: string, conversationId: string) =>
  (await system.request('GET', `/api/widget/conversations/${conversationId}/messages`, { token })).body.messages as {
    id: string;
    authorKind: string;
    body: string;
    private: boolean;
    metadata: { kind: string; confidence?: number; citations: { id: string; slug: string }[] } | null;
  }[];

const feedback = (token: string, conversationId: string, outcome: string) =>
  system.request('POST', `/api/widget/conversations/${conversationId}/bot-feedback`, { token, body: { outcome } });

describe('self-service', () => {
  it('answers a question the knowledge base covers, citing the article, and resolves when the customer finds it helpful', async () => {
    const { visitor, conversationId, outcome } = await customerAsks('Why is my transfer still pending?');
    expect(outcome.type).toBe('bot.answered');

    const messages = await messagesSeenBy(visitor.token, conversationId);
    const answer = messages.find((message) => message.authorKind === 'bot')!;
    expect(answer.metadata?.citations.map((citation) => citation.slug)).toEqual(['transfer-pending']);
    // The customer sees the citations, not the bot's confidence (stored for agents and reports).
    expect(answer.metadata).not.toHaveProperty('confidence');
    const stored = await system.db.message.findUniqueOrThrow({ where: { id: answer.id } });
    expect((stored.metadata as { confidence: number }).confidence).toBeGreaterThanOrEqual(0.5);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('bot');

    const helpful = await feedback(visitor.token, conversationId, 'helpful');
    expect(helpful.status).toBe(200);
    expect(helpful.body.conversation.status).toBe('resolved');
    await adminSocket.waitForEvent(of(conversationId, 'bot.helpful'));
    const calls = await system.db.aiCall.findMany({ where: { conversationId } });
    expect(calls.map((call) => [call.operation, call.provider, call.ok])).toEqual([['answer', 'local', true]]);
  });

  it('hands off to a person with a summary the customer never sees when they ask for a human', async () => {
    const agent = await system.login('lina@seamless.local'); // skills: billing, transfers
    expect((await system.request('PUT', '/api/me/presence', { token: agent, body: { presence: 'online' } })).status).toBe(200);
    const { visitor, conversationId, outcome } = await customerAsks('Why is my transfer still pending?');
    expect(outcome.type).toBe('bot.answered');

    const handOff = await feedback(visitor.token, conversationId, 'wants_human');
    expect(handOff.status).toBe(200);
    const handedOff = await adminSocket.waitForEvent(of(conversationId, 'bot.handed_off'));
    expect(handedOff.payload).toMatchObject({ reason: 'wants_human' });
    const assigned = await adminSocket.waitForEvent(of(conversationId, 'conversation.assigned'));
    expect((assigned.payload.conversation as { assigneeId: string }).assigneeId).toBeTruthy();

    // The agent's view holds the summary as a private note; the customer's does not.
    const agentView = await system.request('GET', `/api/conversations/${conversationId}/messages`, { token: admin });
    const note = (agentView.body.messages as { private: boolean; body: string; metadata: { kind: string } | null }[]).find((message) => message.private);
    expect(note?.metadata?.kind).toBe('handoff_summary');
    expect(note?.body).toContain('transfer');
    expect((await messagesSeenBy(visitor.token, conversationId)).some((message) => message.private)).toBe(false);
    expect((await system.db.aiCall.findMany({ where: { conversationId }, orderBy: { createdAt: 'asc' } })).map((call) => call.operation)).toEqual([
      'answer',
      'summarize',
    ]);
    expect((await system.request('PUT', '/api/me/presence', { token: agent, body: { presence: 'offline' } })).status).toBe(200);
  });

  it('hands off when the customer writes again after the answer', async () => {
    const { visitor, conversationId } = await customerAsks('How do I change my PIN?');
    const more = await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'That did not work, the app says my PIN is blocked' },
    });
    expect(more.status).toBe(201);
    const handedOff = await adminSocket.waitForEvent(of(conversationId, 'bot.handed_off'));
    expect(handedOff.payload).toMatchObject({ reason: 'customer_wrote_again' });
  });

  it('answers in Chinese from the Chinese articles', async () => {
    const { visitor, conversationId, outcome } = await customerAsks('转账一直显示处理中怎么办');
    expect(outcome.type).toBe('bot.answered');
    const answer = (await messagesSeenBy(visitor.token, conversationId)).find((message) => message.authorKind === 'bot')!;
    expect(answer.body).toMatch(/\p{Script=Han}/u);
    expect(answer.metadata?.citations[0]?.slug).toBe('transfer-pending');
  });

  it('refuses a question the knowledge base does not cover, and routes it to a person', async () => {
    const { visitor, conversationId, outcome } = await customerAsks("What's the weather in Paris tomorrow?");
    expect(outcome.type).toBe('bot.declined');
    expect(outcome.payload).toMatchObject({ reason: 'low_confidence' });
    expect((await messagesSeenBy(visitor.token, conversationId)).some((message) => message.authorKind === 'bot')).toBe(false);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('queued');
    // Feedback only makes sense while the bot holds the conversation.
    expect((await feedback(visitor.token, conversationId, 'helpful')).status).toBe(409);
  });

  it('lets only admins change the switch and the threshold, and validates them', async () => {
    const agent = await system.login('agent@seamless.local');
    expect((await system.request('GET', '/api/settings/self-service', { token: agent })).body.selfService).toMatchObject({ enabled: true, threshold: null });
    expect((await system.request('PATCH', '/api/settings/self-service', { token: agent, body: { enabled: false } })).status).toBe(403);
    for (const body of [{}, { threshold: 2 }, { enabled: 'yes' }, { idleMinutes: 0 }, { surprise: true }]) {
      expect((await system.request('PATCH', '/api/settings/self-service', { token: admin, body })).status).toBe(400);
    }

    // A threshold no answer reaches: the bot stays quiet, and the change is audited.
    const strict = await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { threshold: 1 } });
    expect(strict.body.selfService).toMatchObject({ enabled: true, threshold: 1 });
    const audit = await system.db.event.findFirst({ where: { type: 'settings.changed' }, orderBy: { id: 'desc' } });
    expect(audit?.payload).toMatchObject({ before: { threshold: null }, after: { threshold: 1 } });
    const { outcome } = await customerAsks("my new card still hasn't come in the post");
    expect(outcome.type).toBe('bot.declined');

    // Switched off, the same question the bot answers above goes straight to a person.
    await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { enabled: false, threshold: null } });
    const lina = await system.login('lina@seamless.local');
    await system.request('PUT', '/api/me/presence', { token: lina, body: { presence: 'online' } });
    const visitor = await system.visitor();
    const quiet = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Why is my transfer still pending?' } });
    await adminSocket.waitForEvent(of(quiet.body.conversation.id, 'conversation.assigned'));
    expect(await system.db.event.count({ where: { conversationId: quiet.body.conversation.id, type: { startsWith: 'bot.' } } })).toBe(0);
    await system.request('PUT', '/api/me/presence', { token: lina, body: { presence: 'offline' } });
    await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { enabled: true } });
  });

  it('reports deflection, hand-offs and helpfulness, and what the AI calls cost', async () => {
    const report = await system.request('GET', '/api/reports/self-service', { token: admin });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ answered: 4, helpful: 1, handedOff: 2, declined: 2, helpfulRate: 1 });
    expect(report.body.deflectionRate).toBeCloseTo(1 / report.body.conversations);

    const usage = await system.request('GET', '/api/reports/ai-usage', { token: admin });
    const operations = (usage.body.calls as { provider: string; operation: string; calls: number }[]).map(
      (row) => `${row.provider}/${row.operation}/${row.calls}`,
    );
    expect(operations).toEqual(['local/answer/6', 'local/summarize/2']);

    expect((await system.request('GET', '/api/reports/self-service')).status).toBe(401);
    expect((await system.request('GET', '/api/reports/self-service?from=yesterday', { token: admin })).status).toBe(400);
    const visitor = await system.visitor();
    expect((await system.request('GET', '/api/reports/self-service', { token: visitor.token })).status).toBe(403);
  });

  it('drafts a reply for the agent from the article the customer asks about, in their language', async () => {
    const { conversationId } = await customerAsks('转账一直显示处理中怎么办');
    const draft = await system.request('POST', `/api/conversations/${conversationId}/draft`, { token: admin });
    expect(draft.status).toBe(200);
    expect(draft.body.draft).toMatch(/^您好/u);
    expect(draft.body.citations.map((citation: { slug: string }) => citation.slug)).toEqual(['transfer-pending']);
    const visitor = await system.visitor();
    expect((await system.request('POST', `/api/conversations/${conversationId}/draft`, { token: visitor.token })).status).toBe(403);
  });

  it("refuses bad feedback: unknown outcome, someone else's conversation, an agent token", async () => {
    const { visitor, conversationId } = await customerAsks('How do I change my PIN?');
    expect((await feedback(visitor.token, conversationId, 'maybe')).status).toBe(400);
    const stranger = await system.visitor();
    expect((await feedback(stranger.token, conversationId, 'helpful')).status).toBe(404);
    expect((await feedback(admin, conversationId, 'helpful')).status).toBe(403);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('bot');
  });

  // Last, so the report above counts only the conversations before it.
  it('answers from the article whose example question the customer used, without quoting the question', async () => {
    const question = '手机被偷了怎么办';
    const created = await system.request('POST', '/api/knowledge/articles', {
      token: admin,
      body: {
        title: '更换登录设备',
        body: '在新设备上登录后，到 **设置 → 安全 → 设备管理** 移除旧设备，旧设备上的登录会立即失效。',
        questions: [question, '换了新手机登不上'],
        locale: 'zh-CN',
        status: 'published',
      },
    });
    expect(created.status).toBe(201);

    // Its words (手机, 偷) are in the example questions only, not in the title or the body.
    const { visitor, conversationId, outcome } = await customerAsks('我的手机被偷了，怎么办啊');
    expect(outcome.type).toBe('bot.answered');
    const answer = (await messagesSeenBy(visitor.token, conversationId)).find((message) => message.authorKind === 'bot')!;
    expect(answer.metadata?.citations[0]?.id).toBe(created.body.article.id);
    expect(answer.body).not.toContain(question);
  });
});

// After the report test, so its counts hold. The first test's helpful answer already suggested its
// question: each test here starts from no suggestions.
describe('suggested example questions', () => {
  const transferQuestion = 'Why is my transfer still pending?';
  const articleUrl = (articleId: string) => `/api/knowledge/articles/${articleId}`;
  const suggestionUrl = (articleId: string, suggestionId: string) => `${articleUrl(articleId)}/suggested-questions/${suggestionId}`;

  /** A visitor asks, the bot answers citing one article; returns that article's id. */
  async function botAnswers(question: string) {
    const asked = await customerAsks(question);
    expect(asked.outcome.type).toBe('bot.answered');
    const answer = (await messagesSeenBy(asked.visitor.token, asked.conversationId)).find((message) => message.authorKind === 'bot')!;
    return { ...asked, articleId: answer.metadata!.citations[0]!.id };
  }

  it('suggests the question of an answer marked helpful to its cited article, once, and nothing for not helpful', async () => {
    await system.db.articleQuestionSuggestion.deleteMany({});
    const first = await botAnswers(transferQuestion);
    expect((await feedback(first.visitor.token, first.conversationId, 'helpful')).status).toBe(200);
    const suggestions = await system.db.articleQuestionSuggestion.findMany({ where: { articleId: first.articleId } });
    expect(suggestions.map((suggestion) => [suggestion.text, suggestion.conversationId])).toEqual([[transferQuestion, first.conversationId]]);

    // Helpful twice (the repeat is a no-op), and another customer asking the same: still one.
    expect((await feedback(first.visitor.token, first.conversationId, 'helpful')).status).toBe(200);
    const second = await botAnswers(transferQuestion);
    expect((await feedback(second.visitor.token, second.conversationId, 'helpful')).status).toBe(200);
    expect(await system.db.articleQuestionSuggestion.count({ where: { articleId: first.articleId } })).toBe(1);

    const unhelpful = await botAnswers('How do I change my PIN?');
    expect((await feedback(unhelpful.visitor.token, unhelpful.conversationId, 'not_helpful')).status).toBe(200);
    expect(await system.db.articleQuestionSuggestion.count({ where: { articleId: unhelpful.articleId } })).toBe(0);

    // Listed with the article for admins; agents read the article without them.
    const agent = await system.login('agent@seamless.local');
    const forAdmin = await system.request('GET', articleUrl(first.articleId), { token: admin });
    expect(forAdmin.body.suggestedQuestions).toEqual([{ id: suggestions[0]!.id, text: transferQuestion, createdAt: expect.any(String) }]);
    expect((await system.request('GET', articleUrl(first.articleId), { token: agent })).body.suggestedQuestions).toEqual([]);
  });

  it('lets an admin accept a suggestion as a new version of the article, or dismiss it', async () => {
    await system.db.articleQuestionSuggestion.deleteMany({});
    const article = await system.db.knowledgeArticle.findFirstOrThrow({ where: { slug: 'transfer-pending', locale: 'en' } });
    const accepted = await system.db.articleQuestionSuggestion.create({ data: { articleId: article.id, text: 'is my transfer stuck' } });
    const dismissed = await system.db.articleQuestionSuggestion.create({ data: { articleId: article.id, text: 'transfer pending forever lol' } });

    const agent = await system.login('agent@seamless.local');
    expect((await system.request('POST', `${suggestionUrl(article.id, accepted.id)}/accept`, { token: agent })).status).toBe(403);
    expect((await system.request('DELETE', suggestionUrl(article.id, dismissed.id), { token: agent })).status).toBe(403);
    const unknown = await system.request('POST', `${suggestionUrl(article.id, randomUUID())}/accept`, { token: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');

    const accept = await system.request('POST', `${suggestionUrl(article.id, accepted.id)}/accept`, { token: admin });
    expect(accept.status).toBe(200);
    expect(accept.body.article.questions).toEqual([...article.questions, 'is my transfer stuck']);
    expect(accept.body.article.version).toBe(article.version + 1);
    const afterAccept = await system.db.knowledgeArticle.findUniqueOrThrow({ where: { id: article.id } });
    expect(afterAccept.searchText).toContain('stuck');
    const updatedEvent = await system.db.event.findFirstOrThrow({ where: { type: 'knowledge.article_updated' }, orderBy: { id: 'desc' } });
    expect(updatedEvent.payload).toMatchObject({ article: { id: article.id }, changed: ['questions'] });

    expect((await system.request('DELETE', suggestionUrl(article.id, dismissed.id), { token: admin })).status).toBe(204);
    expect((await system.request('DELETE', suggestionUrl(article.id, dismissed.id), { token: admin })).status).toBe(404);
    expect(await system.db.articleQuestionSuggestion.count({ where: { articleId: article.id } })).toBe(0);
    const afterDismiss = await system.db.knowledgeArticle.findUniqueOrThrow({ where: { id: article.id } });
    expect([afterDismiss.questions, afterDismiss.version]).toEqual([afterAccept.questions, afterAccept.version]);
  });

  it('refuses to accept a suggestion into an article that already has the most questions', async () => {
    const questions = Array.from({ length: 100 }, (_, n) => `probe question ${n}`);
    const created = await system.request('POST', '/api/knowledge/articles', {
      token: admin,
      body: { title: 'Full of questions', body: 'Probe', questions, locale: 'en' },
    });
    const suggestion = await system.db.articleQuestionSuggestion.create({ data: { articleId: created.body.article.id, text: 'one more' } });
    const refused = await system.request('POST', `${suggestionUrl(created.body.article.id, suggestion.id)}/accept`, { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('too_many_questions');
  });
});
