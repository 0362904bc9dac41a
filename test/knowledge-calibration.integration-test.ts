// The bot recalibrates on the organisation's own knowledge base, on the real stack: article changes
// start the calibration workflow through the outbox, several of them make one run once they are
// quiet, the run stores a new calibration version, and the bot's next decision follows it. The
// demo knowledge base alone has too few example questions (75 in English: the shipped calibration
// answers); four new articles with ten each bring it over the minimum.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeCalibrationWorkflowId } from '../domain/workflow-ids.js';
import type { EventView } from '../domain/events.js';
import {
  knowledgeCalibrationStateQuery,
  knowledgeCalibrationWorkflowName,
  type KnowledgeCalibrationInput,
} from '../workflows/knowledge-calibration.messages.js';
import type { TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

let system: TestSystem;
let admin: string;
let adminSocket: TestSocket;

/** Long enough for the test's edits to come within it, short enough to wait for. */
const debounceMs = 20_000;

beforeAll(async () => {
  system = await startSystem();
  admin = await system.login('admin@seamless.local');
  adminSocket = await system.socket(admin);
  const enabled = await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { enabled: true, threshold: null } });
  expect(enabled.status).toBe(200);
  // The workflow the first change would start, started first with a test-sized debounce.
  await system.temporal.workflow.start(knowledgeCalibrationWorkflowName, {
    taskQueue: system.taskQueue,
    workflowId: knowledgeCalibrationWorkflowId(1),
    args: [{ organizationId: 1, debounceMs } satisfies KnowledgeCalibrationInput],
  });
});
afterAll(() => system?.stop());

const newArticles = [
  {
    title: 'Gift cards',
    body: 'Gift cards can be bought in any amount from 10 to 500 euros. They are sent by email within minutes and never expire. Redeem a gift card at checkout by entering its code.',
    questions: [
      'how do I buy a gift card',
      'can I send a gift card by email',
      'do gift cards expire',
      'where do I enter my gift card code',
      'my gift card code does not work',
      'how much can a gift card be worth',
      'can I use two gift cards on one order',
      'is there a gift voucher I can give',
      'gift card balance',
      'how to redeem a present card',
    ],
  },
  {
    title: 'Loyalty points',
    body: 'Every euro you spend earns one loyalty point. 100 points give a 5 euro discount on your next order. Points expire after two years without an order.',
    questions: [
      'how do loyalty points work',
      'how many points do I get per order',
      'when do my points expire',
      'how do I spend my reward points',
      'my points are missing after an order',
      'can I transfer points to a friend',
      'what are points worth',
      'check my points balance',
      'do I earn points on sale items',
      'points not added to my account',
    ],
  },
  {
    title: 'Store pickup',
    body: 'Choose pickup in store at checkout to collect your order for free. We email you when it is ready, usually within two hours. Bring the email and an ID; we keep the order for seven days.',
    questions: [
      'can I collect my order in the shop',
      'how does click and collect work',
      'when is my pickup order ready',
      'what do I need to bring to pick up',
      'how long do you keep my pickup order',
      'can someone else pick up my order',
      'is store pickup free',
      'change my order to pickup',
      'which stores offer pickup',
      'pickup order not ready yet',
    ],
  },
  {
    title: 'Gift wrapping',
    body: 'Add gift wrapping at checkout for 3 euros per item. We add a card with your message and leave the price off the packing slip.',
    questions: [
      'can you wrap my order as a present',
      'how much is gift wrapping',
      'can I add a message card',
      'do you hide the price on a gift',
      'wrap only one item of my order',
      'is gift wrap available for every product',
      'add gift wrap after ordering',
      'what paper do you wrap with',
      'gift wrapping options',
      'send it as a gift',
    ],
  },
];

/** A visitor's first message, and whether the bot answered it. */
async function botAnswers(question: string): Promise<boolean> {
  const visitor = await system.visitor();
  const response = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: question } });
  expect(response.status).toBe(201);
  const conversationId = response.body.conversation.id as string;
  const outcome = await adminSocket.waitForEvent(
    (event: EventView) => event.conversationId === conversationId && (event.type === 'bot.answered' || event.type === 'bot.declined'),
  );
  return outcome.type === 'bot.answered';
}

