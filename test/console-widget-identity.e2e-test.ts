// Identified visitors in Chromium (issue 18): the admin generates the web chat channel's identity
// secret on the Channels screen and requires verified identity; the host page identifies its user
// (Seamless('identify', …) called once she signs in, or queued before the widget loads; userHash
// computed "on the server" — here, in the test); what she wrote before signing in goes with her, and
// two separate browser contexts identified as the same user see the same conversation; a forged hash
// is refused in words. And an anonymous visitor in Chinese answers the
// channel's pre-chat form before writing.
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser();
const { newPage, signIn } = ui;

/** The host page's identify call, queued by the usual stub before the widget's script runs. */
const identifyScript = (claim: { userId: string; email?: string; name?: string; userHash: string }) => `
  window.Seamless = window.Seamless || function () { (window.Seamless.q = window.Seamless.q || []).push(arguments); };
  window.Seamless('identify', ${JSON.stringify(claim)});
`;

describe('identified widget visitors in Chromium', () => {
  it('gives two browsers signed in as the same user one conversation, and refuses a forged hash', async () => {
    const admin = await newPage();
    await signIn(admin, 'admin@seamless.local', 'Ada Admin');
    await admin.goto(`${ui.system.url}/#/admin/channels`);
    const identity = admin.getByTestId('widget-identity');
    await identity.getByTestId('widget-identity-generate').click();
    const secretField = identity.getByTestId('widget-identity-secret');
    await secretField.waitFor(live);
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await identity.getByTestId('widget-identity-require').check();
    await identity.getByTestId('widget-identity-save').click();
    await identity.getByTestId('widget-identity-saved').waitFor(live);
    // The snippet names this channel and the widget's script on this server.
    const channel = await ui.system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' }, orderBy: { createdAt: 'asc' } });
    expect(channel.settings).toMatchObject({ requireVerifiedIdentity: true });
    await identity.getByTestId('widget-identity-snippet').locator('summary').click();
    expect(await identity.getByTestId('widget-identity-snippet-page').textContent()).toContain(`data-seamless-channel="${channel.id}"`);
    await identity.screenshot({ path: path.join(screenshots, 'admin-widget-identity.png') });

    const claim = { userId: 'shop-7', email: 'mei.lin@example.com', name: 'Mei Lin', userHash: createHmac('sha256', secret).update('shop-7').digest('hex') };
    // On the laptop Mei writes before signing in to the shop, then signs in: the page identifies
    // her, and her anonymous conversation goes with her.
    const laptop = await newPage();
    await laptop.goto(`${ui.system.url}/widget.html`);
    await laptop.getByTestId('widget-launcher').click();
    await laptop.getByTestId('widget-input').fill('Where is my order 1042?');
    await laptop.getByTestId('widget-send').click();
    await laptop.getByTestId('widget-message').filter({ hasText: 'Where is my order 1042?' }).waitFor(live);
    await laptop.evaluate(
      (identity) => (globalThis as unknown as { Seamless(command: string, argument: unknown): void }).Seamless('identify', identity),
      claim,
    );
    await laptop.waitForFunction(
      () => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('seamless.visitor.user') === 'shop-7',
      undefined,
      live,
    );
    await laptop.getByTestId('widget-message').filter({ hasText: 'Where is my order 1042?' }).waitFor(live);

    // Another browser (its own storage): the same user, the same conversation.
    const phone = await newPage();
    await phone.addInitScript(identifyScript(claim));
    await phone.goto(`${ui.system.url}/widget.html`);
    await phone.getByTestId('widget-launcher').click();
    await phone.getByTestId('widget-message').filter({ hasText: 'Where is my order 1042?' }).waitFor(live);
    const customers = await ui.system.db.customer.findMany({ where: { externalId: 'shop-7' } });
    expect(customers.map((customer) => [customer.email, customer.name])).toEqual([['mei.lin@example.com', 'Mei Lin']]);

    // A forged hash for the same user: refused, said in words; nothing of Mei's is shown.
    const forger = await newPage();
    await forger.addInitScript(identifyScript({ ...claim, userHash: createHmac('sha256', 'guessed').update('shop-7').digest('hex') }));
    await forger.goto(`${ui.system.url}/widget.html`);
    await forger.getByTestId('widget-launcher').click();
    await forger.getByTestId('widget-panel').getByText('We could not confirm who you are. Please sign in to the site again.').waitFor(live);
    expect(await forger.getByTestId('widget-message').count()).toBe(0);
  });

  it('asks an anonymous visitor the pre-chat form in their language, and keeps the answers on the contact', async () => {
    const token = await ui.system.login('admin@seamless.local');
    const channel = await ui.system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' }, orderBy: { createdAt: 'asc' } });
    const preChatForm = {
      enabled: true,
      askName: true,
      nameRequired: true,
      askEmail: true,
      emailRequired: false,
      fields: [{ key: 'order_number', label: { en: 'Order number', zh: '订单号' }, required: true }],
    };
    const changed = await ui.system.request('PATCH', `/api/channels/${channel.id}`, {
      token,
      body: { settings: { ...(channel.settings as object), preChatForm } },
    });
    expect(changed.status).toBe(200);

    const visitor = await newPage({ locale: 'zh-CN' });
    await visitor.goto(`${ui.system.url}/widget.html`);
    await visitor.getByTestId('widget-launcher').click();
    const form = visitor.getByTestId('widget-prechat');
    await form.waitFor(live);
    expect(await form.textContent()).toContain('订单号');
    expect(await visitor.getByTestId('widget-input').count()).toBe(0);
    await visitor.getByTestId('widget-prechat-name').fill('王芳');
    await visitor.getByTestId('widget-prechat-email').fill('wang.fang@example.com');
    await visitor.getByTestId('widget-prechat-field-order_number').fill('A-1042');
    await visitor.getByTestId('widget-panel').screenshot({ path: path.join(screenshots, 'widget-prechat-zh-CN.png') });
    await visitor.getByTestId('widget-prechat-submit').click();
    await visitor.getByTestId('widget-input').fill('包裹还没到');
    await visitor.getByTestId('widget-send').click();
    await visitor.getByTestId('widget-message').filter({ hasText: '包裹还没到' }).waitFor(live);

    const customer = await ui.system.db.customer.findFirstOrThrow({ where: { name: '王芳' } });
    expect(customer).toMatchObject({ email: null, attributes: { providedEmail: 'wang.fang@example.com', order_number: 'A-1042' } });
    expect(await ui.system.db.conversation.count({ where: { customerId: customer.id } })).toBe(1);
  });
});
