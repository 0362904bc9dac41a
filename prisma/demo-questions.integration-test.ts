// The demo is one business (issue 21 item 10): every question the widget's demo page suggests
// (console/widget.html, `data-demo-question`), in English and Chinese, is answered by the bot from
// the seeded demo knowledge base with the local fallback at the default threshold, citing the
// article the page names — so a new user's first questions get answers, not a queue.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAiActivities, type AiActivities } from '../activities/ai-activities.js';
import { createAi } from '../infra/ai/create-ai.js';
import { createDb, type Db } from '../infra/db.js';
import { projectRoot } from '../infra/env.js';
import { createPostgresSearch } from '../infra/search/postgres-search.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';

/** The page's suggested questions: language, the article the answer should cite, the text. */
const page = readFileSync(path.join(projectRoot, 'console', 'widget.html'), 'utf8');
const suggested = [...page.matchAll(/<li lang="(en|zh-CN)" data-demo-question data-article="([\w-]+)">([^<]+)<\/li>/g)].map(([, locale, slug, text]) => ({
  locale: locale!,
  slug: slug!,
  text: text!.trim(),
}));

let db: Db;
let activities: AiActivities;

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
  // As prisma/seed.ts writes it for `npm start`: the bot on, the default threshold (the test template turns the bot off).
  await db.organization.update({ where: { id: 1 }, data: { settings: { selfService: { enabled: true, threshold: null, idleMinutes: 30 } } } });
  activities = createAiActivities({ db, ai: createAi(), search: createPostgresSearch(db) });
});
afterAll(() => db?.$disconnect());

describe("the demo page's suggested questions", () => {
  it('are on the page in both languages, each naming a seeded article of its language', async () => {
    expect(new Set(suggested.map((question) => question.locale))).toEqual(new Set(['en', 'zh-CN']));
    expect(suggested.length).toBeGreaterThanOrEqual(12);
    for (const { locale, slug } of suggested) {
      expect(await db.knowledgeArticle.count({ where: { slug, locale, status: 'published' } }), `${locale}/${slug}`).toBe(1);
    }
  });

  it.each(suggested)('the bot answers $locale "$text" from $slug', async ({ text, slug, locale }) => {
    const customer = await db.customer.findFirstOrThrow();
    const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
    const conversation = await db.conversation.create({
      data: { workflowId: `conversation-${randomUUID()}`, customerId: customer.id, channelId: channel.id, status: 'queued' },
    });
    await db.message.create({ data: { conversationId: conversation.id, authorKind: 'customer', body: text } });

    const attempt = await new MockActivityEnvironment({ activityId: `demo-${randomUUID()}` }).run(activities.answerWithBot, {
      conversationId: conversation.id,
    });
    expect(attempt).toMatchObject({ answered: true });
    const answer = await db.message.findFirstOrThrow({ where: { conversationId: conversation.id, authorKind: 'bot', private: false } });
    expect((answer.metadata as { citations: { slug: string; locale: string }[] }).citations[0]).toMatchObject({ slug, locale });
  });
});
