// The screens agents and customers use every minute, in a real browser on the real stack: a
// widget conversation appears live in the inbox with its view's count, the agent answers and
// resolves it (the row moves to "Resolved"), the customer's journey lists it all; on a phone,
// the bot answers with its articles, the customer asks for a person, a reload keeps the
// conversation and a lost connection misses nothing. Screenshots of the main screens go to
// test-artifacts/screenshots/.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser();
const { newPage } = ui;
let system: TestSystem;

/** The first test's conversation, which the last test opens again. */
const firstQuestion = 'Hello, my transfer to my landlord has not arrived yet';

beforeAll(async () => {
  system = ui.system;
});

async function signIn(page: Page, email: string, name: string): Promise<void> {
  await ui.signIn(page, email, name);
  // The counts show once the snapshot is in.
  await expect.poll(() => page.getByTestId('count-all').textContent(), live).toMatch(/^\d+\+?$/);
}

// Code that runs in the page is passed as a string where it uses browser globals: test/ is type
// checked without the DOM library.
const count = async (page: Page, view: string) => Number((await page.getByTestId(`count-${view}`).textContent())?.replace('+', ''));
const row = (page: Page, conversationId: string) => page.locator(`[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`);

async function conversationOf(body: string): Promise<{ id: string; number: number }> {
  const message = await system.db.message.findFirstOrThrow({ where: { body }, include: { conversation: true } });
  return { id: message.conversationId, number: message.conversation.number };
}

