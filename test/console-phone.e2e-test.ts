// The console on a phone and in the dark theme (issue 21), in Chromium on the real stack. At
// 390×844: one pane at a time — the list, a conversation under its back bar, the customer over it
// — with the back button and the browser's Back and Forward, and contacts one pane at a time too
// (tickets, contacts and knowledge items with their own back button);
// the sections folded into a menu; touch targets of 40px or more; the composer in view. With the
// system set to dark the main surfaces are dark, and choosing Light in the profile menu makes them
// light, also in another browser the person signs in to.
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startCustomerConversation } from './support/fixtures.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser();
const phone = { width: 390, height: 844 };

/** What these functions use of the page's globals (the test typechecks without the DOM library). */
interface StyledNode {
  parentElement: StyledNode | null;
}
interface PageGlobals {
  getComputedStyle(node: StyledNode): { backgroundColor: string; color: string };
  document: { body: StyledNode; documentElement: { dataset: { theme?: string } } };
}

/** The colour behind an element: its own background, else the nearest ancestor's that is not transparent. */
const backgroundOf = (locator: Locator) =>
  locator.evaluate((start: StyledNode) => {
    const { getComputedStyle } = globalThis as unknown as PageGlobals;
    for (let node: StyledNode | null = start; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
    }
    return 'rgb(255, 255, 255)';
  });
