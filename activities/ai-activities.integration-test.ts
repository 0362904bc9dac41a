// The bot's activities against a real database (cloned from the seeded template) with a scripted
// AI: what an answer and a hand-off write, and that a retried call writes nothing twice.
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { canSeeEvent, customerConversationFields, customerEventPayload } from '../domain/event-audience.js';
import type { AiApi } from '../infra/ai/ai-api.js';
import { createAi } from '../infra/ai/create-ai.js';
import { createDb, type Db } from '../infra/db.js';
import { createPostgresSearch } from '../infra/search/postgres-search.js';
import { orderStatusAction } from '../test/support/shop-service.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { createAiActivities, type AiActivities } from './ai-activities.js';

let db: Db;
let activities: AiActivities;
let articleId: string;
const usage = { provider: 'local', model: 'scripted', promptTokens: 0, completionTokens: 0, latencyMs: 1 } as const;

/** The local AI, except that it answers with the first article it is given, and summarises in one line. */
const scriptedAi: AiApi = {
  ...createAi(),
  async answer(_question, articles) {
    const cited = articles.find((article) => article.id === articleId);
    return cited
      ? { answer: `See “${cited.title}”.`, citations: [cited.id, 'made-up'], confidence: 0.9, usage }
      : { refused: true, reason: 'no_articles', confidence: 0, usage };
  },
  async summarize(transcript) {
    return { summary: `${transcript.length} message(s): customer wants a person`, usage };
  },
};

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
  await db.organization.update({ where: { id: 1 }, data: { settings: { selfService: { enabled: true, threshold: null, idleMinutes: 20 } } } });
  articleId = (await db.knowledgeArticle.findFirstOrThrow({ where: { status: 'published', locale: 'en' } })).id;
  activities = createAiActivities({ db, ai: scriptedAi, search: createPostgresSearch(db) });
});
afterAll(() => db?.$disconnect());

/** A queued web-chat conversation with one customer message. */
async function waitingConversation(body = 'How do I freeze my card?') {
  const customer = await db.customer.findFirstOrThrow();
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const conversation = await db.conversation.create({
    data: { workflowId: `conversation-${randomUUID()}`, customerId: customer.id, channelId: channel.id, status: 'queued' },
  });
  await db.message.create({ data: { conversationId: conversation.id, authorKind: 'customer', body } });
  return conversation.id;
}