/** Shipped calibration: answered (confidence 1.0); the knowledge base's own: 0.74, below its threshold. */
const question = 'are my reward points lost';

describe('recalibration after article changes', () => {
  it('runs once for several changes, stores a new version, and the bot follows it', async () => {
    const created = await Promise.all(
      newArticles.map((article) =>
        system.request('POST', '/api/knowledge/articles', { token: admin, body: { ...article, locale: 'en', status: 'published' } }),
      ),
    );
    expect(created.map((response) => response.status)).toEqual([201, 201, 201, 201]);
    // Before any calibration: the shipped one answers.
    expect(await system.db.botCalibration.count()).toBe(0);
    expect(await botAnswers(question)).toBe(true);
    // More edits within the debounce time.
    const edited = await Promise.all(
      created.map((response) =>
        system.request('PATCH', `/api/knowledge/articles/${response.body.article.id}`, {
          token: admin,
          body: { tags: ['recalibration-test'] },
        }),
      ),
    );
    expect(edited.map((response) => response.status)).toEqual([200, 200, 200, 200]);

    const handle = system.temporal.workflow.getHandle(knowledgeCalibrationWorkflowId(1));
    await waitUntil(async () => {
      const state = await handle.query(knowledgeCalibrationStateQuery);
      return state.runs >= 1 && !state.running && state.pending === null ? state : null;
    }, 120_000);
    // One run for eight changes: one version per locale.
    const calibrations = await system.db.botCalibration.findMany({ orderBy: { locale: 'asc' } });
    expect(calibrations.map((row) => [row.locale, row.version, row.trigger])).toEqual([
      ['en', 1, 'article_changed'],
      ['zh-CN', 1, 'article_changed'],
    ]);
    const english = calibrations[0]!;
    expect(english.model).not.toBeNull();
    expect(english.samples).toMatchObject({ articles: 21, examples: 115 });
    expect(english.estimate).toMatchObject({ precision: expect.any(Number), answered: expect.any(Number) });
    expect(await handle.query(knowledgeCalibrationStateQuery)).toMatchObject({ runs: 1 });

    // The bot now answers with the knowledge base's own calibration: this question falls below it.
    expect(await botAnswers(question)).toBe(false);

    // What the admin sees: the version, its threshold, the estimate there, last month's first
    // messages run through retrieval and confidence (the question above, asked twice, now refused).
    const shown = await system.request('GET', '/api/settings/self-service/calibration', { token: admin });
    expect(shown.status).toBe(200);
    const en = shown.body.calibration.locales.find((row: { locale: string }) => row.locale === 'en');
    const threshold = (english.model as { thresholds: Record<string, number> }).thresholds['0.99'];
    expect(en).toMatchObject({ version: 1, source: 'own', trigger: 'article_changed', threshold, minimumExamples: 100 });
    expect(en.estimatedPrecision).toBeGreaterThanOrEqual(0.9);
    expect(en.estimatedPrecision).toBeLessThanOrEqual(1);
    expect(en.firstMessages).toBeGreaterThanOrEqual(2);
    expect(en.wouldAnswer).toBeLessThanOrEqual(en.firstMessages - 2);
    expect(shown.body.calibration.locales.find((row: { locale: string }) => row.locale === 'zh-CN')).toMatchObject({ version: 1, source: 'shipped' });
  });

  it('recalibrates at once when an admin asks, as a new version', async () => {
    const asked = await system.request('POST', '/api/settings/self-service/calibration/recalibrate', { token: admin, body: {} });
    expect(asked.status).toBe(202);
    const manual = await waitUntil(async () => (await system.db.botCalibration.findFirst({ where: { locale: 'en', version: 2 } })) ?? null, 60_000);
    expect(manual.trigger).toBe('manual');
  });
});