/** The theme the console set on <html> (data-theme). */
const themeOfPage = () => (globalThis as unknown as PageGlobals).document.documentElement.dataset.theme;
/** Relative brightness 0-255 of an `rgb(r, g, b)` colour. */
const brightness = (colour: string) => {
  const [r, g, b] = (colour.match(/\d+/g) ?? []).map(Number);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const height = async (locator: Locator) => (await locator.boundingBox())?.height ?? 0;
const row = (page: Page, conversationId: string) => page.locator(`[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`);

/** A conversation waiting in the queue (nobody is taking routed work). */
async function queuedConversation(body: string): Promise<string> {
  const { system } = ui;
  await system.db.user.updateMany({ data: { presence: 'away' } });
  const { conversationId } = await startCustomerConversation(system, { name: 'Phone Customer', body });
  await expect.poll(async () => (await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status, live).toBe('queued');
  return conversationId;
}

describe('the console on a phone and in the dark theme', () => {
  it('shows one pane at a time on a phone, with a back button and the browser’s Back', async () => {
    const conversationId = await queuedConversation('Is my card blocked? The app says so.');
    const page = await ui.newPage({ viewport: phone, isMobile: true, hasTouch: true });
    await ui.signIn(page, 'agent@seamless.local', 'Alex Agent');

    // The sections are a menu.
    expect(await page.getByTestId('nav-tickets').isVisible()).toBe(false);
    expect(await height(page.getByTestId('nav-menu-button'))).toBeGreaterThanOrEqual(40);
    await page.getByTestId('nav-menu-button').click();
    await page.getByTestId('nav-tickets').waitFor({ state: 'visible' });
    expect(await height(page.getByTestId('nav-tickets'))).toBeGreaterThanOrEqual(40);
    await page.getByTestId('nav-menu-button').click();
    await page.getByTestId('nav-tickets').waitFor({ state: 'hidden' });

    // The list, alone.
    await page.getByTestId('filter-unassigned').click();
    await row(page, conversationId).waitFor(live);
    expect(await page.getByTestId('back-to-list').count()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, 'phone-inbox.png') });

    // The conversation, alone, under its back bar; the composer in view and usable.
    await row(page, conversationId).click();
    await page.getByTestId('conversation-pane').waitFor();
    expect(await page.getByTestId('conversation-list').isVisible()).toBe(false);
    for (const testid of ['back-to-list', 'details-toggle', 'send-button']) expect(await height(page.getByTestId(testid)), testid).toBeGreaterThanOrEqual(40);
    const reply = page.getByTestId('reply-box');
    const box = await reply.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= phone.height).toBe(true);
    await reply.fill('Your card is fine, the app will catch up in a minute.');
    await page.getByTestId('send-button').click();
    await page.getByTestId('message-item').filter({ hasText: 'Your card is fine' }).waitFor(live);

    // The customer over the conversation; Back closes it.
    await page.getByTestId('details-toggle').click();
    await page.getByTestId('customer-panel').waitFor({ state: 'visible' });
    expect(await page.getByTestId('message-list').isVisible()).toBe(false);
    await page.goBack();
    await page.getByTestId('customer-panel').waitFor({ state: 'hidden' });
    await page.getByTestId('message-list').waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(screenshots, 'phone-conversation.png') });

    // The back button returns to the list; the browser's Forward and Back move between the two.
    await page.getByTestId('back-to-list').click();
    await page.getByTestId('conversation-list').waitFor({ state: 'visible' });
    expect(await page.getByTestId('conversation-pane').count()).toBe(0);
    await page.goForward();
    await page.getByTestId('conversation-pane').waitFor({ state: 'visible' });
    await page.goBack();
    await page.getByTestId('conversation-list').waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe('#/inbox/unassigned');

    // Another list screen, through the menu: the list alone, then the contact alone, Back to the list.
    await page.getByTestId('nav-menu-button').click();
    await page.getByTestId('nav-contacts').click();
    const contact = page.getByTestId('contact-row').filter({ hasText: 'Phone Customer' }).first();
    await contact.waitFor(live);
    const listWidth = (await page.getByTestId('contact-list').boundingBox())?.width ?? 0;
    expect(listWidth > phone.width - 20 && listWidth <= phone.width).toBe(true);
    await contact.click();
    await page.getByTestId('contact-profile').waitFor({ state: 'visible' });
    expect(await page.getByTestId('contact-list').isVisible()).toBe(false);
    await page.goBack();
    await page.getByTestId('contact-list').waitFor({ state: 'visible' });

    // Tickets, contacts and knowledge: the open item has a visible back button to its list too.
    const ticket = await ui.system.request('POST', '/api/tickets', {
      token: await ui.system.login('agent@seamless.local'),
      body: { subject: 'Phone ticket', customerId: (await ui.system.db.customer.findFirstOrThrow({ where: { name: 'Phone Customer' } })).id },
    });
    const ticketId = ticket.body.ticket.id as string;
    await contact.click();
    for (const [screen, item, list] of [
      ['contacts', 'contact-profile', 'contact-list'],
      [`tickets/${ticketId}`, 'ticket-detail', 'ticket-list'],
    ] as const) {
      if (screen !== 'contacts') await page.goto(`${ui.system.url}/#/${screen}`);
      await page.getByTestId(item).waitFor({ state: 'visible' });
      expect(await height(page.getByTestId('phone-back')), screen).toBeGreaterThanOrEqual(40);
      await page.getByTestId('phone-back').click();
      await page.getByTestId(list).waitFor({ state: 'visible' });
      expect(await page.getByTestId(item).count(), screen).toBe(0);
    }
    // Knowledge is for admins.
    const admin = await ui.newPage({ viewport: phone, isMobile: true, hasTouch: true });
    await ui.signIn(admin, 'admin@seamless.local', 'Ada Admin');
    await admin.goto(`${ui.system.url}/#/knowledge/new`);
    await admin.getByTestId('article-editor').waitFor({ state: 'visible' });
    expect(await height(admin.getByTestId('phone-back'))).toBeGreaterThanOrEqual(40);
    await admin.getByTestId('phone-back').click();
    await admin.getByTestId('article-list').waitFor({ state: 'visible' });
    expect(await admin.getByTestId('article-editor').count()).toBe(0);
  });

  it('follows a dark system setting on every main surface, and the person’s choice of Light over it', async () => {
    const conversationId = await queuedConversation('Can I raise my transfer limit?');
    const page = await ui.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    await ui.signIn(page, 'agent@seamless.local', 'Alex Agent');
    await page.getByTestId('filter-unassigned').click();
    await row(page, conversationId).click();
    await page.getByTestId('customer-panel').waitFor();
    await page.getByTestId('message-item').first().waitFor(live);

    const surfaces = ['agent-name', 'conversation-list', 'message-list', 'reply-box', 'customer-panel'];
    expect(await page.evaluate(themeOfPage)).toBe('dark');
    for (const testid of surfaces) expect(brightness(await backgroundOf(page.getByTestId(testid))), testid).toBeLessThan(60);
    expect(
      brightness(
        await page.evaluate(() => {
          const { getComputedStyle, document } = globalThis as unknown as PageGlobals;
          return getComputedStyle(document.body).color;
        }),
      ),
    ).toBeGreaterThan(180);
    await page.screenshot({ path: path.join(screenshots, 'inbox-dark.png') });

    await page.getByTestId('agent-name').click();
    await page.getByTestId('theme-select').selectOption('light');
    for (const testid of surfaces) expect(brightness(await backgroundOf(page.getByTestId(testid))), testid).toBeGreaterThan(200);
    // Kept for this person on this device.
    await page.reload();
    await page.getByTestId('conversation-pane').waitFor();
    expect(await page.evaluate(themeOfPage)).toBe('light');

    // And with their account: another browser shows its own (dark) setting before sign-in, then theirs.
    const elsewhere = await ui.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    await elsewhere.goto(`${ui.system.url}/`);
    await elsewhere.getByTestId('login-email').waitFor();
    expect(await elsewhere.evaluate(themeOfPage)).toBe('dark');
    await ui.signIn(elsewhere, 'agent@seamless.local', 'Alex Agent');
    await expect.poll(() => elsewhere.evaluate(themeOfPage), live).toBe('light');
  });
});
