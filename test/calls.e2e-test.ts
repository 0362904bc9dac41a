// A video call in Chromium with its fake camera and microphone (issue 24): the customer asks for
// it from the widget, the agent accepts in the console, both RTCPeerConnections reach `connected`
// and each side receives media (getStats: inbound bytes), the customer mutes and unmutes (the
// agent is told), the agent hangs up, and the journey has the call with its duration.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../prisma/demo-data.js';
import { launchChromium } from './support/browser.js';
import { buildConsole } from './support/console-build.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  system = await startSystem({ consoleDir: await buildConsole() });
  const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  await system.db.channel.update({ where: { id: channel.id }, data: { settings: { ...(channel.settings as object), calls: true } } });
  await system.db.user.updateMany({ where: { email: 'admin@seamless.local' }, data: { presence: 'online' } });
  browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

/** Waits until the element's data attribute satisfies the check (the call bars publish their connection and bytes received). */
async function waitForData(page: Page, testId: string, attribute: string, check: (value: string) => boolean) {
  await expect.poll(async () => check((await page.getByTestId(testId).getAttribute(attribute)) ?? ''), { timeout: 30_000, interval: 250 }).toBe(true);
}

describe('a video call between the widget and the console', () => {
  it('connects both peers with media flowing, mutes and unmutes, hangs up, and is in the journey with its duration', async () => {
    const customerPage = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await customerPage.goto(`${system.url}/widget.html`);
    await customerPage.getByTestId('widget-launcher').click();
    const question = 'Could we talk on video about my card?';
    await customerPage.getByTestId('widget-input').fill(question);
    await customerPage.getByTestId('widget-send').click();
    await customerPage.getByTestId('widget-message').filter({ hasText: question }).waitFor();
    const conversation = await system.db.conversation.findFirstOrThrow({ where: { messages: { some: { body: question } } } });

    const agentPage = await (await browser.newContext()).newPage();
    await agentPage.goto(`${system.url}/`);
    await agentPage.getByTestId('login-email').fill('admin@seamless.local');
    await agentPage.getByTestId('login-password').fill(demoPassword);
    await agentPage.getByTestId('login-submit').click();
    await agentPage.getByTestId('conversation-list').waitFor();
    await agentPage.goto(`${system.url}/#/inbox/all/${conversation.id}`);
    await agentPage.getByTestId('call-bar').waitFor({ timeout: 20_000 });

    await customerPage.getByTestId('widget-call-video').click();
    await agentPage.getByTestId('call-incoming').waitFor({ timeout: 20_000 });
    await agentPage.getByTestId('call-accept').click();

    // Peer to peer: both connections up, and each side receives the other's fake camera and microphone.
    await waitForData(customerPage, 'widget-call', 'data-connection', (state) => state === 'connected');
    await waitForData(agentPage, 'call-bar', 'data-connection', (state) => state === 'connected');
    await waitForData(customerPage, 'widget-call', 'data-bytes-received', (bytes) => Number(bytes) > 0);
    await waitForData(agentPage, 'call-bar', 'data-bytes-received', (bytes) => Number(bytes) > 0);

    await customerPage.getByTestId('widget-call-mute').click();
    await agentPage.getByTestId('call-peer-muted').waitFor({ timeout: 20_000 });
    await customerPage.getByTestId('widget-call-mute').click();
    await agentPage.getByTestId('call-peer-muted').waitFor({ state: 'detached', timeout: 20_000 });

    await agentPage.getByTestId('call-hangup').click();
    await waitForData(customerPage, 'widget-call', 'data-call-status', (status) => status === 'ended');
    const ended = await system.db.event.findFirstOrThrow({ where: { conversationId: conversation.id, type: 'call.ended' } });
    expect((ended.payload as { call: { durationSeconds: unknown } }).call.durationSeconds).toEqual(expect.any(Number));
    const types = (await system.db.event.findMany({ where: { conversationId: conversation.id, type: { startsWith: 'call.' } }, orderBy: { id: 'asc' } })).map(
      (event) => event.type,
    );
    expect(types).toEqual(['call.requested', 'call.answered', 'call.ended']);
  });
});
