// The foundation's promise, in a real browser: the agent logs in to the console, a customer writes
// from the widget page in another browser context, the agent sees it live and answers, the
// customer sees the answer live. Outside every team's hours the widget offers the offline form
// instead, which becomes an email conversation in the console.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../prisma/demo-data.js';
import { launchChromium } from './support/browser.js';
import { buildConsole } from './support/console-build.js';
import { screenshots } from './support/console-browser.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  system = await startSystem({ consoleDir: await buildConsole() });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('console and widget in Chromium', () => {
  it('shows a widget message live in the agent inbox and the agent reply live in the widget', async () => {
    const agentPage = await (await browser.newContext()).newPage();
    await agentPage.goto(`${system.url}/`);
    await agentPage.getByTestId('login-email').fill('agent@seamless.local');
    await agentPage.getByTestId('login-password').fill(demoPassword);
    await agentPage.getByTestId('login-submit').click();
    await agentPage.getByTestId('agent-name').filter({ hasText: 'Alex Agent' }).waitFor();
    await agentPage.getByTestId('conversation-list').waitFor();

    const customerPage = await (await browser.newContext()).newPage();
    await customerPage.goto(`${system.url}/widget.html`);
    await customerPage.getByTestId('widget-launcher').click();
    const question = 'Hello from the widget — 我的转账还没到账';
    await customerPage.getByTestId('widget-input').fill(question);
    await customerPage.getByTestId('widget-send').click();

    // Live in the inbox: no reload.
    const row = agentPage.getByTestId('conversation-row').first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    await agentPage.getByTestId('message-body').filter({ hasText: question }).waitFor();

    const answer = 'Hi! I am checking your transfer now — 请稍等';
    await agentPage.getByTestId('reply-box').fill(answer);
    await agentPage.getByTestId('send-button').click();

    await customerPage.getByTestId('widget-message').filter({ hasText: answer }).waitFor({ timeout: 20_000 });
    expect(await customerPage.getByTestId('widget-message').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(question), expect.stringContaining(answer)]),
    );

    const stored = await system.db.message.findMany({ where: { body: { in: [question, answer] } }, orderBy: { createdAt: 'asc' } });
    expect(stored.map((message) => message.authorKind)).toEqual(['customer', 'agent']);
  });

  it('outside every team’s hours offers the offline form beside the chat, which becomes an email conversation in the console', async () => {
    const teams = await system.db.team.findMany({ select: { id: true, businessHoursId: true } });
    const email = await system.db.channel.findFirstOrThrow({ where: { kind: 'email' } });
    // Open one hour a week, the day after tomorrow in Shanghai: closed now.
    const inTwoDays = new Date(Date.now() + 8 * 3_600_000 + 2 * 86_400_000).getUTCDay();
    const hours = await system.db.businessHours.create({
      data: { name: 'offline form', timeZone: 'Asia/Shanghai', weekly: [{ day: inTwoDays, open: '09:00', close: '10:00' }], holidays: [] },
    });
    await system.db.team.updateMany({ data: { businessHoursId: hours.id } });
    await system.db.channel.update({ where: { id: email.id }, data: { enabled: true } });
    try {
      const customerPage = await (await browser.newContext({ viewport: { width: 1000, height: 760 } })).newPage();
      await customerPage.goto(`${system.url}/widget.html`);
      await customerPage.getByTestId('widget-launcher').click();
      await customerPage.getByTestId('widget-subtitle').filter({ hasText: 'We’re back' }).waitFor();
      // The chat stays (the bot may answer); the form is offered beside it and takes the composer's place.
      await customerPage.getByTestId('widget-input').waitFor();
      await customerPage.getByTestId('widget-offline-offer').click();
      await customerPage.getByTestId('widget-offline').waitFor();
      expect(await customerPage.getByTestId('widget-input').count()).toBe(0);
      await customerPage.getByTestId('widget-offline-name').fill('Olga Offline');
      await customerPage.getByTestId('widget-offline-email').fill('olga.offline@example.com');
      await customerPage.getByTestId('widget-offline-message').fill('Can I still change my delivery address?');
      await customerPage.screenshot({ path: path.join(screenshots, 'widget-offline.png') });
      await customerPage.getByTestId('widget-offline-submit').click();
      await customerPage.getByTestId('widget-offline-sent').filter({ hasText: 'Thanks — we’ll reply to olga.offline@example.com' }).waitFor();

      const adminPage = await (await browser.newContext()).newPage();
      await adminPage.goto(`${system.url}/`);
      await adminPage.getByTestId('login-email').fill('admin@seamless.local');
      await adminPage.getByTestId('login-password').fill(demoPassword);
      await adminPage.getByTestId('login-submit').click();
      await adminPage.getByTestId('conversation-list').waitFor();
      await adminPage.goto(`${system.url}/#/inbox/all`);
      const row = adminPage.getByTestId('conversation-row').filter({ hasText: 'Message from the website' });
      await row.waitFor({ timeout: 20_000 });
      expect(await row.getByTestId('conversation-row-channel').getAttribute('data-kind')).toBe('email');
      expect(await row.getByTestId('conversation-customer').textContent()).toContain('Olga Offline');
      await row.click();
      await adminPage.getByTestId('message-body').filter({ hasText: 'Can I still change my delivery address?' }).waitFor();
    } finally {
      for (const team of teams) await system.db.team.update({ where: { id: team.id }, data: { businessHoursId: team.businessHoursId } });
      await system.db.channel.update({ where: { id: email.id }, data: { enabled: email.enabled } });
    }
  });
});
