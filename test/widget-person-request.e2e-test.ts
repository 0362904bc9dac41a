// A customer who types a request for a person in the widget (issue 21 item 11), in Chromium: with
// nobody online, "talk to a human" (English) and "转人工" (Chinese) each get the same "connecting
// you to a person" notice as the "Talk to a person" button, and their place in the queue, in the
// widget's language; the bot does not answer them; once an agent comes online and takes them the
// place goes and the notice stays.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser();

async function ask(locale: string, text: string) {
  const page = await ui.newPage({ locale });
  await page.goto(`${ui.system.url}/widget.html`);
  await page.getByTestId('widget-launcher').click();
  await page.getByTestId('widget-input').fill(text);
  await page.getByTestId('widget-send').click();
  await page.getByTestId('widget-message').filter({ hasText: text }).waitFor(live);
  return page;
}

describe('a typed request for a person in the widget', () => {
  it('shows the connecting notice and the place in the queue in English and Chinese, until an agent takes the conversation', async () => {
    const { db } = ui.system;
    // Nobody online: the conversations wait in the queue.
    await db.user.updateMany({ data: { presence: 'offline' } });

    const english = await ask('en-US', 'I would like to talk to a human please');
    await english.getByTestId('widget-handoff-notice').filter({ hasText: 'Connecting you to a person…' }).waitFor(live);
    const englishPlace = english.getByTestId('widget-queue');
    // Nobody was taken from the queue in the last hour: a place, no estimate.
    await englishPlace.filter({ hasText: /^You are number \d+ in line\.$/ }).waitFor(live);

    // The queue moves: people take twelve conversations of the tier. The widget asks again (every
    // 15 s) and now says how long the wait is likely to be.
    const { tier } = await db.conversation.findFirstOrThrow({ where: { messages: { some: { body: 'I would like to talk to a human please' } } } });
    const taken = await db.conversation.findMany({ where: { tier }, take: 12, select: { id: true } });
    for (const { id } of taken) await db.event.create({ data: { type: 'conversation.assigned', actorKind: 'system', conversationId: id } });
    await englishPlace.filter({ hasText: /^You are number \d+ in line\. About \d+ minutes? to wait\.$/ }).waitFor({ timeout: 40_000 });

    const chinese = await ask('zh-CN', '转人工');
    await chinese.getByTestId('widget-handoff-notice').filter({ hasText: '正在为您转接人工客服…' }).waitFor(live);
    const chinesePlace = chinese.getByTestId('widget-queue');
    await chinesePlace.filter({ hasText: /^您目前排在第 \d+ 位，预计等待约 \d+ 分钟。$/ }).waitFor(live);
    await chinese.getByTestId('widget-panel').screenshot({ path: path.join(screenshots, 'widget-person-request-zh-CN.png') });

    // The place is the queue's: the Chinese customer wrote later, so stands behind the English one.
    const englishNumber = Number(/number (\d+)/.exec((await englishPlace.textContent()) ?? '')?.[1]);
    const chineseNumber = Number(/第 (\d+) 位/.exec((await chinesePlace.textContent()) ?? '')?.[1]);
    expect(chineseNumber).toBeGreaterThan(englishNumber);

    // The bot left both alone: they wait for a person.
    const conversations = await db.conversation.findMany({
      where: { messages: { some: { body: { in: ['I would like to talk to a human please', '转人工'] } } } },
      include: { messages: { select: { authorKind: true, private: true } } },
    });
    expect(conversations.map((conversation) => conversation.status)).toEqual(['queued', 'queued']);
    expect(conversations.flatMap((conversation) => conversation.messages.filter((message) => message.authorKind === 'bot' && !message.private))).toEqual([]);

    // A reload keeps the notice and the place (the tab remembers the request).
    await english.reload();
    await english.getByTestId('widget-handoff-notice').filter({ hasText: 'Connecting you to a person…' }).waitFor(live);
    await englishPlace.filter({ hasText: `You are number ${englishNumber} in line. About` }).waitFor(live);

    // An agent comes online and routing gives them the conversations: the place goes, the notice stays.
    await ui.system.login('agent@seamless.local');
    await englishPlace.waitFor({ state: 'detached', ...live });
    await chinesePlace.waitFor({ state: 'detached', ...live });
    expect(await english.getByTestId('widget-handoff-notice').count()).toBe(1);
    expect(await chinese.getByTestId('widget-handoff-notice').count()).toBe(1);
  });
});
