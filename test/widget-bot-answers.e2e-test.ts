// The bot's answers as a customer sees them in the widget, in a real browser on the real stack
// (issue 20 items 2 and 3, issue 21 item 3): a lead-in ending in a colon comes with its list, one
// item per line; a question that names one of two sibling articles gets "Do you mean A or B?"
// with both as buttons, and the chosen one's answer. An HTTP action (issue 20 item 6) without a
// model: the bot asks for the order number (in Traditional characters to a customer who writes
// them), the customer answers, the shop's picked fields come back; a failing shop means the
// apology that a person takes over, and the customer's place in the queue (whether the bot held the
// conversation or not). After an answer, a customer who writes again or asks for a person sees their
// place in the queue as the bot hands over, without a reload.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';
import { orderStatusAction, startShop, type ShopService } from './support/shop-service.js';

// The shop listens on 127.0.0.1, allowed as an operator would allow an internal service.
const ui = consoleInBrowser({}, { outboundAllowedHosts: ['127.0.0.1'] });
const { newPage } = ui;
let system: TestSystem;
let shop: ShopService;
let admin: string;

beforeAll(async () => {
  system = ui.system;
  shop = await startShop();
  admin = await system.login('admin@seamless.local');
  // Any confidence answers here: these tests are about what the answer shows, not when the bot answers.
  expect((await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { enabled: true, threshold: 0.05 } })).status).toBe(200);
});
afterAll(async () => {
  await shop?.close();
});

async function article(locale: string, title: string, body: string, questions: string[]) {
  return system.db.knowledgeArticle.create({
    data: { locale, slug: `e2e-${randomUUID().slice(0, 8)}`, title, body, questions, status: 'published', publishedAt: new Date() },
  });
}

async function ask(question: string, locale = 'en-US') {
  const page = await newPage({ viewport: { width: 420, height: 820 }, locale });
  await page.goto(`${system.url}/widget.html`);
  await page.getByTestId('widget-launcher').click();
  await page.getByTestId('widget-input').fill(question);
  await page.getByTestId('widget-send').click();
  const bot = page.locator('[data-testid="widget-message"][data-author-kind="bot"]');
  await bot.first().waitFor(live);
  return { page, bot };
}