describe('agent inbox in Chromium', () => {
  it('shows a widget conversation live with its count, and moves it between views as the agent works on it', async () => {
    const agent = await newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(agent, 'agent@seamless.local', 'Alex Agent');
    // Away: routing leaves new conversations in the queue, so this one stays "Unassigned" until taken.
    await agent.getByTestId('presence-select').selectOption('away');
    await expect.poll(async () => (await system.db.user.findFirstOrThrow({ where: { email: 'agent@seamless.local' } })).presence).toBe('away');
    const before = {
      mine: await count(agent, 'mine'),
      unassigned: await count(agent, 'unassigned'),
      snoozed: await count(agent, 'snoozed'),
      resolved: await count(agent, 'resolved'),
    };

    const customer = await newPage({ viewport: { width: 1280, height: 800 } });
    await customer.goto(`${system.url}/widget.html`);
    await customer.getByTestId('widget-launcher').click();
    const question = firstQuestion;
    await customer.getByTestId('widget-input').fill(question);
    await customer.getByTestId('widget-send').click();
    await customer.getByTestId('widget-message').filter({ hasText: question }).waitFor(live);
    const conversation = await conversationOf(question);

    // Live, without a reload: the row and the count of "Unassigned".
    await expect.poll(() => count(agent, 'unassigned'), live).toBe(before.unassigned + 1);
    await agent.getByTestId('filter-unassigned').click();
    await row(agent, conversation.id).waitFor(live);
    await agent.screenshot({ path: path.join(screenshots, 'inbox.png') });

    await row(agent, conversation.id).click();
    await agent.getByTestId('message-body').filter({ hasText: question }).waitFor(live);

    // Take it: "Assign to me" (a transfer to myself). It leaves "Unassigned" for "Mine", and the
    // button goes: the conversation is mine now.
    await agent.getByTestId('assign-to-me-button').click();
    await agent.getByTestId('conversation-assignee').filter({ hasText: 'Assigned to you' }).waitFor(live);
    await agent.getByTestId('assign-to-me-button').waitFor({ state: 'detached', ...live });
    await expect.poll(() => count(agent, 'mine'), live).toBe(before.mine + 1);
    await expect.poll(() => count(agent, 'unassigned'), live).toBe(before.unassigned);
    await agent.getByTestId('filter-mine').click();
    await row(agent, conversation.id).click();

    // `e` while typing is a letter, not "resolve".
    const answer = 'Hi! I can see the transfer — it will arrive today.';
    await agent.getByTestId('reply-box').fill(answer);
    await agent.getByTestId('reply-box').press('e');
    await expect.poll(() => agent.getByTestId('reply-box').inputValue()).toBe(`${answer}e`);
    await agent.getByTestId('reply-box').fill(answer);
    await agent.getByTestId('send-button').click();
    await customer.getByTestId('widget-message').filter({ hasText: answer }).waitFor(live);

    // The journey: newest first, one sentence per event, the reply added live.
    const journey = agent.getByTestId('journey-item');
    await journey.filter({ hasText: `Alex Agent replied: “${answer}”` }).waitFor(live);
    await journey.filter({ hasText: `The customer started conversation #${conversation.number}` }).waitFor(live);
    await journey.filter({ hasText: `Conversation #${conversation.number} was assigned to Alex Agent` }).waitFor(live);

    // Priority: the row and the journey follow.
    await agent.getByTestId('priority-select').selectOption('urgent');
    await row(agent, conversation.id).locator('[data-priority="urgent"]').waitFor(live);
    await journey.filter({ hasText: `Priority of conversation #${conversation.number} changed from Normal to Urgent` }).waitFor(live);
    await agent.locator('[data-testid="resolve-button"]:not([disabled])').waitFor(live);
    await agent.screenshot({ path: path.join(screenshots, 'conversation.png') });

    // Snooze until the customer replies: to "Snoozed"; the customer writes: back to "Mine".
    await agent.getByTestId('snooze-button').click();
    await agent.getByTestId('snooze-untilReply').check();
    await agent.getByTestId('snooze-apply').click();
    await expect.poll(() => count(agent, 'snoozed'), live).toBe(before.snoozed + 1);
    await row(agent, conversation.id).waitFor({ state: 'detached', ...live });
    const followUp = 'Thanks! One more thing: can I get a receipt?';
    await customer.getByTestId('widget-input').fill(followUp);
    await customer.getByTestId('widget-send').click();
    await row(agent, conversation.id).waitFor(live);
    await expect.poll(() => count(agent, 'snoozed'), live).toBe(before.snoozed);
    await agent.getByTestId('message-body').filter({ hasText: followUp }).waitFor(live);

    // `?` lists the shortcuts; `e` (outside a field) resolves.
    await agent.getByTestId('message-list').click();
    await agent.keyboard.press('?');
    await agent.getByTestId('shortcut-help').waitFor();
    expect(await agent.getByTestId('shortcut-help').locator('kbd').allInnerTexts()).toEqual(expect.arrayContaining(['s', '/', '1', '7', 'Ctrl']));
    await agent.keyboard.press('Escape');
    await agent.getByTestId('shortcut-help').waitFor({ state: 'detached' });
    // `s` opens the snooze menu (Escape closes it); `/` puts the cursor in the search.
    await agent.keyboard.press('s');
    await agent.getByTestId('snooze-panel').waitFor(live);
    await agent.keyboard.press('Escape');
    await agent.getByTestId('snooze-panel').waitFor({ state: 'detached', ...live });
    await agent.getByTestId('message-list').click();
    await agent.keyboard.press('/');
    expect(await agent.getByTestId('inbox-search').evaluate((input) => input === input.ownerDocument.activeElement)).toBe(true);
    await agent.getByTestId('message-list').click();
    await agent.keyboard.press('e');

    await agent.locator('[data-testid="conversation-pane"][data-status="resolved"]').waitFor(live);
    await row(agent, conversation.id).waitFor({ state: 'detached', ...live });
    await expect.poll(() => count(agent, 'resolved'), live).toBe(before.resolved + 1);
    await expect.poll(() => count(agent, 'mine'), live).toBe(before.mine);
    // `6` switches to the sixth view, Resolved.
    await agent.getByTestId('message-list').click();
    await agent.keyboard.press('6');
    await agent.locator('[data-testid="conversation-list"][data-view="resolved"]').waitFor(live);
    await row(agent, conversation.id).waitFor(live);
    await customer.getByTestId('widget-resolved').waitFor(live);

    await row(agent, conversation.id).click();
    await journey.filter({ hasText: `Alex Agent resolved conversation #${conversation.number}` }).waitFor(live);
    expect(await journey.first().textContent()).toContain(`resolved conversation #${conversation.number}`);
    await agent.getByTestId('reopen-button').waitFor();
    await agent.getByTestId('customer-panel').screenshot({ path: path.join(screenshots, 'timeline.png') });

    // A refused action shows the server's own message. A second window that hears no live events
    // still offers "Reopen" after the conversation was reopened elsewhere; the server refuses (409).
    const stale = await newPage({ viewport: { width: 1440, height: 900 } });
    await stale.routeWebSocket(/\/ws/, () => {}); // connected to nothing: no events arrive
    await signIn(stale, 'agent@seamless.local', 'Alex Agent');
    await stale.goto(`${system.url}/#/inbox/resolved/${conversation.id}`);
    await stale.getByTestId('reopen-button').waitFor(live);
    const token = await system.login('agent@seamless.local');
    expect((await system.request('POST', `/api/conversations/${conversation.id}/reopen`, { token, body: {} })).status).toBe(200);
    await stale.getByTestId('reopen-button').click();
    const refusal = (await system.request('POST', `/api/conversations/${conversation.id}/reopen`, { token, body: {} })).body;
    expect(refusal.error.code).toBe('invalid_transition');
    await stale.getByTestId('action-error').filter({ hasText: refusal.error.message }).waitFor(live);
    // The first window followed live: reopened, back out of "Resolved".
    await agent.locator('[data-testid="conversation-pane"]:not([data-status="resolved"])').waitFor(live);
    await expect.poll(() => count(agent, 'resolved'), live).toBe(before.resolved);
  });

  it('on a phone: the bot answers with its articles, "Talk to a person" hands over, a reload and a lost connection lose nothing', async () => {
    const admin = await system.login('admin@seamless.local');
    const enabled = await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { enabled: true, threshold: null } });
    expect(enabled.status).toBe(200);

    const phone = await newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await phone.goto(`${system.url}/widget.html`);
    await phone.getByRole('button', { name: 'Open chat' }).click();
    const question = 'Why is my transfer still pending?';
    await phone.getByRole('textbox', { name: 'Type your message…' }).fill(question);
    await phone.getByRole('button', { name: 'Send' }).click();

    const answer = phone.locator('[data-testid="widget-message"][data-author-kind="bot"]');
    await answer.getByTestId('widget-bot-label').filter({ hasText: 'Bot' }).waitFor(live);
    expect(await answer.getByTestId('widget-citation').first().getAttribute('href')).toBe('/help/en/transfer-pending');
    await phone.getByRole('button', { name: 'This helped' }).waitFor();
    await phone.getByRole('button', { name: 'Talk to a person' }).waitFor();
    // 360 px wide: nothing sticks out sideways.
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    // Focus order follows the reading order: close, the article, the two answers, attach a file, the message field.
    await phone.getByTestId('widget-close').focus();
    const order: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      await phone.keyboard.press('Tab');
      order.push(await phone.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null"));
    }
    expect(order).toEqual(['widget-citation', 'widget-helpful', 'widget-wants-human', 'attach-button', 'widget-input']);
    await phone.screenshot({ path: path.join(screenshots, 'widget-phone.png') });

    // A reload keeps the visitor, the conversation and the open panel.
    const { id: conversationId } = await conversationOf(question);
    await phone.reload();
    await phone.locator('[data-testid="widget-message"][data-author-kind="customer"]').filter({ hasText: question }).waitFor(live);
    await phone.getByTestId('widget-helpful').waitFor(live);

    await phone.getByRole('button', { name: 'Talk to a person' }).click();
    await phone.getByTestId('widget-feedback-status').filter({ hasText: 'Connecting you to a person…' }).waitFor(live);
    expect(await phone.getByTestId('widget-feedback').count()).toBe(0);
    await phone.screenshot({ path: path.join(screenshots, 'widget-phone-handoff.png') });

    // The agent sees the bot's answer and its private hand-off summary, each marked as such.
    const agent = await newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(agent, 'admin@seamless.local', 'Ada Admin');
    await agent.goto(`${system.url}/#/inbox/all/${conversationId}`);
    await agent.locator('[data-testid="message-item"][data-kind="bot_answer"]').getByTestId('bot-label').waitFor(live);
    const summary = agent.locator('[data-testid="message-item"][data-kind="handoff_summary"][data-private="true"]');
    await summary.getByTestId('handoff-summary').waitFor(live);
    expect(await summary.textContent()).toContain('the customer asked for a person');
    await agent.getByTestId('journey-item').filter({ hasText: 'The bot handed conversation' }).waitFor(live);
    await agent.screenshot({ path: path.join(screenshots, 'conversation-bot-handoff.png') });
    // The customer never sees the summary.
    expect(await phone.getByTestId('widget-message').filter({ hasText: 'hand-off' }).count()).toBe(0);

    // The phone loses its connection; an agent answers meanwhile; back online, the answer shows once.
    const reconnects: string[] = [];
    phone.on('websocket', (ws) => reconnects.push(ws.url()));
    await phone.context().setOffline(true);
    const whileAway = 'A person here: your transfer is on its way.';
    const sent = await system.request('POST', `/api/conversations/${conversationId}/messages`, {
      token: admin,
      body: { body: whileAway },
      headers: { 'Idempotency-Key': 'e2e-while-away' },
    });
    expect(sent.status).toBe(201);
    await phone.context().setOffline(false);
    // The browser's own "online" event makes the widget reconnect at once (resuming with after=).
    await phone.evaluate("window.dispatchEvent(new Event('online'))");
    await phone.getByTestId('widget-message').filter({ hasText: whileAway }).waitFor(live);
    // It reconnected, resuming after the last event it had seen.
    expect(reconnects.some((url) => /[?&]after=\d+/.test(url))).toBe(true);
    const ids = await phone.getByTestId('widget-message').evaluateAll((items) => items.map((item) => item.getAttribute('data-message-id')));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await phone.getByTestId('widget-message').filter({ hasText: whileAway }).count()).toBe(1);
  });

  it('switches the console to Chinese and keeps the choice after a reload', async () => {
    const agent = await newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(agent, 'agent@seamless.local', 'Alex Agent');
    await agent.getByTestId('language-select').selectOption('zh-CN');
    await agent.getByTestId('filter-resolved').filter({ hasText: '已解决' }).waitFor();
    await agent.getByTestId('filter-all').click();
    await row(agent, (await conversationOf(firstQuestion)).id).click();
    await agent.getByTestId('journey-item').filter({ hasText: '解决了会话' }).first().waitFor(live);
    await agent.screenshot({ path: path.join(screenshots, 'inbox-zh-CN.png') });
    await agent.reload();
    await agent.getByTestId('filter-mine').filter({ hasText: '我的' }).waitFor(live);
    expect(await agent.evaluate<string>('document.documentElement.lang')).toBe('zh-CN');
    // Traditional: the Simplified table converted once its converter chunk has loaded.
    await agent.getByTestId('language-select').selectOption('zh-TW');
    await agent.getByTestId('filter-resolved').filter({ hasText: '已解決' }).waitFor(live);
    await agent.reload();
    await agent.getByTestId('filter-resolved').filter({ hasText: '已解決' }).waitFor(live);
    expect(await agent.evaluate<string>('document.documentElement.lang')).toBe('zh-TW');
  });
});