describe('answerWithBot', () => {
  it('stores the answer with its real citations, waits on the customer, and a retry stores nothing more', async () => {
    const conversationId = await waitingConversation();
    const attempt = new MockActivityEnvironment({ activityId: 'answer-1' });
    expect(await attempt.run(activities.answerWithBot, { conversationId })).toEqual({ answered: true, confidence: 0.9, idleMinutes: 20 });
    expect(await new MockActivityEnvironment({ activityId: 'answer-1' }).run(activities.answerWithBot, { conversationId })).toEqual({
      answered: true,
      confidence: 0.9,
      idleMinutes: 20,
    });

    const bot = await db.message.findMany({ where: { conversationId, authorKind: 'bot' } });
    expect(bot).toHaveLength(1);
    expect(bot[0]!.metadata).toMatchObject({ kind: 'bot_answer', confidence: 0.9, citations: [{ id: articleId }] });
    expect((bot[0]!.metadata as { citations: unknown[] }).citations).toHaveLength(1);
    expect(await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ status: 'bot', waitingOn: 'customer' });
    expect(await db.event.count({ where: { conversationId, type: 'bot.answered' } })).toBe(1);
    expect(await db.aiCall.count({ where: { conversationId, operation: 'answer' } })).toBe(1);
  });

  it('records why it declined, once per call, and leaves the conversation queued', async () => {
    articleId = 'none-will-match';
    try {
      const conversationId = await waitingConversation('Something no article covers');
      for (let attempt = 0; attempt < 2; attempt += 1) {
        expect(await new MockActivityEnvironment({ activityId: 'answer-2' }).run(activities.answerWithBot, { conversationId })).toEqual({
          answered: false,
          reason: 'no_articles',
        });
      }
      expect(await db.event.count({ where: { conversationId, type: 'bot.declined' } })).toBe(1);
      expect((await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('queued');
    } finally {
      articleId = (await db.knowledgeArticle.findFirstOrThrow({ where: { status: 'published', locale: 'en' } })).id;
    }
  });
});

describe("an HTTP action's input asked for", () => {
  it('a retry of the call that asked hands the workflow the same pending action, and asks nothing twice', async () => {
    const { authHeaderValue: _secret, ...definition } = orderStatusAction('https://shop.example.com');
    const action = await db.botAction.create({ data: definition });
    try {
      const conversationId = await waitingConversation('Where is my order?');
      const pending = { actionId: action.id, values: {}, awaiting: 'order', misses: 0 };
      const first = await new MockActivityEnvironment({ activityId: 'ask-order' }).run(activities.answerWithBot, { conversationId });
      expect(first).toMatchObject({ answered: true, action: pending });
      // The worker died after the question was stored: the retry finds it and returns the action it left pending.
      expect(await new MockActivityEnvironment({ activityId: 'ask-order' }).run(activities.answerWithBot, { conversationId })).toMatchObject({
        answered: true,
        action: pending,
      });
      expect(await db.message.count({ where: { conversationId, authorKind: 'bot' } })).toBe(1);
      expect(await db.event.count({ where: { conversationId, type: 'bot.action_asked' } })).toBe(1);
    } finally {
      await db.botAction.delete({ where: { id: action.id } });
    }
  });
});

describe('a customer who asks for a person (issue 21 item 11)', () => {
  it.each(['Talk to a human please', '转人工', '轉人工'])('the bot does not answer %j, and the conversation stays queued for a person', async (body) => {
    const conversationId = await waitingConversation(body);
    expect(await new MockActivityEnvironment({ activityId: `ask-${body}` }).run(activities.answerWithBot, { conversationId })).toEqual({
      answered: false,
      reason: 'asked_for_person',
    });
    expect(await db.message.count({ where: { conversationId, authorKind: 'bot' } })).toBe(0);
    expect((await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('queued');
  });

  it('a request typed while the bot serves is handed over as the "Talk to a person" button is, and any other message as the customer writing again', async () => {
    const handOff = async (followUp: string, activityId: string) => {
      const conversationId = await waitingConversation();
      await new MockActivityEnvironment({ activityId: `${activityId}-answer` }).run(activities.answerWithBot, { conversationId });
      await db.message.create({ data: { conversationId, authorKind: 'customer', body: followUp } });
      await new MockActivityEnvironment({ activityId }).run(activities.handOffToHuman, { conversationId, reason: 'customer_wrote_again' as const });
      const note = await db.message.findFirstOrThrow({ where: { conversationId, private: true } });
      const event = await db.event.findFirstOrThrow({ where: { conversationId, type: 'bot.handed_off' } });
      return { note: (note.metadata as { reason: string }).reason, event: (event.payload as { reason: string }).reason };
    };
    expect(await handOff('人工客服', 'typed-1')).toEqual({ note: 'wants_human', event: 'wants_human' });
    expect(await handOff('agent please', 'typed-2')).toEqual({ note: 'wants_human', event: 'wants_human' });
    expect(await handOff('And how long does it take?', 'typed-3')).toEqual({ note: 'customer_wrote_again', event: 'customer_wrote_again' });
  });
});

describe('handOffToHuman', () => {
  it('leaves a private summary for the agent and queues the conversation, once per call', async () => {
    const conversationId = await waitingConversation();
    await new MockActivityEnvironment({ activityId: 'answer-3' }).run(activities.answerWithBot, { conversationId });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await new MockActivityEnvironment({ activityId: 'handoff-1' }).run(activities.handOffToHuman, { conversationId, reason: 'wants_human' as const });
    }
    const notes = await db.message.findMany({ where: { conversationId, private: true } });
    expect(notes.map((note) => note.body)).toEqual(['2 message(s): customer wants a person']);
    expect(notes[0]!.metadata).toMatchObject({ kind: 'handoff_summary', reason: 'wants_human' });
    expect(await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ status: 'queued', waitingOn: 'agent' });
    // The customer receives the hand-off (their widget shows the queue at once), cut down to the conversation's status.
    const event = await db.event.findFirstOrThrow({ where: { conversationId, type: 'bot.handed_off' } });
    expect(canSeeEvent({ kind: 'customer', customerId: event.customerId! }, event)).toBe(true);
    const received = customerEventPayload(event.payload as Record<string, unknown>);
    expect(Object.keys(received)).toEqual(['conversation']);
    expect(received.conversation).toMatchObject({ id: conversationId, status: 'queued' });
    expect(Object.keys(received.conversation as object).every((key) => (customerConversationFields as readonly string[]).includes(key))).toBe(true);
    expect(JSON.stringify(received)).not.toContain('customer wants a person');
  });
});