describe('bot answers in the widget', () => {
  it('shows the list a lead-in introduces, one line per item', async () => {
    await article(
      'en',
      'Pelican parcel refunds',
      'We refund a pelican parcel once the seller approves it. How long that takes depends on how you paid:\n\n| Paid with | Usually arrives in |\n|---|---|\n| Pelican card | 3–5 working days |\n| Pelican balance | Instantly |',
      ['how long does a pelican parcel refund take'],
    );
    const { page, bot } = await ask('how long does a pelican parcel refund take?');
    const text = await bot.locator('.sw-bubble').first().innerText();
    expect(text.split('\n')).toEqual([
      'We refund a pelican parcel once the seller approves it. How long that takes depends on how you paid:',
      '• Pelican card: 3–5 working days',
      '• Pelican balance: Instantly',
    ]);
    await page.screenshot({ path: path.join(screenshots, 'widget-whole-answer.png') });

    // The customer writes again (no request for a person): the bot hands over, and the widget hears
    // of it live and shows the place in the queue without a reload (nobody is online, so it waits).
    await system.db.user.updateMany({ data: { presence: 'offline' } });
    await page.getByTestId('widget-input').fill('And if the seller never approves it?');
    await page.getByTestId('widget-send').click();
    const place = page.getByTestId('widget-queue').filter({ hasText: /^You are number \d+ in line\./ });
    await place.waitFor(live);
    expect(await bot.count()).toBe(1);
    // The tab remembers the hand-off as it does a request: a reload still shows the place.
    await page.reload();
    await place.waitFor(live);
  });

  it('asks which of two sibling articles is meant, and answers with the one the customer clicks', async () => {
    await article('zh-CN', '鹈鹕贷如何还款', '鹈鹕贷每期会在还款日自动从余额扣款。想提前还款，请打开“鹈鹕贷 → 还款”。', [
      '鹈鹕贷怎么还款',
      '鹈鹕贷可以提前还款吗',
      '鹈鹕贷还款日是哪天',
      '鹈鹕贷能只还一部分吗',
    ]);
    await article('zh-CN', '鹈鹕付如何还款', '鹈鹕付每月 10 日出账，25 日前在“鹈鹕付 → 还款”中还清即可免息。', [
      '鹈鹕付怎么还款',
      '鹈鹕付账单怎么还',
      '鹈鹕付还款日是哪天',
      '鹈鹕付逾期了怎么办',
    ]);
    const { page, bot } = await ask('鹈鹕付能只还一部分吗', 'zh-CN');
    await bot.getByText('请问您想了解的是“鹈鹕贷如何还款”，还是“鹈鹕付如何还款”？请在下方选择。').waitFor(live);
    const choices = bot.getByTestId('widget-choice');
    expect(await choices.allInnerTexts()).toEqual(['鹈鹕贷如何还款', '鹈鹕付如何还款']);
    // Feedback is asked once an article was chosen.
    expect(await page.getByTestId('widget-feedback').count()).toBe(0);
    await choices.filter({ hasText: '鹈鹕付如何还款' }).click();
    await bot.getByTestId('widget-chosen-answer').filter({ hasText: '鹈鹕付每月 10 日出账，25 日前在“鹈鹕付 → 还款”中还清即可免息。' }).waitFor(live);
    expect(await bot.getByTestId('widget-citation').getAttribute('href')).toMatch(/^\/help\/zh-CN\/e2e-/);
    await page.getByTestId('widget-feedback').waitFor(live);
    await page.screenshot({ path: path.join(screenshots, 'widget-clarifying-question.png') });

    // "That did not help, I want a person", typed: the hand-off shows the place in the queue as it happens.
    await system.db.user.updateMany({ data: { presence: 'offline' } });
    await page.getByTestId('widget-input').fill('没用，我要人工');
    await page.getByTestId('widget-send').click();
    await page
      .getByTestId('widget-queue')
      .filter({ hasText: /^您目前排在第 \d+ 位/ })
      .waitFor(live);
  });

  it('asks for the order number, calls the shop with the answer and shows the fields it may show; a failing shop hands off', async () => {
    const created = await system.request('POST', '/api/bot-actions', { token: admin, body: orderStatusAction(shop.url) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { page, bot } = await ask('Where is my order?');
    await bot.getByText('What is your order number? It starts with SO.').waitFor(live);
    await page.getByTestId('widget-input').fill('It is SO12345');
    await page.getByTestId('widget-send').click();
    await bot.getByText('Your order SO12345 is shipped with DHL.').waitFor(live);
    expect(shop.requests.at(-1)?.url).toBe('/orders/SO12345');
    expect(await page.getByTestId('widget-thread').innerText()).not.toContain('fragile-do-not-show');
    await page.screenshot({ path: path.join(screenshots, 'widget-bot-action.png') });

    // A customer in Taiwan, writing Traditional characters, is asked in them.
    const taiwan = await ask('我的訂單到哪了？', 'zh-TW');
    await taiwan.bot.getByText('請問您的訂單號是多少？以 SO 開頭。').waitFor(live);

    // SO99999 always fails: after the retries the customer reads the apology and waits for a person,
    // with their place in the queue as after asking for one (nobody is online, so it waits).
    await system.db.user.updateMany({ data: { presence: 'offline' } });
    const failing = await ask('Where is my order SO99999?');
    await failing.bot.getByText("Sorry, I couldn't look that up just now. I'm passing you to a person, who will reply shortly.").waitFor(live);
    expect(await failing.bot.count()).toBe(1);
    await failing.page
      .getByTestId('widget-queue')
      .filter({ hasText: /^You are number \d+ in line\./ })
      .waitFor(live);
    await failing.page.screenshot({ path: path.join(screenshots, 'widget-bot-action-failed.png') });

    // The customer in Taiwan, whom the bot holds (it asked), gives a failing number: the apology and
    // the place, in Traditional characters (the apology comes a moment before the hand-off queues it).
    await taiwan.page.getByTestId('widget-input').fill('SO99999');
    await taiwan.page.getByTestId('widget-send').click();
    await taiwan.bot.getByText('抱歉，我暫時無法查詢到這些資訊。我已為您轉接人工客服，請稍候。').waitFor(live);
    await taiwan.page
      .getByTestId('widget-queue')
      .filter({ hasText: /^您目前排在第 \d+ 位/ })
      .waitFor(live);
  });
});
