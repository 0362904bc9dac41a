// The foundation's promise, in a real browser: the agent logs in to the console, a customer writes
// from the widget page in another browser context, the agent sees it live and answers, the
// customer sees the answer live.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../prisma/demo-data.js';
import { launchChromium } from './support/browser.js';
import { buildConsole } from './support/console-build.js';
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
});
