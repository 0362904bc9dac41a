// The local bot's answer as the customer gets it (issue 20 item 3, issue 21 item 3): the whole
// section (a lead-in ending in a colon brings its table), line breaks kept in the stored message,
// and a cut paragraph marked partial so the widget offers to read more.
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { customerMessageView } from '../domain/event-audience.js';
import { createAi } from '../infra/ai/create-ai.js';
import { createDb, type Db } from '../infra/db.js';
import { createPostgresSearch } from '../infra/search/postgres-search.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { createAiActivities, type AiActivities } from './ai-activities.js';

let db: Db;
let activities: AiActivities;

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
  await db.organization.update({ where: { id: 1 }, data: { settings: { selfService: { enabled: true, threshold: 0.05, idleMinutes: 20 } } } });
  activities = createAiActivities({ db, ai: createAi({}), search: createPostgresSearch(db) });
});
afterAll(() => db?.$disconnect());

async function article(locale: string, title: string, body: string, questions: string[]) {
  return db.knowledgeArticle.create({
    data: { locale, slug: `s-${randomUUID().slice(0, 8)}`, title, body, questions, status: 'published', publishedAt: new Date() },
  });
}

async function botAnswerTo(body: string) {
  const customer = await db.customer.findFirstOrThrow();
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const conversation = await db.conversation.create({
    data: { workflowId: `conversation-${randomUUID()}`, customerId: customer.id, channelId: channel.id, status: 'queued' },
  });
  await db.message.create({ data: { conversationId: conversation.id, authorKind: 'customer', body } });
  expect(await new MockActivityEnvironment({ activityId: 'answer' }).run(activities.answerWithBot, { conversationId: conversation.id })).toMatchObject({
    answered: true,
  });
  return db.message.findFirstOrThrow({ where: { conversationId: conversation.id, authorKind: 'bot' } });
}

describe('the bot answers with the whole section', () => {
  it('brings the table a lead-in introduces, one row per line, in English and Chinese', async () => {
    const en = await article(
      'en',
      'Walrus wallet refunds',
      'We send a walrus wallet refund as soon as the seller approves it. How long it takes depends on how you paid:\n\n| Paid with | Arrives in |\n|---|---|\n| Walrus card | 3 days |\n| Walrus balance | Instantly |',
      ['how long does a walrus wallet refund take'],
    );
    const message = await botAnswerTo('how long does a walrus wallet refund take?');
    expect(message.body).toBe(
      'We send a walrus wallet refund as soon as the seller approves it. How long it takes depends on how you paid:\n• Walrus card: 3 days\n• Walrus balance: Instantly',
    );
    expect(message.metadata).toMatchObject({ kind: 'bot_answer', citations: [{ id: en.id }] });
    expect(message.metadata).not.toHaveProperty('partial');

    await article(
      'zh-CN',
      '海象钱包退款',
      '海象钱包退款在商家同意后发出。到账时间取决于您的付款方式：\n\n| 付款方式 | 到账时间 |\n|---|---|\n| 海象卡 | 3 天 |\n| 海象余额 | 即时到账 |',
      ['海象钱包退款多久到账'],
    );
    expect((await botAnswerTo('海象钱包退款多久到账？')).body).toBe(
      '海象钱包退款在商家同意后发出。到账时间取决于您的付款方式：\n• 海象卡：3 天\n• 海象余额：即时到账',
    );
  });

  it('marks a cut paragraph partial, and the customer sees that, not the confidence', async () => {
    const body = Array.from({ length: 40 }, (_, i) => `Narwhal parcels to zone ${i} arrive in ${i + 2} days.`).join(' ');
    await article('en', 'Narwhal parcel delivery times', body, ['how long do narwhal parcels take']);
    const message = await botAnswerTo('how long do narwhal parcels to zone 20 take?');
    expect(message.body).toMatch(/^Narwhal parcels to zone \d+ arrive in \d+ days\..* days\.$/);
    expect(message.body.length).toBeLessThan(body.length);
    expect(message.metadata).toMatchObject({ kind: 'bot_answer', partial: true });
    const view = customerMessageView(message) as { metadata: Record<string, unknown> };
    expect(view.metadata).toMatchObject({ kind: 'bot_answer', partial: true });
    expect(view.metadata).not.toHaveProperty('confidence');
  });
});

describe('the bot asks which article is meant when the question names a sibling (issue 20 item 2)', () => {
  it('posts "Do you mean A or B?" with both articles and their answers as choices, and waits on the customer', async () => {
    const repay = await article('zh-CN', '星贷如何还款', '星贷每期会在还款日自动从余额扣款。想提前还款，请打开“星贷 → 还款”，选择金额即可。', [
      '星贷怎么还款',
      '星贷可以提前还款吗',
      '星贷还款日是哪天',
      '星贷能只还一部分吗',
    ]);
    const other = await article('zh-CN', '星付如何还款', '星付每月 10 日出账，25 日前在“星付 → 还款”中还清即可免息。', [
      '星付怎么还款',
      '星付账单怎么还',
      '星付还款日是哪天',
      '星付逾期了怎么办',
    ]);
    const message = await botAnswerTo('星付能只还一部分吗');
    expect(message.body).toBe('请问您想了解的是“星贷如何还款”，还是“星付如何还款”？请在下方选择。');
    expect(message.metadata).toMatchObject({
      kind: 'bot_answer',
      citations: [{ id: repay.id }, { id: other.id }],
      choices: [
        { id: repay.id, title: '星贷如何还款', answer: '星贷每期会在还款日自动从余额扣款。想提前还款，请打开“星贷 → 还款”，选择金额即可。' },
        { id: other.id, title: '星付如何还款', answer: '星付每月 10 日出账，25 日前在“星付 → 还款”中还清即可免息。' },
      ],
    });
    const view = customerMessageView(message) as { metadata: { choices: { id: string; answer: string }[] } };
    expect(view.metadata.choices.map((choice) => choice.id)).toEqual([repay.id, other.id]);
    expect(await db.conversation.findUniqueOrThrow({ where: { id: message.conversationId } })).toMatchObject({ status: 'bot', waitingOn: 'customer' });
    const answered = await db.event.findFirstOrThrow({ where: { conversationId: message.conversationId, type: 'bot.answered' } });
    expect(answered.payload).toMatchObject({ clarifying: true, citations: [repay.id, other.id] });
  });
});
