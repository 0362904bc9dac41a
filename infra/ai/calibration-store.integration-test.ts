// The knowledge base's calibrations in PostgreSQL (a database cloned from the seeded template):
// customers' verdicts become feedback samples (helpful right, not helpful and "talk to a person"
// wrong, a customer who merely wrote again none), each recalibration stores a new version per
// locale, and the bot's cache follows the newest.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../db.js';
import { cloneTemplateDatabase } from '../../test/support/test-database.js';
import {
  createCalibrationCache,
  feedbackRecalibrationDue,
  feedbackSamples,
  newestCalibration,
  recalibrateKnowledgeBase,
  verdictsPerRecalibration,
} from './calibration-store.js';

let db: Db;
let articleId: string;

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
  articleId = (await db.knowledgeArticle.findFirstOrThrow({ where: { status: 'published', locale: 'en' } })).id;
});
afterAll(() => db?.$disconnect());

/** A conversation whose first message the bot answered with the article, then the customer's verdict (event type and payload). */
async function answered(question: string, verdict: { type: string; payload?: Record<string, string> } | null) {
  const customer = await db.customer.findFirstOrThrow();
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const conversation = await db.conversation.create({
    data: { workflowId: `conversation-${randomUUID()}`, customerId: customer.id, channelId: channel.id, status: 'bot' },
  });
  await db.message.create({ data: { conversationId: conversation.id, authorKind: 'customer', body: question } });
  const event = (type: string, payload: Record<string, string | number | string[]>) =>
    db.event.create({ data: { type, actorKind: 'bot', conversationId: conversation.id, internal: true, payload } });
  await event('bot.answered', { confidence: 0.99, citations: [articleId], provider: 'local' });
  if (verdict) await event(verdict.type, verdict.payload ?? {});
  return conversation.id;
}

/** `count` verdicts of a type at once (the recalibration trigger counts them). */
async function verdicts(count: number, type: string, payload: Record<string, string> = {}) {
  const conversationId = await answered('counted', null);
  await db.event.createMany({ data: Array.from({ length: count }, () => ({ type, actorKind: 'customer' as const, conversationId, internal: true, payload })) });
}

describe('feedback samples', () => {
  it("reads helpful as right, not helpful and 'talk to a person' as wrong, and writing again as no verdict", async () => {
    await answered('q helpful', { type: 'bot.helpful' });
    await answered('q not helpful', { type: 'bot.not_helpful' });
    await answered('q wants a person', { type: 'bot.handed_off', payload: { reason: 'wants_human' } });
    await answered('q wrote again', { type: 'bot.handed_off', payload: { reason: 'customer_wrote_again' } });
    await answered('q no verdict', null);
    const samples = await feedbackSamples(db, 'en');
    expect(samples.map((sample) => [sample.question, sample.articleId, sample.helpful])).toEqual([
      ['q helpful', articleId, true],
      ['q not helpful', articleId, false],
      ['q wants a person', articleId, false],
    ]);
    // Another locale's articles: none of these verdicts.
    expect(await feedbackSamples(db, 'zh-CN')).toEqual([]);
  });
});

describe('recalibration', () => {
  it('stores a new version per locale each time, with the verdicts counted, and the bot cache follows the newest', async () => {
    const cache = createCalibrationCache(db);
    expect(await cache('en')).toBeUndefined();
    const first = await recalibrateKnowledgeBase(db, 'manual');
    expect(first.map((row) => [row.locale, row.version, row.trigger])).toEqual([
      ['en', 1, 'manual'],
      ['zh-CN', 1, 'manual'],
    ]);
    expect(first[0]!.samples.feedback).toBe(3);
    // Enough example questions for English? The cache gives its model exactly when one was fitted.
    expect((await cache('en')) ?? null).toEqual(first[0]!.model);

    const second = await recalibrateKnowledgeBase(db, 'article_changed');
    expect(second.map((row) => row.version)).toEqual([2, 2]);
    expect((await newestCalibration(db, 'en'))!.version).toBe(2);
    expect((await newestCalibration(db, 'zh-CN'))!.trigger).toBe('article_changed');
  });
});

describe('recalibration due from feedback', () => {
  it(`is due once ${verdictsPerRecalibration} verdicts came since the newest fit, counting only verdicts`, async () => {
    await recalibrateKnowledgeBase(db, 'manual');
    expect(await feedbackRecalibrationDue(db)).toBe(false);
    await verdicts(verdictsPerRecalibration - 2, 'bot.helpful');
    // A customer who merely wrote again gave no verdict.
    await verdicts(5, 'bot.handed_off', { reason: 'customer_wrote_again' });
    await verdicts(1, 'bot.not_helpful');
    expect(await feedbackRecalibrationDue(db)).toBe(false);
    await verdicts(1, 'bot.handed_off', { reason: 'wants_human' });
    expect(await feedbackRecalibrationDue(db)).toBe(true);
    // A new fit starts the count again.
    await recalibrateKnowledgeBase(db, 'feedback');
    expect(await feedbackRecalibrationDue(db)).toBe(false);
  });
});
